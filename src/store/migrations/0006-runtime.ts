import type { Migration } from 'kysely';
import type { MigrationDb } from './migration-db.js';

/**
 * 0006_runtime (issue 16): `workflow_links (child_id PK → workflows.id, parent_id, tool_call_id,
 * linked_at)`, indexed by parent. A separate table, so the workflows row is not touched.
 */
export const runtime: Migration = {
  async up(db: MigrationDb): Promise<void> {
    await db.schema
      .createTable('workflow_links')
      // if not exists: re-running the migration after its record was removed (a partial downgrade) is harmless
      .ifNotExists()
      .addColumn('child_id', 'text', (c) => c.primaryKey().references('workflows.id').onDelete('cascade'))
      .addColumn('parent_id', 'text', (c) => c.notNull())
      .addColumn('tool_call_id', 'text', (c) => c.notNull())
      .addColumn('linked_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('workflow_links_parent_idx')
      .ifNotExists()
      .on('workflow_links')
      .columns(['parent_id', 'linked_at'])
      .execute();
  },
  async down(db: MigrationDb): Promise<void> {
    await db.schema.dropTable('workflow_links').execute();
  },
};
