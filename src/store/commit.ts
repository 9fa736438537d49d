import { CompiledQuery, type Insertable, type Kysely, type Selectable } from 'kysely';
import { isTerminal, type AgentEvent } from '../events/index.js';
import { eventToRow, patchToRow, rowToWorkflow, workflowToRow } from './codec.js';
import type { Database, WorkflowsTable } from './database.js';
import { writeToolCalls } from './tool-calls.js';
import { LeaseLostError, SequenceConflictError } from '../errors/index.js';
import type { CommitOptions, FirstCommit, NewWorkflow, WorkflowPatch, WorkflowRecord } from './types.js';

/**
 * Rows per INSERT. 500 × 5 parameters stays far below SQLite's 32766 and PostgreSQL's 65535
 * bind-parameter limits while keeping the statement count per batch tiny.
 */
export const EVENT_INSERT_CHUNK = 500;

const EVENT_COLUMNS = ['workflow_id', 'sequence', 'type', 'at', 'body'] as const;
/** Statement texts kept: batch sizes repeat (1 at model speed, the writer's maximum when busy). */
const INSERT_SQL_CACHE_SIZE = 64;
const insertSqlCache = new Map<string, string>();

/** The multi-row INSERT text for `rowCount` events, cached per dialect and row count. */
export function insertEventsSql(dialect: 'sqlite' | 'postgres', rowCount: number): string {
  const key = `${dialect}:${rowCount}`;
  let text = insertSqlCache.get(key);
  if (text === undefined) {
    const width = EVENT_COLUMNS.length;
    const tuples = Array.from({ length: rowCount }, (_row, index) =>
      dialect === 'postgres'
        ? `(${EVENT_COLUMNS.map((_column, column) => `$${index * width + column + 1}`).join(', ')})`
        : `(${EVENT_COLUMNS.map(() => '?').join(', ')})`,
    );
    text = `insert into "events" (${EVENT_COLUMNS.map((column) => `"${column}"`).join(', ')}) values ${tuples.join(', ')}`;
    if (insertSqlCache.size >= INSERT_SQL_CACHE_SIZE) insertSqlCache.delete(insertSqlCache.keys().next().value!);
    insertSqlCache.set(key, text);
  }
  return text;
}

/** The flat parameter list of `rows` for `insertEventsSql`, appended to `parameters`. */
export function pushEventParameters(
  parameters: unknown[],
  rows: readonly EventRow[],
  start = 0,
  end = rows.length,
): unknown[] {
  for (let index = start; index < end; index++) {
    const row = rows[index]!;
    parameters.push(row.workflow_id, row.sequence, row.type, row.at, row.body);
  }
  return parameters;
}

/**
 * The multi-row INSERT of a batch's events, as SQL text cached per dialect and row count plus a
 * flat parameter list. Building it with Kysely's query builder walked an operation tree and
 * every value on every commit (5.5% of the server's CPU at saturation, docs/performance.md);
 * the statement is always the same shape, so it is written once.
 */
function insertEventsQuery(dialect: 'sqlite' | 'postgres', rows: readonly EventRow[]): CompiledQuery {
  return CompiledQuery.raw(insertEventsSql(dialect, rows.length), pushEventParameters([], rows));
}

export type EventRow = ReturnType<typeof eventToRow>;

/**
 * The body of `Store.commit`: lock the workflow row, check the lease epoch (fencing), check
 * contiguity, insert the events in
 * multi-row chunks, then one UPDATE for `last_sequence` and the patch. All in one transaction,
 * so a conflict or a failed insert leaves nothing behind.
 */
export async function commitEvents(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  workflowId: string,
  events: readonly AgentEvent[],
  patch: WorkflowPatch,
  options: CommitOptions = {},
): Promise<void> {
  // Encode before opening the transaction: a bad event fails fast without holding the lock.
  const rows = eventRowsOf(workflowId, events);
  const set = patchToRow(patch);

  await db.transaction().execute(async (trx) => {
    let select = trx.selectFrom('workflows').select(['last_sequence', 'lease_epoch']).where('id', '=', workflowId);
    // SQLite has no FOR UPDATE (its single writer already serialises commits).
    if (dialect === 'postgres') select = select.forUpdate();
    const current = await select.executeTakeFirst();
    if (current === undefined) throw new Error(`store: unknown workflow ${workflowId}`);
    checkLeaseEpoch(workflowId, options.epoch, Number(current.lease_epoch));

    checkContiguous(workflowId, Number(current.last_sequence), rows);

    for (let start = 0; start < rows.length; start += EVENT_INSERT_CHUNK) {
      await trx.executeQuery(insertEventsQuery(dialect, rows.slice(start, start + EVENT_INSERT_CHUNK)));
    }

    await writeToolCalls(trx, workflowId, events);

    const lastRow = rows[rows.length - 1];
    if (lastRow !== undefined) set.last_sequence = lastRow.sequence;
    if (Object.keys(set).length === 0) return;
    await trx.updateTable('workflows').set(set).where('id', '=', workflowId).execute();
  });
}

/**
 * The row and the event rows of `Store.createWorkflow` with the workflow's first events: the
 * row with the patch applied and its last sequence at the last event. A run start used to insert
 * the row, then commit RunStarted through the group commit: a store round trip and a wait for
 * the group in flight more before the upstream was called (docs/performance.md, "The fifth
 * pass"). PostgreSQL writes both in one statement (`createWithEvents`), SQLite in one
 * synchronous transaction (`src/store/sqlite-commit.ts`).
 */
export function firstCommitRows(
  workflow: NewWorkflow,
  first: FirstCommit,
): { values: Insertable<WorkflowsTable>; rows: EventRow[] } {
  const rows = eventRowsOf(workflow.id, first.events);
  checkContiguous(workflow.id, 0, rows);
  return {
    values: { ...workflowToRow(workflow), ...patchToRow(first.patch), last_sequence: rows.at(-1)?.sequence ?? 0 },
    rows,
  };
}

/**
 * `Store.createWorkflow` with the workflow's first events on PostgreSQL: one statement, the
 * events' INSERT a data-modifying CTE beside the row's (`firstCommitRows`).
 */
export async function createWithEvents(
  db: Kysely<Database>,
  workflow: NewWorkflow,
  first: FirstCommit,
): Promise<WorkflowRecord> {
  const { values, rows } = firstCommitRows(workflow, first);
  const row = db.insertInto('workflows').values(values).returningAll().compile();
  const at = row.parameters.length;
  const { rows: created } = await db.executeQuery<Selectable<WorkflowsTable>>(
    CompiledQuery.raw(
      `with w as (${row.sql}), e as (
  insert into "events" ("workflow_id", "sequence", "type", "at", "body")
  select * from unnest($${at + 1}::text[], $${at + 2}::integer[], $${at + 3}::text[], $${at + 4}::bigint[], $${at + 5}::text[])
)
select * from w`,
      [
        ...row.parameters,
        rows.map((event) => event.workflow_id),
        rows.map((event) => event.sequence),
        rows.map((event) => event.type),
        rows.map((event) => Number(event.at)),
        rows.map((event) => event.body),
      ],
    ),
  );
  return rowToWorkflow(created[0]!);
}

/** The events as rows; every event must belong to the workflow being committed. */
export function eventRowsOf(workflowId: string, events: readonly AgentEvent[]): EventRow[] {
  return events.map((event) => {
    if (event.workflowId !== workflowId) {
      throw new Error(`store: commit for workflow ${workflowId} got an event of workflow ${event.workflowId}`);
    }
    return eventToRow(event);
  });
}

/** The batch must continue the stored sequence exactly: `last + 1`, `last + 2`, … */
export function checkContiguous(workflowId: string, last: number, rows: readonly EventRow[]): void {
  rows.forEach((row, index) => {
    const expected = last + 1 + index;
    if (row.sequence !== expected) throw new SequenceConflictError(workflowId, expected, row.sequence);
  });
}

/**
 * Fencing (docs/scaling.md, ownership and leases): the row is locked, so no takeover can slip in between this check
 * and the end of the transaction. A writer whose epoch was superseded writes nothing.
 */
export function checkLeaseEpoch(workflowId: string, writerEpoch: number | undefined, currentEpoch: number): void {
  if (writerEpoch !== undefined && writerEpoch !== currentEpoch) {
    throw new LeaseLostError(workflowId, writerEpoch, currentEpoch);
  }
}

/** One workflow's batch of a group commit, encoded and checked before the group's statements. */
export interface GroupEntry {
  /** The item's place in the group, where its result goes. */
  index: number;
  workflowId: string;
  rows: EventRow[];
  set: Record<string, unknown>;
  epoch: number | undefined;
  /**
   * When the batch ends its workflow (its last event is terminal), that event's time: the
   * workflow's open tool calls close with it (`closeOpenToolCalls`); null otherwise.
   */
  endedAt: number | null;
}

/**
 * Encodes one item of a group commit (SQLite and PostgreSQL alike): its event rows, checked
 * contiguous, and its row patch. Throws for a bad event, which fails that item only.
 */
export function encodeGroupEntry(
  index: number,
  item: { workflowId: string; events: readonly AgentEvent[]; patch: WorkflowPatch; options: CommitOptions },
): GroupEntry {
  const rows = eventRowsOf(item.workflowId, item.events);
  const first = rows[0];
  if (first !== undefined) checkContiguous(item.workflowId, first.sequence - 1, rows);
  const last = item.events.at(-1);
  return {
    index,
    workflowId: item.workflowId,
    rows,
    set: patchToRow(item.patch),
    epoch: item.options.epoch,
    endedAt: last !== undefined && isTerminal(last) ? Number(rows.at(-1)!.at) : null,
  };
}
