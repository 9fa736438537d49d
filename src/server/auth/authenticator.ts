import { GraphQLError } from 'graphql';
import type { AuthConfig } from '../../config/index.js';
import { ConfigError, GraphqlErrorCode, TokenRejectedError } from '../../errors/index.js';
import { ApiKeyVerifier } from './api-keys.js';
import { JwtVerifier } from './jwt.js';
import { ANONYMOUS_PRINCIPAL, type Principal } from '../../schema/principal.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Longest credential looked at; anything longer is refused unread. */
const MAX_CREDENTIAL_LENGTH = 8_192;

/**
 * Turns the credential a caller presents (the `Authorization` header on HTTP and SSE, the
 * `authorization` field of graphql-ws `connection_init`) into a principal, the same way on
 * every transport. With authentication off, no credential means the anonymous principal; a
 * credential that is presented is still checked, and a bad one is refused, never ignored.
 */
export class Authenticator {
  private readonly verifiedTokens = new VerifiedTokenCache();

  private constructor(
    readonly required: boolean,
    private readonly apiKeys: ApiKeyVerifier,
    private readonly jwt: JwtVerifier | null,
  ) {}

  static async create(config: AuthConfig): Promise<Authenticator> {
    const jwt = config.jwt ? new JwtVerifier(config.jwt) : null;
    try {
      await jwt?.init();
    } catch (error) {
      throw new ConfigError('(auth)', [
        { path: 'auth.jwt.publicKey', message: `cannot be loaded: ${(error as Error).message}` },
      ]);
    }
    return new Authenticator(config.required, new ApiKeyVerifier(config.apiKeys), jwt);
  }

  /**
   * The principal for an `Authorization` value (`Bearer <key or JWT>`; a bare token is accepted
   * too, for graphql-ws clients that send just the token).
   * @throws GraphQLError UNAUTHENTICATED
   */
  async authenticate(authorization: unknown): Promise<Principal> {
    if (authorization === undefined || authorization === null || authorization === '') {
      if (this.required) throw unauthenticated('authentication required: send Authorization: Bearer <API key or JWT>');
      return ANONYMOUS_PRINCIPAL;
    }
    if (typeof authorization !== 'string' || authorization.length > MAX_CREDENTIAL_LENGTH) {
      throw unauthenticated('malformed credentials');
    }
    const token = /^bearer\s+/i.test(authorization)
      ? authorization.replace(/^bearer\s+/i, '').trim()
      : authorization.trim();
    if (token === '') throw unauthenticated('malformed credentials');
    const byKey = this.apiKeys.verify(token);
    if (byKey) return byKey;
    if (this.jwt && JWT_SHAPE.test(token)) {
      const cached = this.verifiedTokens.get(token);
      if (cached) return cached;
      try {
        const principal = await this.jwt.verify(token);
        this.verifiedTokens.set(token, principal);
        return principal;
      } catch (error) {
        if (error instanceof TokenRejectedError) throw unauthenticated(`invalid token: ${error.message}`);
        throw error;
      }
    }
    throw unauthenticated('invalid credentials');
  }
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: GraphqlErrorCode.UNAUTHENTICATED,
      http: { status: 401, headers: { 'www-authenticate': 'Bearer' } },
    },
  });
}
