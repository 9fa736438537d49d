import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { createRedisClient } from '../../redis-client.js';
import type { RateDecision, RateLimiter } from './rate-limiter.js';

/**
 * Rate limits shared by every gateway on one Redis (docs/scaling.md): a fixed one-minute window
 * per key, counted atomically in Redis by rate-limiter-flexible. While Redis cannot answer, each
 * instance falls back to its own in-memory window of the same size (the library's insurance
 * limiter), so a Redis outage neither refuses every request nor lifts the limits.
 *
 * Differs from the in-memory token bucket in one respect: a window allows `perMinute` requests
 * per calendar minute of the key, so a client may get up to twice that across a window edge.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly limiters = new Map<number, RateLimiterRedis>();

  constructor(
    private readonly client: Redis,
    private readonly keyPrefix: string,
  ) {}

  async take(key: string, perMinute: number): Promise<RateDecision> {
    try {
      await this.limiterFor(perMinute).consume(key);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        return { allowed: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
      throw rejection;
    }
  }

  private limiterFor(perMinute: number): RateLimiterRedis {
    let limiter = this.limiters.get(perMinute);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.client,
        points: perMinute,
        duration: 60,
        // One key space per limit value: a changed limit starts a fresh count.
        keyPrefix: `${this.keyPrefix}rate:${perMinute}`,
        insuranceLimiter: new RateLimiterMemory({ points: perMinute, duration: 60 }),
      });
      this.limiters.set(perMinute, limiter);
    }
    return limiter;
  }
}

/**
 * The shared limiter of a gateway configured with Redis, on a connection of its own that fails
 * fast, so that an outage falls through to the insurance limiter at once.
 */
export function createRedisRateLimiter(
  url: string,
  keyPrefix: string,
): { limiter: RedisRateLimiter; close(): Promise<void> } {
  const client = createRedisClient(url);
  // Errors surface per request (and fall back); the connection's own events are not news.
  client.on('error', () => {});
  return {
    limiter: new RedisRateLimiter(client, keyPrefix),
    async close() {
      client.disconnect();
    },
  };
}
