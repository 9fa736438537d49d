import type { Server } from 'node:net';
import { connect, createServer } from 'node:net';

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

/**
 * A loopback port where a connection is refused and stays refused: one below the kernel's
 * ephemeral range (32768–60999 by default on Linux), where every `listen(0)` of the suite takes
 * its port. A port from `freePort` can be taken by another test's server between the probe and
 * the connect; the test that expected ECONNREFUSED then got that server's HTTP 400.
 */
export async function refusedPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if (await refuses(port)) return port;
  }
  throw new Error('no refused loopback port found between 20000 and 29999');
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
