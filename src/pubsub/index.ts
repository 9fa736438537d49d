export { createInProcessPubSub } from './in-process.js';
export type { EventBatchListener, PubSub } from './types.js';
