import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { createConsoleLogger, type Logger } from '../logger.js';
import { batchMessages, HeldBatches, PreparedBatch } from '../subscription/index.js';

/**
 * What graphql-ws's context carries in `extra` for this adapter: the adapter's object for the
 * socket itself (`GraphqlWsSocket`), so a socket costs one object. Unlike `graphql-ws/use/ws`,
 * not the upgrade request: nothing after the upgrade needs it (the Origin is checked at the
 * upgrade, credentials come in `connectionParams`), and kept it would hold its headers for as
 * long as the socket lives (docs/performance.md, idle subscriptions).
 */
export interface WsExtra {
  readonly socket: WebSocket;
  /**
   * Holds an agentStream fast-path batch (src/subscription/prepared-batch.ts) under its
   * operation id until graphql-ws sends that operation's `next` message through this socket,
   * which then becomes one `next` message per event. Called by the adapter's `onNext` hook.
   */
  holdBatch(operationId: string, batch: PreparedBatch): void;
}

const KEEP_ALIVE_MS = 12_000;

/**
 * graphql-ws over `ws`: `graphql-ws/use/ws` with changes on the way out and in what a socket holds.
 * - Every message written in one turn of the event loop goes to the TCP socket in one write:
 *   the connection (the upgrade request's `socket`, which `ws` writes its frames to) is corked
 *   at the first message and uncorked on the next tick, instead of one `writev` per message.
 * - A `PreparedBatch` result (the agentStream fast path) becomes one `next` message per event:
 *   the `onNext` hook holds it on the socket's object under the operation id (`WsExtra.holdBatch`)
 *   and `send` takes it back when graphql-ws sends that operation's message.
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
  /** Where refused frames and socket errors are logged, one JSON line each (default: stderr). */
  logger: Logger = createConsoleLogger(),
): { dispose(): Promise<void> } {
  const isProd = process.env.NODE_ENV === 'production';
  const initWaitMs = options.connectionInitWaitTimeout ?? 3_000;
  const onConnect = options.onConnect;
  const onNext = options.onNext;
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
    onNext: (ctx, id, payload, args, result) => {
      if (!(result instanceof PreparedBatch)) return onNext?.(ctx, id, payload, args, result);
      ctx.extra.holdBatch(id, result);
      // graphql-ws serializes it as the message's payload (`null`, see PreparedBatch.toJSON).
      return result;
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
    isProd
      ? 'Internal server error'
      : limitCloseReason(err instanceof Error ? err.message : String(err), 'Internal server error');

  wsServer.once('error', (err) => {
    logger.error('error on the WebSocket server', { error: err });
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
      logger.warn('refused a WebSocket frame', { code, reason: err.message });
      return;
    }
    logger.error('error on a WebSocket socket', { error: err });
    this.close(CloseCode.InternalServerError, internalError(err));
  }
  const onMessageError = (socket: WebSocket, err: unknown) => {
    logger.error('error while handling a graphql-ws message', { error: err });
    socket.close(CloseCode.InternalServerError, internalError(err));
  };

  wsServer.on('connection', (socket, request: IncomingMessage) => {
    // `on`, not `once`: no wrapper per socket, and a second error cannot go unhandled.
    socket.on('error', onSocketError);
    socket.on('pong', onPong);
    keepAlive ??= setInterval(pingAll, KEEP_ALIVE_MS);
    if (socket.protocol === GRAPHQL_TRANSPORT_WS_PROTOCOL && initWaitMs > 0 && Number.isFinite(initWaitMs)) {
      awaitingInit.set(socket, Date.now() + initWaitMs);
      initTimer ??= setTimeout(closeLateInits, initWaitMs);
    }
    const adapter = new GraphqlWsSocket(socket, request.socket, onMessageError);
    const closed = server.opened(adapter, adapter);
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

/**
 * graphql-ws's view of one socket (its `WebSocket` interface) and the `extra` of its context
 * (`WsExtra`), as one object without closures.
 */
class GraphqlWsSocket implements WsExtra {
  /** Fast-path batches waiting for their `next` message (allocated with the first one). */
  private heldBatches: HeldBatches | null = null;

  constructor(
    readonly socket: WebSocket,
    /** The connection `ws` writes this socket's frames to (public: the upgrade request's `socket`). */
    private readonly connection: Duplex,
    private readonly onMessageError: (socket: WebSocket, err: unknown) => void,
  ) {}

  get protocol(): string {
    return this.socket.protocol;
  }

  holdBatch(operationId: string, batch: PreparedBatch): void {
    (this.heldBatches ??= new HeldBatches()).hold(operationId, batch);
  }

  send(data: string): Promise<void> {
    const socket = this.socket;
    // Taken before the state check: a batch held for a socket that closed meanwhile must not linger.
    const batch = this.heldBatches?.take(data) ?? null;
    if (socket.readyState !== socket.OPEN) return Promise.resolve();
    corkForThisTick(this.connection);
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
        handled = callback(rawDataText(event));
      } catch (err) {
        onMessageError(socket, err);
        return;
      }
      handled.catch((err: unknown) => onMessageError(socket, err));
    });
  }
}

/** A message's text: a Buffer with `ws`'s default `binaryType` ('nodebuffer', the one used here). */
function rawDataText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString();
  return Array.isArray(data) ? Buffer.concat(data).toString() : Buffer.from(data).toString();
}

function sendOne(socket: WebSocket, data: string): Promise<void> {
  return new Promise((resolve, reject) => socket.send(data, (err) => (err ? reject(err) : resolve())));
}

/**
 * Holds the connection's writes until the next tick, so they leave in one `writev`. `ws` has no
 * cork of its own; corking the stream it writes to is Node's public `Writable` API, and `ws`'s
 * own cork/uncork around a frame nests inside this one.
 */
function corkForThisTick(connection: Duplex): void {
  if (connection.writableCorked > 0 || connection.destroyed) return;
  connection.cork();
  process.nextTick(uncork, connection);
}

function uncork(connection: Duplex): void {
  connection.uncork();
}

function limitCloseReason(reason: string, whenTooLong: string): string {
  return reason.length < 124 ? reason : whenTooLong;
}
