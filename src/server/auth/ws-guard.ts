import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Context } from 'graphql-ws';
import type { Logger } from '../../logger.js';
import { limitExceeded } from '../limits/limit-error.js';
import type { Authenticator } from './authenticator.js';
import type { Principal } from '../../schema/principal.js';

/** graphql-ws close code for refused credentials (the protocol's Forbidden). */
export const WS_FORBIDDEN = 4403;

export interface WsGuardOptions {
  authenticator: Authenticator;
  /** Active operations (subscriptions and in-flight queries) one socket may hold. */
  subscriptionsPerConnection: number;
  /** Browser origins allowed to open a socket; undefined: any. */
  allowedOrigins?: readonly string[];
  logger: Logger;
}

/**
 * Security of the graphql-ws path, where yoga's HTTP-only plugins (CSRF, body limits) never
 * run: the Origin check at upgrade, authentication once at `connection_init`, and the cap on
 * operations per socket. Everything else (scopes, query limits, rate limits) is enforced by the
 * envelop plugins that graphql-ws executes through.
 */
export class WsGuard {
  private readonly principals = new WeakMap<object, Principal>();

  constructor(private readonly options: WsGuardOptions) {}

  /**
   * For ws's `verifyClient`: a browser on an origin not listed is refused before the upgrade. A
   * page of the gateway's own origin (the Studio at /studio) is not cross-site and is let through.
   */
  readonly verifyClient = (info: { origin: string; req: IncomingMessage }): boolean => {
    const allowed = this.options.allowedOrigins;
    // Non-browser clients send no Origin; cross-site requests need a browser, which always sends one.
    if (!allowed || !info.origin) return true;
    return allowed.includes(info.origin) || isSameOrigin(info.origin, info.req);
  };

  /** graphql-ws `onConnect`: authenticates `connectionParams.authorization`; a refusal closes with 4403. */
  readonly onConnect = async (
    ctx: Context<Record<string, unknown> | undefined, { socket: ClosableSocket }>,
  ): Promise<boolean> => {
    try {
      const principal = await this.options.authenticator.authenticate(ctx.connectionParams?.authorization);
      this.principals.set(ctx, principal);
      if (principal.expiresAt !== undefined) closeAtExpiry(ctx.extra.socket, principal.expiresAt);
      return true;
    } catch (error) {
      const message = error instanceof GraphQLError ? error.message : 'authentication failed';
      if (!(error instanceof GraphQLError)) this.options.logger.error('graphql-ws authentication failed', { error });
      // Closed here (not by returning false) so the reason says why; graphql-ws's own close is then a no-op.
      ctx.extra.socket.close(WS_FORBIDDEN, truncateReason(`Forbidden: ${message}`));
      return false;
    }
  };

  /** The principal authenticated at `connection_init`. */
  principalOf(ctx: object): Principal | undefined {
    return this.principals.get(ctx);
  }

  /** Errors to return from `onSubscribe` when the socket is over its operation cap, else null. */
  checkOperationCount(ctx: Context): GraphQLError[] | null {
    // graphql-ws reserves the slot of the operation being subscribed before onSubscribe runs.
    const active = Object.keys(ctx.subscriptions).length;
    const max = this.options.subscriptionsPerConnection;
    return active > max
      ? [limitExceeded('subscriptionsPerConnection', max, `at most ${max} operations may be active on one connection`)]
      : null;
  }
}

interface ClosableSocket {
  close(code: number, reason: string): void;
  once?(event: 'close', listener: () => void): unknown;
}

/**
 * A socket outlives no credential: when the JWT it was opened with expires, it is closed with
 * 4403, and the client reconnects with a fresh token (graphql-ws clients do, with new
 * connectionParams). A closed socket clears its timer.
 */
function closeAtExpiry(socket: ClosableSocket, expiresAt: number): void {
  const delay = Math.max(0, expiresAt - Date.now());
  if (delay > 2_147_483_647) return; // beyond setTimeout's range (24.8 days): not worth a timer
  const timer = setTimeout(() => socket.close(WS_FORBIDDEN, 'Forbidden: the token has expired'), delay);
  timer.unref();
  socket.once?.('close', () => clearTimeout(timer));
}

/** WebSocket close reasons are limited to 123 bytes. */
function truncateReason(reason: string): string {
  const bytes = Buffer.from(reason, 'utf8');
  return bytes.length <= 123 ? reason : `${bytes.subarray(0, 120).toString('utf8')}...`;
}

/** Whether `origin` is the origin the request was addressed to (its Host header, over http or https). */
function isSameOrigin(origin: string, request: IncomingMessage): boolean {
  const host = request.headers.host;
  if (!host) return false;
  try {
    const url = new URL(origin);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && url.host === new URL(`${url.protocol}//${host}`).host
    );
  } catch {
    return false;
  }
}
