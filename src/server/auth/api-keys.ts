import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyConfig } from '../../config/index.js';
import type { Principal } from '../../schema/principal.js';

/**
 * API keys as configured: only their SHA-256 digests are known. A presented key is hashed and
 * compared with every digest in constant time, with no early exit, so neither the timing of
 * one comparison nor the number made tells an attacker anything. Revoking a key is removing it
 * from the config.
 */
export class ApiKeyVerifier {
  private readonly entries: { digest: Buffer; principal: Principal }[];

  constructor(keys: readonly ApiKeyConfig[]) {
    this.entries = keys.map((key) => ({
      digest: Buffer.from(key.sha256, 'hex'),
      principal: Object.freeze({
        id: `apiKey:${key.id}`,
        tenantId: key.tenant,
        scopes: new Set(key.scopes),
        kind: 'apiKey' as const,
      }),
    }));
  }

  get size(): number {
    return this.entries.length;
  }

  /** The key's principal, or null for an unknown (or revoked) key. */
  verify(key: string): Principal | null {
    const digest = sha256(key);
    let found: Principal | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(digest, entry.digest) && found === null) found = entry.principal;
    }
    return found;
  }
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The hex digest to put in `auth.apiKeys[].sha256` for a key. */
export function apiKeyDigest(key: string): string {
  return sha256(key).toString('hex');
}
