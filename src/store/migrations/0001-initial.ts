import type { Migration } from 'kysely';
import type { MigrationDb } from './migration-db.js';

/** 0001_initial: the workflows and their events. */
export const initial: Migration = {
  async up(db: MigrationDb): Promise<void> {
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
      .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.id').onDelete('cascade'))
      .addColumn('sequence', 'integer', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('events_pkey', ['workflow_id', 'sequence'])
      .execute();
  },
  async down(db: MigrationDb): Promise<void> {
    await db.schema.dropTable('events').execute();
    await db.schema.dropTable('workflows').execute();
  },
};
