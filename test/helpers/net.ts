import type { Server } from 'node:net';
import { createServer } from 'node:net';

/**
 * Starts `server` on an ephemeral loopback port and resolves with the port. Works for any
 * `net.Server` (node:http, node:https and ws servers included).
 */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A loopback port that was free a moment ago: nothing listens there (until someone takes it). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listenOnLoopback(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
