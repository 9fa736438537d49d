import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { listenOnLoopback } from './net.js';

/** Bytes of the oversized answer of `/big`: well above the test sources' `maxResultBytes`. */
export const BIG_BODY_BYTES = 2 * 1024 * 1024;

export interface ToolServer {
  /** `http://127.0.0.1:port` */
  base: string;
  /** Every request received, in order: method, path and parsed JSON body. */
  requests: { method: string; path: string; body: unknown }[];
  /** Answers every request held by `/held` with this JSON body. */
  releaseHeld(body: unknown): void;
  /** Resolves when the server next receives a request for `path`. */
  nextRequest(path: string): Promise<void>;
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, body: unknown, response: ServerResponse) => void;

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * A real HTTP tool server on loopback: plain HTTP tools and a Python-wrapper-style agent tool
 * endpoint (`POST /agents/{agent_id}/tool_call` with `{tool_name, arguments}`).
 */
const ROUTES: Record<string, Handler> = {
  'POST /lookup': (_request, body, response) => json(response, 200, { found: true, query: body }),
  'GET /weather': (request, _body, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    json(response, 200, { city: url.searchParams.get('city'), days: Number(url.searchParams.get('days')), tempC: 21 });
  },
  'POST /text': (_request, _body, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('plain words');
  },
  'POST /hang': () => {
    // Never answers: the gateway's timeout must end the call.
  },
  'POST /big': (_request, _body, response) => {
    // Chunked, no content-length: the byte budget must stop the read mid-stream.
    response.writeHead(200, { 'content-type': 'application/json' });
    const chunk = `"${'x'.repeat(64 * 1024 - 2)}",`;
    response.write('[');
    for (let written = 0; written < BIG_BODY_BYTES; written += chunk.length) response.write(chunk);
    response.end('"end"]');
  },
  'POST /fail': (_request, _body, response) => json(response, 503, { error: 'overloaded' }),
  'POST /agents/support/tool_call': (_request, body, response) => {
    const { tool_name: toolName, arguments: args } = body as { tool_name: string; arguments: Record<string, unknown> };
    if (toolName === 'get_weather')
      return json(response, 200, { result: { city: args.city, forecast: 'sunny', unit: args.unit ?? 'C' } });
    if (toolName === 'explode') {
      return json(response, 500, {
        status: 'error',
        error_type: 'ValueError',
        message: `cannot explode ${String(args.what)}`,
      });
    }
    return json(response, 404, { status: 'error', error_type: 'KeyError', message: `unknown tool ${toolName}` });
  },
};

export async function startToolServer(): Promise<ToolServer> {
  const requests: ToolServer['requests'] = [];
  const sockets = new Set<Socket>();
  const waiters: { path: string; resolve: () => void }[] = [];
  const held: ServerResponse[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body: unknown = text ? JSON.parse(text) : null;
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      requests.push({ method: request.method ?? '', path, body });
      for (const waiter of waiters.filter((entry) => entry.path === path)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const handler = ROUTES[`${request.method} ${path}`];
      if (path === '/held') held.push(response);
      else if (handler) handler(request, body, response);
      else json(response, 404, { error: 'no such route' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listenOnLoopback(server);
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    releaseHeld: (body) => {
      for (const response of held.splice(0)) json(response, 200, body);
    },
    nextRequest: (path) => new Promise<void>((resolve) => waiters.push({ path, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
