import { Kysely, PostgresDialect } from 'kysely';
import type { LogConfig } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { createKyselyStore } from './kysely-store.js';
import type { CommitGroupListener } from './group-commit.js';
import type { Store } from './types.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`; `?options=-c search_path=...` is honoured. */
  connectionString: string;
  /** Pool size (connections). Default 10. */
  maxConnections?: number;
  /** Kysely query logging, e.g. to count statements in tests. */
  log?: LogConfig;
  /** Apply pending migrations before returning. Default true. */
  migrate?: boolean;
  /** Told after every group commit (workflows in it, milliseconds), e.g. for a metric. */
  onCommitGroup?: CommitGroupListener;
}

/**
 * Opens the PostgreSQL store through a `pg` pool and Kysely's PostgresDialect, migrated unless
 * told otherwise. The first connection is made here, so an unreachable server fails start-up
 * instead of the first request. `close()` ends the pool.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    // Fail fast on a dead server rather than hang start-up or a request forever.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client that loses its connection emits 'error' on the pool: without a listener that
  // is an uncaught exception. The next query gets a fresh connection.
  pool.on('error', () => {});

  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
  const store = createKyselyStore(db, 'postgres', { onCommitGroup: options.onCommitGroup });
  try {
    await store.ping();
    if (options.migrate !== false) await store.migrate();
  } catch (error) {
    await store.close();
    throw new Error(`could not open the PostgreSQL store: ${describeError(error)}`, { cause: error });
  }
  return store;
}

/** The driver's message without the connection string (it may carry a password). */
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/postgres(?:ql)?:\/\/\S+/gi, '<database url>');
}
