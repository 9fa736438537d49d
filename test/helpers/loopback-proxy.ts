import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { listenOnLoopback } from './net.js';
import { rawText } from './raw-data.js';

export interface LoopbackProxy {
  /** `http://127.0.0.1:<port>/graphql`: the gateway's URL through the proxy. */
  readonly url: string;
  /** How many client connections the proxy has accepted so far. */
  readonly connections: number;
  /**
   * Network-level drop: destroys every socket (no close frame) and drops new connections at
   * once until `restore`. The port stays bound, so nothing else can take it meanwhile.
   */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** A TCP proxy on loopback in front of `target`, which a test can cut like a network failure. */
export async function startTcpProxy(target: URL): Promise<LoopbackProxy> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let refusing = false;
  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    connections++;
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await listenOnLoopback(server);
  const port = (server.address() as AddressInfo).port;
  const destroyAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    get url() {
      return `http://127.0.0.1:${port}${target.pathname}`;
    },
    get connections() {
      return connections;
    },
    cut() {
      refusing = true;
      destroyAll();
    },
    restore() {
      refusing = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        destroyAll();
        server.close(() => resolve());
      }),
  };
}

export interface WebSocketRelay {
  readonly url: string;
  readonly connections: number;
  /** Closes every client socket with a close frame and this code, as a restarting server does. */
  closeClients(code: number, reason: string): void;
  close(): Promise<void>;
}

/**
 * A WebSocket relay (as a load balancer or an edge proxy is) in front of the gateway's
 * graphql-ws endpoint: messages pass through unchanged; `closeClients` sends clients a proper
 * close frame from the server side.
 */
export async function startWebSocketRelay(target: URL): Promise<WebSocketRelay> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => [...protocols][0] ?? false,
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  let connections = 0;
  const wsTarget = target.href.replace(/^http/, 'ws');
  server.on('connection', (client) => {
    connections++;
    const upstream = new WebSocket(wsTarget, client.protocol);
    const early: string[] = [];
    client.on('message', (data, isBinary) => {
      const message = isBinary ? data : rawText(data);
      if (upstream.readyState === WebSocket.OPEN) upstream.send(message);
      else early.push(rawText(data));
    });
    upstream.on('open', () => {
      for (const message of early.splice(0)) upstream.send(message);
    });
    upstream.on('message', (data, isBinary) => {
      if (client.readyState === WebSocket.OPEN) client.send(isBinary ? data : rawText(data));
    });
    upstream.on('close', (code, reason) => {
      if (client.readyState === WebSocket.OPEN) client.close(code === 1005 ? 1000 : code, reason);
    });
    upstream.on('error', () => client.terminate());
    client.on('close', () => upstream.close());
    client.on('error', () => upstream.terminate());
  });
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    get connections() {
      return connections;
    },
    closeClients(code, reason) {
      for (const client of server.clients) client.close(code, reason);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
