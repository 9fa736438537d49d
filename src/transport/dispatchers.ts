import type { Pool } from 'undici';
import { loadUndici } from './undici.js';
import type { TransportSettings } from './settings.js';

const pools = new Map<string, Pool>();

/**
 * One undici Pool per upstream origin and pool settings, shared by every run of every agent that
 * talks to it, so keep-alive connections are reused across runs.
 */
export async function dispatcherFor(
  origin: string,
  settings: Pick<TransportSettings, 'poolConnections' | 'keepAliveMs' | 'connectMs' | 'headersMs' | 'bodyMs'>,
): Promise<Pool> {
  const { Pool } = await loadUndici();
  const key = `${origin}|${settings.poolConnections}|${settings.keepAliveMs}|${settings.connectMs}|${settings.headersMs}|${settings.bodyMs}`;
  let pool = pools.get(key);
  if (!pool || pool.closed || pool.destroyed) {
    pool = new Pool(origin, {
      connections: settings.poolConnections,
      keepAliveTimeout: settings.keepAliveMs,
      keepAliveMaxTimeout: Math.max(settings.keepAliveMs, 600_000),
      connect: { timeout: settings.connectMs },
      headersTimeout: settings.headersMs,
      bodyTimeout: settings.bodyMs,
    });
    pools.set(key, pool);
  }
  return pool;
}

/**
 * Whether a request dispatched to `pool` now waits for a connection: every one of its
 * `connections` carries a request (one per connection: undici does not pipeline by default).
 * Walks the pool's clients, so it is asked once per request, not per chunk.
 */
export function poolInUse(pool: Pool): number {
  return pool.stats.size;
}

let holders = 0;

/**
 * A gateway holds the shared pools while it serves; the last one to let go closes them, so its
 * keep-alive sockets do not outlive it, while other gateways in the same process (tests,
 * embedders) keep theirs. Returns the release function (idempotent).
 */
export function holdDispatchers(): () => Promise<void> {
  holders += 1;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    holders -= 1;
    if (holders === 0) await closeDispatchers();
  };
}

/** Closes every shared pool (server shutdown, tests). */
export async function closeDispatchers(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.allSettled(all.map((pool) => pool.destroy()));
}
