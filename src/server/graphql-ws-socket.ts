import type { Socket } from 'node:net';
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';
import { batchMessages, takeClaimedBatch } from './fast-path/prepared-batch.js';

/**
 * What graphql-ws's context carries in `extra` for this adapter. Unlike `graphql-ws/use/ws`, not
 * the upgrade request: nothing after the upgrade needs it (the Origin is checked at the upgrade,
 * credentials come in `connectionParams`), and kept it would hold its headers for as long as
 * the socket lives (docs/performance.md, idle subscriptions).
 */
export interface WsExtra {
  readonly socket: WebSocket;
}

const KEEP_ALIVE_MS = 12_000;

/**
 * graphql-ws over `ws`: `graphql-ws/use/ws` with changes on the way out and in what a socket holds.
 * - Every message written in one turn of the event loop goes to the TCP socket in one write:
 *   the socket is corked at the first message and uncorked on the next tick, instead of one
 *   `writev` per message.
 * - A `PreparedBatch` payload (the agentStream fast path) becomes one `next` message per event.
 * - Per socket, no closures and no timers: one object adapts it for graphql-ws, and one interval
 *   for the whole server pings every socket (a socket that has not answered the previous ping
 *   12 s later is terminated, as graphql-ws's adapter does), and one timer closes the sockets
 *   that sent no `connection_init` in time (4408, graphql-ws's `connectionInitWaitTimeout`,
 *   whose own timer would stay referenced by every socket for its whole life).
 * The protocol itself (close codes, ids, ping/pong) is graphql-ws's `makeServer`, unchanged.
 */
export function useGraphqlWsServer(
  options: ServerOptions<Record<string, unknown>, WsExtra>,
  wsServer: WebSocketServer,
  /** Where refused frames and socket errors are logged, one JSON line each; default stderr text. */
  logger?: Logger,
): { dispose(): Promise<void> } {
  const isProd = process.env.NODE_ENV === 'production';
  const initWaitMs = options.connectionInitWaitTimeout ?? 3_000;
  const onConnect = options.onConnect;
  // Sockets waiting for their connection_init, with their deadline: in deadline order.
  const awaitingInit = new Map<WebSocket, number>();
  const server = makeServer({
    ...options,
    connectionInitWaitTimeout: 0,
    // graphql-ws calls it as soon as connection_init arrives (before anything is awaited).
    onConnect: (ctx) => {
      awaitingInit.delete(ctx.extra.socket);
      return onConnect?.(ctx);
    },
  });
  let initTimer: NodeJS.Timeout | null = null;
  const closeLateInits = () => {
    initTimer = null;
    const now = Date.now();
    for (const [socket, deadline] of awaitingInit) {
      if (deadline > now) {
        initTimer = setTimeout(closeLateInits, deadline - now);
        return;
      }
      awaitingInit.delete(socket);
      socket.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }
  };
  wsServer.options.handleProtocols = handleProtocols;
  const internalError = (err: unknown) =>
    isProd ? 'Internal server error' : limitCloseReason(err instanceof Error ? err.message : String(err), 'Internal server error');

  wsServer.once('error', (err) => {
    console.error('Internal error emitted on the WebSocket server. Please check your implementation.', err);
    for (const client of wsServer.clients) {
      try {
        client.close(CloseCode.InternalServerError, internalError(err));
      } catch {
        // Closing the others matters more than this one.
      }
    }
  });

  // Sockets pinged by the last keep-alive round that have not answered yet.
  const awaitingPong = new WeakSet<WebSocket>();
  let keepAlive: NodeJS.Timeout | null = null;
  const pingAll = () => {
    if (wsServer.clients.size === 0) {
      clearInterval(keepAlive!);
      keepAlive = null;
      return;
    }
    for (const socket of wsServer.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (awaitingPong.has(socket)) {
        socket.terminate();
        continue;
      }
      awaitingPong.add(socket);
      socket.ping();
    }
  };
  function onPong(this: WebSocket) {
    awaitingPong.delete(this);
  }
  function onSocketError(this: WebSocket, err: Error) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('WS_ERR_')) {
      // A frame `ws` refused (invalid UTF-8, over maxPayload, a protocol violation): the client's
      // fault, already answered by `ws` with its close code (1007, 1009, 1002). One line, no stack:
      // anyone can send these, unauthenticated, as fast as they like.
      if (logger) logger.warn('refused a WebSocket frame', { code, reason: err.message });
      else console.error(`refused a WebSocket frame: ${code}: ${err.message}`);
      return;
    }
    if (logger) logger.error('error on a WebSocket socket', { error: err });
    else console.error('Internal error emitted on a WebSocket socket. Please check your implementation.', err);
    this.close(CloseCode.InternalServerError, internalError(err));
  }
  const onMessageError = (socket: WebSocket, err: unknown) => {
    console.error('Internal error occurred during message handling. Please check your implementation.', err);
    socket.close(CloseCode.InternalServerError, internalError(err));
  };

  wsServer.on('connection', (socket) => {
    // `on`, not `once`: no wrapper per socket, and a second error cannot go unhandled.
    socket.on('error', onSocketError);
    socket.on('pong', onPong);
    keepAlive ??= setInterval(pingAll, KEEP_ALIVE_MS);
    if (socket.protocol === GRAPHQL_TRANSPORT_WS_PROTOCOL && initWaitMs > 0 && Number.isFinite(initWaitMs)) {
      awaitingInit.set(socket, Date.now() + initWaitMs);
      initTimer ??= setTimeout(closeLateInits, initWaitMs);
    }
    const closed = server.opened(new GraphqlWsSocket(socket, onMessageError), { socket });
    socket.on('close', (code, reason) => {
      awaitingPong.delete(socket);
      awaitingInit.delete(socket);
      void closed(code, String(reason));
    });
  });

  return {
    async dispose() {
      if (keepAlive) clearInterval(keepAlive);
      keepAlive = null;
      if (initTimer) clearTimeout(initTimer);
      initTimer = null;
      awaitingInit.clear();
      for (const client of wsServer.clients) client.close(1001, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) => wsServer.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/** graphql-ws's view of one socket (its `WebSocket` interface), as one object without closures. */
class GraphqlWsSocket {
  constructor(
    private readonly socket: WebSocket,
    private readonly onMessageError: (socket: WebSocket, err: unknown) => void,
  ) {}

  get protocol(): string {
    return this.socket.protocol;
  }

  send(data: string): Promise<void> {
    const socket = this.socket;
    // Always claim: a batch serialized for a socket that closed meanwhile must not linger.
    const batch = takeClaimedBatch();
    if (socket.readyState !== socket.OPEN) return Promise.resolve();
    corkForThisTick(socket);
    const messages = batch ? batchMessages(data, batch) : null;
    if (!messages) return sendOne(socket, data);
    for (let index = 0; index < messages.length - 1; index++) socket.send(messages[index]!);
    return sendOne(socket, messages[messages.length - 1]!);
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  onMessage(callback: (data: string) => Promise<void>): void {
    const { socket, onMessageError } = this;
    // Not an async function: graphql-ws's handler of a `subscribe` message settles only when the
    // subscription ends, and an await here would hold one more suspended frame per subscription.
    socket.on('message', (event) => {
      let handled: Promise<void>;
      try {
        handled = callback(String(event));
      } catch (err) {
        onMessageError(socket, err);
        return;
      }
      handled.catch((err: unknown) => onMessageError(socket, err));
    });
  }
}

function sendOne(socket: WebSocket, data: string): Promise<void> {
  return new Promise((resolve, reject) => socket.send(data, (err) => (err ? reject(err) : resolve())));
}

/** Holds the socket's writes until the next tick, so they leave in one `writev`. */
function corkForThisTick(socket: WebSocket): void {
  const tcp = (socket as unknown as { _socket?: Socket })._socket;
  if (!tcp || tcp.writableCorked > 0 || tcp.destroyed) return;
  tcp.cork();
  process.nextTick(() => tcp.uncork());
}

function limitCloseReason(reason: string, whenTooLong: string): string {
  return reason.length < 124 ? reason : whenTooLong;
}
