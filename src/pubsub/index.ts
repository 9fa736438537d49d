export { createInProcessPubSub } from './in-process.js';
import type { RedisPubSub, RedisPubSubOptions } from './redis.js';
export type { RedisPubSub, RedisPubSubOptions } from './redis.js';

/**
 * The Redis fan-out (redis.ts). ioredis loads only when Redis is configured: a single gateway on
 * the embedded store never needs it (docs/performance.md, cold start).
 */
export async function createRedisPubSub(options: RedisPubSubOptions): Promise<RedisPubSub> {
  const redis = await import('./redis.js');
  return redis.createRedisPubSub(options);
}
export type { ControlListener, ControlMessage, EventBatchListener, PubSub, WorkflowUpdateListener } from './types.js';
