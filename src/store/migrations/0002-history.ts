import { sql, type Migration } from 'kysely';
import { usageTokenColumns } from '../codec.js';
import type { MigrationDb } from './migration-db.js';

/** Rows per backfill UPDATE round: bounded memory and lock time on a large table. */
const BACKFILL_BATCH = 500;

/**
 * 0002_history (issue 5): what history queries need at scale.
 *
 * - Token counts as integer columns, so `usageSummary` sums in SQL on both dialects (the `usage`
 *   JSON text stays the source of the API's `Usage`); existing rows are backfilled.
 * - Every listing index ends in `(created_at, id)`: the keyset order of the cursors, so a page
 *   with any one equality filter is an index range scan in either direction, never a sort.
 * - `finished_at` for the retention sweep; `(tenant_id, thread_id, created_at, id)` for threads.
 */
export const history: Migration = {
  async up(db: MigrationDb): Promise<void> {
    for (const column of ['input_tokens', 'output_tokens', 'total_tokens']) {
      await db.schema.alterTable('workflows').addColumn(column, 'bigint').execute();
    }
    await backfillTokens(db);

    await db.schema.dropIndex('workflows_tenant_agent_created_idx').execute();
    await db.schema.dropIndex('workflows_tenant_status_created_idx').execute();
    await db.schema.dropIndex('workflows_thread_created_idx').execute();
    const listing: [string, string][] = [
      ['workflows_tenant_agent_keyset_idx', 'agent_id'],
      ['workflows_tenant_status_keyset_idx', 'status'],
      ['workflows_tenant_kind_keyset_idx', 'kind'],
      ['workflows_tenant_thread_keyset_idx', 'thread_id'],
    ];
    for (const [name, column] of listing) {
      await db.schema.createIndex(name).on('workflows').columns(['tenant_id', column, 'created_at', 'id']).execute();
    }
    await db.schema.createIndex('workflows_finished_idx').on('workflows').column('finished_at').execute();
  },
  async down(db: MigrationDb): Promise<void> {
    await db.schema.dropIndex('workflows_finished_idx').execute();
    for (const name of [
      'workflows_tenant_agent_keyset_idx',
      'workflows_tenant_status_keyset_idx',
      'workflows_tenant_kind_keyset_idx',
      'workflows_tenant_thread_keyset_idx',
    ]) {
      await db.schema.dropIndex(name).execute();
    }
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
    for (const column of ['input_tokens', 'output_tokens', 'total_tokens']) {
      await db.schema.alterTable('workflows').dropColumn(column).execute();
    }
  },
};

/**
 * Fills the token columns of rows written before this migration, in id order: one SELECT and one
 * UPDATE (a CASE per column) per batch, so a large table is backfilled in a few statements per
 * thousand rows. The values come from the same `usageTokenColumns` the store writes with.
 */
async function backfillTokens(db: MigrationDb): Promise<void> {
  let afterId = '';
  for (;;) {
    const rows = (await db
      .selectFrom('workflows')
      .select(['id', 'usage'])
      .where('usage', 'is not', null)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(BACKFILL_BATCH)
      .execute()) as { id: string; usage: string }[];
    if (rows.length === 0) return;
    const values = rows.map((row) => ({ id: row.id, ...usageTokenColumns(JSON.parse(row.usage)) }));
    const column = (name: 'input_tokens' | 'output_tokens' | 'total_tokens') =>
      sql`case id ${sql.join(
        values.map((value) => sql`when ${value.id} then cast(${value[name]} as bigint)`),
        sql` `,
      )} end`;
    await sql`update workflows set input_tokens = ${column('input_tokens')}, output_tokens = ${column(
      'output_tokens',
    )}, total_tokens = ${column('total_tokens')} where id in (${sql.join(values.map((value) => value.id))})`.execute(
      db,
    );
    if (rows.length < BACKFILL_BATCH) return;
    afterId = rows[rows.length - 1]!.id;
  }
}
