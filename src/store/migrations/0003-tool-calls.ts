import type { Kysely, Migration } from 'kysely';
import type { AgentEvent } from '../../events/index.js';
import { rowToEvent } from '../codec.js';
import type { Database } from '../database.js';
import { writeToolCalls } from '../tool-calls.js';
import type { MigrationDb } from './migration-db.js';

/** 0003_tool_calls: the table of tool-call records (src/store/tool-calls.ts), backfilled from stored events. */
export const toolCalls: Migration = {
  async up(db: MigrationDb): Promise<void> {
    await db.schema
      .createTable('tool_calls')
      .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.id').onDelete('cascade'))
      .addColumn('tool_call_id', 'text', (c) => c.notNull())
      // Sequence of the call's first event: the records list in the order the calls started.
      .addColumn('first_sequence', 'integer', (c) => c.notNull())
      .addColumn('tool_name', 'text', (c) => c.notNull())
      .addColumn('arguments', 'text')
      .addColumn('result', 'text')
      .addColumn('is_error', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('error', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('finished_at', 'bigint')
      .addPrimaryKeyConstraint('tool_calls_pkey', ['workflow_id', 'tool_call_id'])
      .execute();
    await backfillToolCalls(db as Kysely<Database>);
  },
  async down(db: MigrationDb): Promise<void> {
    await db.schema.dropTable('tool_calls').execute();
  },
};

/** Event rows read per page by the backfill. */
const BACKFILL_PAGE = 5000;
const BACKFILL_TYPES = [
  'ToolCallStarted',
  'ToolCallCompleted',
  'ToolResult',
  'RunCompleted',
  'RunFailed',
  'RunCancelled',
];

/**
 * Gives the workflows stored before this migration their records, so `Workflow.toolCalls` of old
 * history does not go empty on upgrade: the tool and terminal events are read in keyset pages
 * and folded per workflow exactly as commits fold them.
 */
async function backfillToolCalls(db: Kysely<Database>): Promise<void> {
  let after: { workflowId: string; sequence: number } | null = null;
  let workflowId: string | null = null;
  let pending: AgentEvent[] = [];
  const flush = async () => {
    if (workflowId !== null && pending.some((event) => event.type.startsWith('Tool')))
      await writeToolCalls(db, workflowId, pending);
    pending = [];
  };
  for (;;) {
    const cursor: { workflowId: string; sequence: number } | null = after;
    let query = db.selectFrom('events').selectAll().where('type', 'in', BACKFILL_TYPES);
    if (cursor) {
      query = query.where((eb) =>
        eb.or([
          eb('workflow_id', '>', cursor.workflowId),
          eb.and([eb('workflow_id', '=', cursor.workflowId), eb('sequence', '>', cursor.sequence)]),
        ]),
      );
    }
    const rows = await query.orderBy('workflow_id').orderBy('sequence').limit(BACKFILL_PAGE).execute();
    for (const row of rows) {
      if (row.workflow_id !== workflowId) {
        await flush();
        workflowId = row.workflow_id;
      }
      pending.push(rowToEvent(row));
    }
    const last = rows.at(-1);
    if (rows.length < BACKFILL_PAGE || !last) break;
    after = { workflowId: last.workflow_id, sequence: Number(last.sequence) };
  }
  await flush();
}
