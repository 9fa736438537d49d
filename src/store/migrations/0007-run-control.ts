import { PostgresAdapter, sql, type Migration } from 'kysely';
import type { MigrationDb } from './migration-db.js';

/**
 * 0007_run_control (issue 22, docs/run-control.md).
 *
 * - `idempotency_keys`: one row per (tenant, key): the workflow the key answers, a fingerprint of
 *   the request (same key, other request: IdempotencyConflictError) and when it was claimed
 *   (epoch milliseconds; a claim older than 24 h may be taken again). The primary key is what
 *   makes racing starts, on any number of instances, create exactly one workflow.
 * - `workflows_queue_idx (owner_id, created_at)`: queued workflows are parked with
 *   `owner_id = 'queue'` (src/store/run-queue.ts); every instance reads them oldest first.
 * - `webhook_outbox`: one row per (workflow, status) for the statuses webhooks report, inserted by
 *   the trigger `workflows_webhook_outbox` in the same transaction as the status change (so no
 *   status change is missed, whoever commits it). `fanned_out` 0/1: copied into deliveries yet.
 * - `webhook_deliveries`: one row per (outbox row, endpoint): its attempts, next attempt, state
 *   (PENDING, DELIVERED, FAILED) and a claim (`locked_by`, `locked_until`) so one instance at a time
 *   attempts it (src/store/outbox.ts).
 */
export const runControl: Migration = {
  async up(db: MigrationDb): Promise<void> {
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pkey', ['tenant_id', 'key'])
      .execute();
    await db.schema.createIndex('workflows_queue_idx').on('workflows').columns(['owner_id', 'created_at']).execute();

    await db.schema
      .createTable('webhook_outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('fanned_out', 'integer', (c) => c.notNull().defaultTo(0))
      .addUniqueConstraint('webhook_outbox_workflow_status_key', ['workflow_id', 'status'])
      .execute();
    await db.schema
      .createIndex('webhook_outbox_fan_idx')
      .on('webhook_outbox')
      .columns(['fanned_out', 'created_at'])
      .execute();
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('outbox_id', 'text', (c) => c.notNull())
      .addColumn('endpoint', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('last_status_code', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('delivered_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('locked_by', 'text')
      .addColumn('locked_until', 'bigint')
      .addUniqueConstraint('webhook_deliveries_outbox_endpoint_key', ['outbox_id', 'endpoint'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_due_idx')
      .on('webhook_deliveries')
      .columns(['state', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_workflow_idx')
      .on('webhook_deliveries')
      .columns(['workflow_id'])
      .execute();

    const statuses = sql.raw(`('SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED', 'INPUT_REQUIRED')`);
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`create or replace function synapse_workflows_webhook_outbox() returns trigger language plpgsql as $$
        begin
          if new.status is distinct from old.status and new.status in ${statuses} then
            insert into webhook_outbox (id, workflow_id, status, created_at)
            values (new.id || ':' || new.status, new.id, new.status, (extract(epoch from clock_timestamp()) * 1000)::bigint)
            on conflict do nothing;
          end if;
          return new;
        end $$`.execute(db);
      await sql`create trigger workflows_webhook_outbox after update of status on workflows for each row execute function synapse_workflows_webhook_outbox()`.execute(
        db,
      );
    } else {
      await sql`create trigger workflows_webhook_outbox after update of status on workflows
        when new.status <> old.status and new.status in ${statuses}
        begin
          insert or ignore into webhook_outbox (id, workflow_id, status, created_at)
          values (new.id || ':' || new.status, new.id, new.status, cast((julianday('now') - 2440587.5) * 86400000 as integer));
        end`.execute(db);
    }
  },
  async down(db: MigrationDb): Promise<void> {
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`drop trigger workflows_webhook_outbox on workflows`.execute(db);
      await sql`drop function synapse_workflows_webhook_outbox()`.execute(db);
    } else {
      await sql`drop trigger workflows_webhook_outbox`.execute(db);
    }
    await db.schema.dropTable('webhook_deliveries').execute();
    await db.schema.dropTable('webhook_outbox').execute();
    await db.schema.dropIndex('workflows_queue_idx').execute();
    await db.schema.dropTable('idempotency_keys').execute();
  },
};
