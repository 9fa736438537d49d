import type { Kysely } from 'kysely';
import type { Database } from './database.js';

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

export function createWorkflowLinkStore(db: Kysely<Database>): WorkflowLinkStore {
  return {
    async link({ childId, parentId, toolCallId }) {
      await db
        .insertInto('workflow_links')
        .values({ child_id: childId, parent_id: parentId, tool_call_id: toolCallId, linked_at: Date.now() })
        .execute();
    },
    async parentOf(childId) {
      const row = await db
        .selectFrom('workflow_links')
        .select('parent_id')
        .where('child_id', '=', childId)
        .executeTakeFirst();
      return row?.parent_id ?? null;
    },
    async childrenOf(parentId) {
      const rows = await db
        .selectFrom('workflow_links')
        .select('child_id')
        .where('parent_id', '=', parentId)
        .orderBy('linked_at', 'asc')
        .orderBy('child_id', 'asc')
        .execute();
      return rows.map((row) => row.child_id);
    },
  };
}
