import type { Migration } from 'kysely';
import type { MigrationDb } from './migration-db.js';

/**
 * 0004_leases (issue 8): ownership of unfinished workflows by gateway instances.
 *
 * - `owner_id`: the instance id holding the workflow's lease (NULL on rows from before this
 *   migration: they count as expired, so the first sweep closes them).
 * - `lease_epoch`: grows by one on every takeover; every commit of the owner checks it (fencing).
 *   0 for rows without a lease, 1 when a workflow is created with one.
 * - `lease_expires_at`: epoch milliseconds; the owner pushes it forward, the sweep takes over
 *   unfinished workflows past it.
 * - `workflows_lease_sweep_idx (status, lease_expires_at)`: the sweep reads the QUEUED/RUNNING
 *   rows in expiry order, a range scan over the few unfinished rows, not the whole history.
 */
export const leases: Migration = {
  async up(db: MigrationDb): Promise<void> {
    await db.schema.alterTable('workflows').addColumn('owner_id', 'text').execute();
    await db.schema
      .alterTable('workflows')
      .addColumn('lease_epoch', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('workflows').addColumn('lease_expires_at', 'bigint').execute();
    await db.schema
      .createIndex('workflows_lease_sweep_idx')
      .on('workflows')
      .columns(['status', 'lease_expires_at'])
      .execute();
  },
  async down(db: MigrationDb): Promise<void> {
    await db.schema.dropIndex('workflows_lease_sweep_idx').execute();
    for (const column of ['lease_expires_at', 'lease_epoch', 'owner_id']) {
      await db.schema.alterTable('workflows').dropColumn(column).execute();
    }
  },
};
