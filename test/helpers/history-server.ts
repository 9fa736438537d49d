import type { Store } from '../../src/store/index.js';
import { createPgTestSchema } from './postgres.js';
import { startSynapse } from './synapse.js';

export type TestServer = Awaited<ReturnType<typeof startSynapse>>;

export interface HistoryBackend {
  name: string;
  /** A gateway on loopback over this store; `stop()` also drops what the store created. */
  start(config?: Record<string, unknown>): Promise<TestServer>;
}

/** Gateways over each store: SQLite in a temp dir, and a throwaway schema on the PostgreSQL server. */
export const HISTORY_BACKENDS: HistoryBackend[] = [
  { name: 'SQLite', start: (config = {}) => startSynapse({ config }) },
  {
    name: 'PostgreSQL',
    async start(config = {}) {
      const schema = await createPgTestSchema();
      try {
        const server = await startSynapse({ config: { ...config, database: { url: schema.url } } });
        const stop = server.stop.bind(server);
        return Object.assign(server, {
          async stop() {
            await stop();
            await schema.drop();
          },
        });
      } catch (error) {
        await schema.drop();
        throw error;
      }
    },
  },
];

let counter = 0;

/** Inserts a finished workflow straight into the store (faster than running an agent). */
export async function insertWorkflow(
  store: Store,
  fields: {
    createdAt: Date;
    tenantId?: string;
    agentId?: string;
    threadId?: string | null;
    metadata?: unknown;
    id?: string;
  },
) {
  counter += 1;
  return store.createWorkflow({
    id: fields.id ?? `wf-${fields.createdAt.getTime()}-${String(counter).padStart(6, '0')}`,
    tenantId: fields.tenantId ?? 'default',
    kind: 'AGENT_RUN',
    status: 'SUCCEEDED',
    agentId: fields.agentId ?? 'demo',
    threadId: fields.threadId ?? null,
    input: { prompt: 'hi' },
    metadata: fields.metadata ?? null,
    createdAt: fields.createdAt,
  });
}
