/**
 * Commit rate of the stores through the real Store code: `store.commit` of batches of 256
 * TextDelta events (the writer's largest batch), one workflow, sequential, in this process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { AgentEvent } from '../../src/events/index.js';
import { openPostgresStore, openSqliteStore, type Store } from '../../src/store/index.js';

export interface CommitResult {
  store: string;
  batches: number;
  batchSize: number;
  eventsPerSec: number;
  msPerBatch: number;
  skipped?: string;
}

const BATCH = 256;

async function measure(name: string, store: Store, batches: number): Promise<CommitResult> {
  const id = `bench-${process.pid}`;
  await store.createWorkflow({
    id,
    tenantId: 'default',
    kind: 'AGENT_RUN',
    status: 'RUNNING',
    agentId: 'bench',
    threadId: null,
    input: {},
    metadata: null,
    createdAt: new Date(),
  });
  let sequence = 0;
  const batchOf = () =>
    Array.from({ length: BATCH }, (): AgentEvent => {
      sequence++;
      return {
        type: 'TextDelta',
        messageId: 'm',
        delta: `${sequence}@1763790000000.123;`,
        workflowId: id,
        sequence,
        at: new Date().toISOString(),
      };
    });
  for (let i = 0; i < 5; i++) await store.commit(id, batchOf(), {}); // warm-up
  const started = performance.now();
  for (let i = 0; i < batches; i++) await store.commit(id, batchOf(), {});
  const ms = performance.now() - started;
  return {
    store: name,
    batches,
    batchSize: BATCH,
    eventsPerSec: Math.round((batches * BATCH) / (ms / 1000)),
    msPerBatch: Number((ms / batches).toFixed(3)),
  };
}

export async function commitSqlite(batches: number): Promise<CommitResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'synapse-bench-store-'));
  const store = await openSqliteStore({ filename: path.join(dir, 'synapse.db') });
  try {
    return await measure('sqlite (file, WAL, synchronous=NORMAL)', store, batches);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function commitPostgres(batches: number): Promise<CommitResult> {
  const base = /^postgres/.test(process.env.DATABASE_URL ?? '')
    ? process.env.DATABASE_URL!
    : 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `synapse_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => {});
    return {
      store: 'postgresql',
      batches: 0,
      batchSize: BATCH,
      eventsPerSec: 0,
      msPerBatch: 0,
      skipped: `unreachable (${base}): ${(error as Error).message}`,
    };
  }
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    const url = `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const store = await openPostgresStore({ connectionString: url });
    try {
      return await measure('postgresql (127.0.0.1, fsync on)', store, batches);
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await admin.end();
  }
}
