export { createInProcessPubSub } from './in-process.js';
export { createRedisPubSub } from './redis.js';
export type { RedisPubSub, RedisPubSubOptions } from './redis.js';
export type { ControlListener, ControlMessage, EventBatchListener, PubSub, WorkflowUpdateListener } from './types.js';
