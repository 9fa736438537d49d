import {
  createRemoteJWKSet,
  errors as joseErrors,
  importSPKI,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { JwtConfig } from '../../config/index.js';
import { TokenRejectedError } from '../../errors/index.js';
import { isScope, type Principal, type Scope } from '../../schema/principal.js';

type KeySource = Uint8Array | CryptoKey | JWTVerifyGetKey;

/**
 * Verifies JWTs with jose: HS256 with `secret`, RS256 with `publicKey`, or the keys of
 * `jwksUrl` (fetched, cached and refreshed by jose on an unknown `kid`). Issuer, audience,
 * expiry and not-before are checked; the tenant and scopes come from configurable claims.
 */
export class JwtVerifier {
  private key: Promise<KeySource> | null = null;
  private readonly algorithms: string[];

  constructor(private readonly config: JwtConfig) {
    this.algorithms =
      config.secret !== undefined
        ? ['HS256']
        : config.publicKey !== undefined
          ? ['RS256']
          : ['RS256', 'ES256', 'PS256', 'EdDSA'];
  }

  /** Loads the key now, so a bad `publicKey` stops start-up instead of every request. */
  async init(): Promise<void> {
    await (this.key ??= this.loadKey());
  }

  async verify(token: string): Promise<Principal> {
    const key = await (this.key ??= this.loadKey());
    let payload: JWTPayload;
    try {
      const options = {
        algorithms: this.algorithms,
        clockTolerance: this.config.clockToleranceSec,
        // A token without an expiry would be valid forever: refuse it.
        requiredClaims: ['exp'],
        ...(this.config.issuer === undefined ? {} : { issuer: this.config.issuer }),
        ...(this.config.audience === undefined ? {} : { audience: this.config.audience }),
      };
      ({ payload } =
        typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options));
    } catch (error) {
      throw new TokenRejectedError(describeJoseError(error));
    }
    return this.principalOf(payload);
  }

  private principalOf(payload: JWTPayload): Principal {
    const tenant = payload[this.config.tenantClaim];
    if (typeof tenant !== 'string' || tenant === '') {
      throw new TokenRejectedError(`the token has no "${this.config.tenantClaim}" claim naming a tenant`);
    }
    const raw = payload[this.config.scopesClaim];
    const listed =
      typeof raw === 'string'
        ? raw.split(/\s+/)
        : Array.isArray(raw)
          ? raw.filter((item): item is string => typeof item === 'string')
          : [];
    const scopes = new Set<Scope>(listed.filter(isScope));
    const expiresAt =
      typeof payload.exp === 'number' ? (payload.exp + this.config.clockToleranceSec) * 1000 : undefined;
    return Object.freeze({
      id: `jwt:${payload.sub ?? '(no sub)'}`,
      tenantId: tenant,
      scopes,
      kind: 'jwt' as const,
      ...(expiresAt === undefined ? {} : { expiresAt }),
    });
  }

  private async loadKey(): Promise<KeySource> {
    const { secret, publicKey, jwksUrl } = this.config;
    if (secret !== undefined) return new TextEncoder().encode(secret);
    if (publicKey !== undefined) return importSPKI(publicKey, 'RS256');
    return createRemoteJWKSet(new URL(jwksUrl!), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the token's "${error.claim}" claim is not accepted`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the token algorithm is not accepted';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no key of the issuer matches the token';
  if (
    error instanceof joseErrors.JWKSTimeout ||
    (error instanceof joseErrors.JOSEError && error.code === 'ERR_JWKS_INVALID')
  ) {
    return 'the issuer keys could not be loaded';
  }
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return 'the token is malformed';
  return 'the token could not be verified';
}
