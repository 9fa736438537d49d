import { Migrator } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { history } from './migrations/0002-history.js';
import { leases } from './migrations/0004-leases.js';
import { interrupts } from './migrations/0005-interrupts.js';
import { runControl } from './migrations/0007-run-control.js';
import { toolCallsMigration } from './tool-calls.js';
import { runtimeMigration } from './workflow-links.js';

/*
 * Migrations are written once with the schema builder and must run unchanged on SQLite and
 * PostgreSQL: JSON is `text`, times are `bigint` epoch milliseconds, booleans are `integer` 0/1.
 * Never edit a migration that has shipped; append a new one. Names sort in execution order.
 */

const initial: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('workflows')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().defaultTo('default'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text')
      .addColumn('thread_id', 'text')
      .addColumn('input', 'text')
      .addColumn('output', 'text')
      .addColumn('text', 'text')
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('error_retryable', 'integer')
      .addColumn('usage', 'text')
      .addColumn('metadata', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('finished_at', 'bigint')
      .addColumn('last_sequence', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    // Listing is newest-first per tenant, keyset on (created_at, id).
    await db.schema
      .createIndex('workflows_tenant_created_idx')
      .on('workflows')
      .columns(['tenant_id', 'created_at', 'id'])
      .execute();
    await db.schema
      .createIndex('workflows_tenant_agent_created_idx')
      .on('workflows')
      .columns(['tenant_id', 'agent_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('workflows_tenant_status_created_idx')
      .on('workflows')
      .columns(['tenant_id', 'status', 'created_at'])
      .execute();
    await db.schema
      .createIndex('workflows_thread_created_idx')
      .on('workflows')
      .columns(['thread_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('events')
      .addColumn('workflow_id', 'text', (c) =>
        c.notNull().references('workflows.id').onDelete('cascade'),
      )
      .addColumn('sequence', 'integer', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('events_pkey', ['workflow_id', 'sequence'])
      .execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('events').execute();
    await db.schema.dropTable('workflows').execute();
  },
};

/** Every migration, keyed by name; the order of execution is the sorted order of the names. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_history': history,
  '0003_tool_calls': toolCallsMigration,
  '0004_leases': leases,
  '0005_interrupts': interrupts,
  '0006_runtime': runtimeMigration,
  '0007_run_control': runControl,
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
export function createMigrator(db: Kysely<any>, migrationTableSchema?: string): Migrator {
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
export async function migrateToLatest(db: Kysely<any>, migrationTableSchema?: string): Promise<void> {
  const { error, results } = await createMigrator(db, migrationTableSchema).migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '(migrator)';
  const detail = error instanceof Error ? error.message : String(error);
  throw new Error(`store migration ${failed} failed: ${detail}`, { cause: error });
}
