import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { LogConfig } from 'kysely';
import pg from 'pg';
import { openPostgresStore, openSqliteStore, type NewWorkflow, type Store } from '../../src/store/index.js';
import { createPgTestSchema } from './postgres.js';

/** A new agent-run workflow of tenant `default` for the demo agent, QUEUED, created now; `fields` override. */
export function newWorkflowRecord(id: string, fields: Partial<NewWorkflow> = {}): NewWorkflow {
  return {
    id,
    tenantId: 'default',
    kind: 'AGENT_RUN',
    status: 'QUEUED',
    agentId: 'demo',
    threadId: null,
    input: {},
    metadata: null,
    createdAt: new Date(),
    ...fields,
  };
}

/** A store under test, plus raw SQL on the same database (for tables other migrations add). */
export type TestStore = Store & {
  /** Runs one statement on a second connection to the same database; returns its rows. */
  exec(statement: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /**
   * Another store on the same database, with its own connection(s), as a second gateway instance
   * would open it; closed with the test store.
   */
  peer(): Promise<Store>;
};

export interface Backend {
  name: string;
  dialect: 'sqlite' | 'postgres';
  /** A fresh, empty, migrated store; closing it drops what it created. */
  open(options?: { log?: LogConfig }): Promise<TestStore>;
}

/** One suite, every store: SQLite in a temp file and a throwaway schema on the real PostgreSQL server. */
export const BACKENDS: Backend[] = [
  {
    name: 'SQLite',
    dialect: 'sqlite',
    async open(options = {}) {
      const dir = mkdtempSync(join(tmpdir(), 'synapse-store-'));
      const filename = join(dir, 'synapse.db');
      const store = await openSqliteStore({ filename, ...options });
      let side: SqliteDatabase.Database | null = null;
      const peers: Store[] = [];
      return {
        ...store,
        async exec(statement, params = []) {
          side ??= new SqliteDatabase(filename);
          const prepared = side.prepare(statement);
          return prepared.reader
            ? (prepared.all(...params) as Record<string, unknown>[])
            : (prepared.run(...params), []);
        },
        async peer() {
          const peer = await openSqliteStore({ filename });
          peers.push(peer);
          return peer;
        },
        async close() {
          side?.close();
          await Promise.all(peers.map((peer) => peer.close()));
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    dialect: 'postgres',
    async open(options = {}) {
      const schema = await createPgTestSchema();
      try {
        const store = await openPostgresStore({ connectionString: schema.url, ...options });
        const peers: Store[] = [];
        return {
          ...store,
          async exec(statement, params = []) {
            const client = new pg.Client({ connectionString: schema.url });
            await client.connect();
            try {
              return (await client.query(statement, params)).rows as Record<string, unknown>[];
            } finally {
              await client.end();
            }
          },
          async peer() {
            const peer = await openPostgresStore({ connectionString: schema.url, migrate: false });
            peers.push(peer);
            return peer;
          },
          async close() {
            await Promise.all(peers.map((peer) => peer.close()));
            await store.close();
            await schema.drop();
          },
        };
      } catch (error) {
        await schema.drop();
        throw error;
      }
    },
  },
];
