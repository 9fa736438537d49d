import { createHash } from 'node:crypto';
import type { Principal } from '../../schema/principal.js';

/**
 * Principals of JWTs verified recently, so an HTTP client sending the same token on every request
 * pays one signature check per minute instead of one per request (about 100 µs each). Keyed by
 * the token's SHA-256, never the token; an entry lives until the token expires or `ttlMs` passes,
 * whichever is first, so a key the issuer withdraws from its JWKS stops working within `ttlMs`.
 * Bounded: past `maxEntries` the oldest entry goes.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(token: string): Principal | undefined {
    const key = digest(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  set(token: string, principal: Principal): void {
    const until = Math.min(this.now() + this.ttlMs, principal.expiresAt ?? Number.POSITIVE_INFINITY);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(digest(token), { principal, until });
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
