/** The answer of a {@link RateLimiter}: go ahead, or wait this long. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Per-key rate limiting behind a small interface, so a shared (Redis) limiter can replace the
 * in-memory one when several gateways serve one tenant. Async for that reason.
 */
export interface RateLimiter {
  /** Takes one token from `key`'s bucket, which refills `perMinute` tokens a minute. */
  take(key: string, perMinute: number): Promise<RateDecision>;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets in memory: each key holds up to `perMinute` tokens (the burst) and refills
 * continuously at `perMinute` per minute. The map is bounded: past `maxKeys` the buckets that
 * have refilled completely (indistinguishable from new ones) are dropped.
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly maxKeys = 100_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async take(key: string, perMinute: number): Promise<RateDecision> {
    const now = this.now();
    const perMs = perMinute / 60_000;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.sweep(now, perMs);
      bucket = { tokens: perMinute, updatedAt: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / perMs) };
  }

  private sweep(now: number, perMs: number): void {
    for (const [key, bucket] of this.buckets) {
      // A bucket full again would be recreated full: forgetting it changes nothing.
      if (bucket.tokens + (now - bucket.updatedAt) * perMs >= 1 && now - bucket.updatedAt > 60_000)
        this.buckets.delete(key);
    }
    // Still full of busy keys: drop the oldest half rather than grow without bound.
    if (this.buckets.size >= this.maxKeys) {
      let drop = Math.floor(this.buckets.size / 2);
      for (const key of this.buckets.keys()) {
        if (drop-- <= 0) break;
        this.buckets.delete(key);
      }
    }
  }
}
