import type { Kysely, Migration } from 'kysely';

/**
 * 0007_run_control (issue 22, docs/run-control.md).
 *
 * - `idempotency_keys`: one row per (tenant, key): the workflow the key answers, a fingerprint of
 *   the request (same key, other request: IdempotencyConflictError) and when it was claimed
 *   (epoch milliseconds; a claim older than 24 h may be taken again). The primary key is what
 *   makes racing starts, on any number of instances, create exactly one workflow.
 * - `workflows_queue_idx (owner_id, created_at)`: queued workflows are parked with
 *   `owner_id = 'queue'` (src/store/run-queue.ts); every instance reads them oldest first.
 */
export const runControl: Migration = {
  async up(db: Kysely<any>): Promise<void> {
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
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('workflows_queue_idx').execute();
    await db.schema.dropTable('idempotency_keys').execute();
  },
};
