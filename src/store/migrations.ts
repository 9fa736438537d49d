import { inspect } from 'node:util';
import { Migrator } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './migrations/0001-initial.js';
import { history } from './migrations/0002-history.js';
import { toolCalls } from './migrations/0003-tool-calls.js';
import { leases } from './migrations/0004-leases.js';
import { interrupts } from './migrations/0005-interrupts.js';
import { runtime } from './migrations/0006-runtime.js';
import { runControl } from './migrations/0007-run-control.js';
import { admissionIndex } from './migrations/0008-admission-index.js';
import type { MigrationDb } from './migrations/migration-db.js';

/*
 * Migrations are written once with the schema builder and must run unchanged on SQLite and
 * PostgreSQL: JSON is `text`, times are `bigint` epoch milliseconds, booleans are `integer` 0/1.
 * Never edit a migration that has shipped; append a new one. Names sort in execution order.
 * Each migration is one file in migrations/, named by its number; this file only lists them.
 */

/** Every migration, keyed by name; the order of execution is the sorted order of the names. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_history': history,
  '0003_tool_calls': toolCalls,
  '0004_leases': leases,
  '0005_interrupts': interrupts,
  '0006_runtime': runtime,
  '0007_run_control': runControl,
  '0008_admission_index': admissionIndex,
};

/** In-code provider, so a bundled or installed build never reads migration files at runtime. */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...MIGRATIONS }),
};

/** Own table names, so a shared PostgreSQL database can host other Kysely apps' migrations. */
export const MIGRATION_TABLE = 'synapse_migration';
export const MIGRATION_LOCK_TABLE = 'synapse_migration_lock';

/**
 * Creates the store's `Migrator` over `db`. On PostgreSQL pass the schema the store lives in
 * (`current_schema()`): without it Kysely looks for its tables in every schema, so a second
 * Synapse in another schema of the same database would make it skip creating its own.
 */
export function createMigrator(db: MigrationDb, migrationTableSchema?: string): Migrator {
  return new Migrator({
    db,
    provider: migrationProvider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
  });
}

/**
 * Applies every pending migration; a no-op when the schema is current.
 * @throws the migration's error, naming the migration that failed.
 */
export async function migrateToLatest(db: MigrationDb, migrationTableSchema?: string): Promise<void> {
  const { error, results } = await createMigrator(db, migrationTableSchema).migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '(migrator)';
  const detail = error instanceof Error ? error.message : typeof error === 'string' ? error : inspect(error);
  throw new Error(`store migration ${failed} failed: ${detail}`, { cause: error });
}
