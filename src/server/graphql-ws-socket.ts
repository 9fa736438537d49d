import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import { batchMessages, takeClaimedBatch } from './fast-path/prepared-batch.js';

/** What graphql-ws's context carries in `extra` for this adapter (as `graphql-ws/use/ws`). */
export interface WsExtra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
}

const KEEP_ALIVE_MS = 12_000;

/**
 * graphql-ws over `ws`: `graphql-ws/use/ws` with two changes on the way out.
 * - Every message written in one turn of the event loop goes to the TCP socket in one write:
 *   the socket is corked at the first message and uncorked on the next tick, instead of one
 *   `writev` per message.
 * - A `PreparedBatch` payload (the agentStream fast path) becomes one `next` message per event.
 * The protocol itself (close codes, ids, ping/pong) is graphql-ws's `makeServer`, unchanged.
 */
export function useGraphqlWsServer(options: ServerOptions<Record<string, unknown>, WsExtra>, wsServer: WebSocketServer): { dispose(): Promise<void> } {
  const isProd = process.env.NODE_ENV === 'production';
  const server = makeServer(options);
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

  wsServer.on('connection', (socket, request) => {
    socket.once('error', (err) => {
      console.error('Internal error emitted on a WebSocket socket. Please check your implementation.', err);
      socket.close(CloseCode.InternalServerError, internalError(err));
    });
    let pongWait: NodeJS.Timeout | null = null;
    const pingInterval = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), KEEP_ALIVE_MS);
      socket.once('pong', () => {
        if (pongWait) clearTimeout(pongWait);
        pongWait = null;
      });
      socket.ping();
    }, KEEP_ALIVE_MS);

    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => {
          // Always claim: a batch serialized for a socket that closed meanwhile must not linger.
          const batch = takeClaimedBatch();
          if (socket.readyState !== socket.OPEN) return Promise.resolve();
          corkForThisTick(socket);
          const messages = batch ? batchMessages(data, batch) : null;
          if (!messages) return sendOne(socket, data);
          for (let index = 0; index < messages.length - 1; index++) socket.send(messages[index]!);
          return sendOne(socket, messages[messages.length - 1]!);
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (callback) =>
          socket.on('message', async (event) => {
            try {
              await callback(String(event));
            } catch (err) {
              console.error('Internal error occurred during message handling. Please check your implementation.', err);
              socket.close(CloseCode.InternalServerError, internalError(err));
            }
          }),
      },
      { socket, request },
    );

    socket.once('close', (code, reason) => {
      if (pongWait) clearTimeout(pongWait);
      clearInterval(pingInterval);
      void closed(code, String(reason));
    });
  });

  return {
    async dispose() {
      for (const client of wsServer.clients) client.close(1001, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) => wsServer.close((err) => (err ? reject(err) : resolve())));
    },
  };
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
