import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SynapseServices } from '../schema/index.js';

/**
 * `/healthz`: the process serves. `/readyz`: the store and the pubsub answer, and the store
 * accepts writes (docs/errors.md, STORE_UNAVAILABLE); 503 with what is down otherwise, and while
 * draining for shutdown.
 * Returns false when the request is not for either path.
 */
export async function handleHealth(
  request: IncomingMessage,
  response: ServerResponse,
  services: SynapseServices,
): Promise<boolean> {
  const path = request.url?.split('?')[0];
  if (path === '/healthz') {
    reply(response, 200, { status: 'ok' });
    return true;
  }
  if (path !== '/readyz') return false;
  const [storeAnswers, pubsub] = await Promise.all([
    probe(() => services.store.ping()),
    probe(() => services.pubsub.ping()),
  ]);
  // A store that answers reads but refused this process's last writes (a full disk) is down too.
  const store = services.runs.storeHealth.isDown ? 'down' : storeAnswers;
  if (services.runs.isDraining) {
    reply(response, 503, { status: 'draining', store, pubsub });
  } else if (store === 'ok' && pubsub === 'ok') {
    reply(response, 200, { status: 'ok' });
  } else {
    reply(response, 503, { status: 'degraded', store, pubsub });
  }
  return true;
}

async function probe(check: () => Promise<void>): Promise<'ok' | 'down'> {
  try {
    await check();
    return 'ok';
  } catch {
    return 'down';
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
