import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { LogConfig } from 'kysely';
import type { Database } from './database.js';
import { createKyselyStore } from './kysely-store.js';
import type { Store } from './types.js';

export interface SqliteStoreOptions {
  /** A file path (its parent directory is created) or `':memory:'`. */
  filename: string;
  /** Kysely query logging, e.g. to count statements in tests. */
  log?: LogConfig;
}

/**
 * Opens the embedded SQLite store and applies pending migrations before returning.
 * `close()` destroys Kysely, which closes the database.
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const { filename } = options;
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });

  const sqlite = new SqliteDatabase(filename);
  try {
    // WAL lets readers run beside the writer; NORMAL is durable across process crashes in WAL
    // mode (only an OS crash can lose the last commits); the timeout rides out a checkpoint.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
  } catch (error) {
    sqlite.close();
    throw error;
  }

  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
  const store = createKyselyStore(db, 'sqlite');
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
