import type { Kysely, Migration } from 'kysely';

/**
 * Parent and child workflows of the agent runtime's subagent calls (docs/runtime.md): one
 * row per child, naming its parent and the parent's tool call that started it.
 */
export interface WorkflowLinkStore {
  link(link: { childId: string; parentId: string; toolCallId: string }): Promise<void>;
  /** The parent of a workflow, or null. */
  parentOf(childId: string): Promise<string | null>;
  /** The children of a workflow, in the order they were linked. */
  childrenOf(parentId: string): Promise<string[]>;
}

/**
 * 0006_runtime (issue 16): `workflow_links (child_id PK → workflows.id, parent_id, tool_call_id,
 * linked_at)`, indexed by parent. A separate table, so the workflows row is not touched.
 */
export const runtimeMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('workflow_links')
      // if not exists: re-running the migration after its record was removed (a partial downgrade) is harmless
      .ifNotExists()
      .addColumn('child_id', 'text', (c) => c.primaryKey().references('workflows.id').onDelete('cascade'))
      .addColumn('parent_id', 'text', (c) => c.notNull())
      .addColumn('tool_call_id', 'text', (c) => c.notNull())
      .addColumn('linked_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('workflow_links_parent_idx').ifNotExists().on('workflow_links').columns(['parent_id', 'linked_at']).execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('workflow_links').execute();
  },
};

export function createWorkflowLinkStore(db: Kysely<any>): WorkflowLinkStore {
  return {
    async link({ childId, parentId, toolCallId }) {
      await db.insertInto('workflow_links').values({ child_id: childId, parent_id: parentId, tool_call_id: toolCallId, linked_at: Date.now() }).execute();
    },
    async parentOf(childId) {
      const row = await db.selectFrom('workflow_links').select('parent_id').where('child_id', '=', childId).executeTakeFirst();
      return (row?.parent_id as string | undefined) ?? null;
    },
    async childrenOf(parentId) {
      const rows = await db
        .selectFrom('workflow_links')
        .select('child_id')
        .where('parent_id', '=', parentId)
        .orderBy('linked_at', 'asc')
        .orderBy('child_id', 'asc')
        .execute();
      return rows.map((row) => row.child_id as string);
    },
  };
}
