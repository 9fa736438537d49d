import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection that fails fast: no offline queue (a command while disconnected rejects at
 * once instead of waiting), one retry per request, and reconnection every 0.1–1 s. Both users
 * of Redis want that: the fan-out falls back to the store and the rate limiter to its in-memory
 * insurance as soon as Redis cannot answer. `extra` adds to or overrides these options.
 */
export function createRedisClient(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times: number) => Math.min(100 * times, 1_000),
    ...extra,
  });
}
