import { SCOPES } from '../config/index.js';

/** A scope a principal may hold (docs/security.md). `admin` implies every other scope. */
export type Scope = (typeof SCOPES)[number];

/** Who is calling: the tenant their data lives in and what they may do. */
export interface Principal {
  /** `apiKey:<id>`, `jwt:<sub>` or `anonymous`: for logs, never a secret. */
  readonly id: string;
  readonly tenantId: string;
  readonly scopes: ReadonlySet<Scope>;
  readonly kind: 'apiKey' | 'jwt' | 'anonymous';
  /** When the credential stops being valid (epoch ms): a JWT's `exp` plus the clock tolerance. */
  readonly expiresAt?: number;
}

/** The tenant of anonymous callers when authentication is off. */
export const ANONYMOUS_TENANT = 'default';

/** Every caller when authentication is off (local development): tenant `default`, every scope. */
export const ANONYMOUS_PRINCIPAL: Principal = Object.freeze({
  id: 'anonymous',
  tenantId: ANONYMOUS_TENANT,
  scopes: new Set<Scope>(SCOPES),
  kind: 'anonymous' as const,
});

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** True when the principal holds `scope`, or `admin`. */
export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.has(scope) || principal.scopes.has('admin');
}
