import type { Migration } from 'kysely';
import type { MigrationDb } from './migration-db.js';

/**
 * 0008_admission_index: `(tenant_id, status, kind)` on workflows, for the `concurrentRuns` count
 * that every `runAgent` makes (`countWorkflows` with status QUEUED/RUNNING and kind AGENT_RUN).
 *
 * Without it SQLite's planner, which has no statistics, took `(tenant_id, kind, …)` for that count
 * and read every AGENT_RUN the tenant ever ran to find the live ones: 2.7 ms per start with 20,000
 * workflows of history, 14.5 ms with 100,000, on the thread that streams every run. With it the
 * count reads the live rows only, from the index alone (0.23 ms at 100,000;
 * docs/performance.md, "The admission count and the history").
 */
export const admissionIndex: Migration = {
  async up(db: MigrationDb): Promise<void> {
    await db.schema
      .createIndex('workflows_tenant_status_kind_idx')
      .ifNotExists()
      .on('workflows')
      .columns(['tenant_id', 'status', 'kind'])
      .execute();
  },
  async down(db: MigrationDb): Promise<void> {
    await db.schema.dropIndex('workflows_tenant_status_kind_idx').ifExists().execute();
  },
};
