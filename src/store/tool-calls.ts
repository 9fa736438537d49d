import { sql, type Kysely, type Selectable } from 'kysely';
import type { AgentEvent } from '../events/index.js';
import { fromJson, toJson } from './codec.js';
import type { Database, ToolCallsTable } from './database.js';

/*
 * Tool-call records (`tool_calls`): one row per tool call of a workflow, folded from the
 * workflow's ToolCallStarted / ToolCallCompleted / ToolResult events at commit time, inside the
 * commit's transaction, so the records never disagree with the history.
 */

export const TOOL_CALL_STATUSES = ['STARTED', 'CALLED', 'SUCCEEDED', 'FAILED'] as const;
export type ToolCallStatus = (typeof TOOL_CALL_STATUSES)[number];

/** The message of a call still open when its workflow ended. */
export const UNFINISHED_TOOL_CALL_ERROR = 'the workflow ended before the tool call finished';

/** One tool call as the store returns it. */
export interface ToolCallRecord {
  workflowId: string;
  /** The dialect's toolCallId. */
  id: string;
  toolName: string;
  arguments: unknown;
  result: unknown;
  isError: boolean;
  /** A message when `isError`. */
  error: string | null;
  status: ToolCallStatus;
  startedAt: Date | null;
  finishedAt: Date | null;
}

interface CallChange {
  firstSequence: number;
  toolName?: string;
  arguments?: unknown;
  result?: unknown;
  isError?: boolean;
  status: ToolCallStatus;
  startedAt: number;
  finishedAt?: number;
}

/** The name of a call whose ToolResult came without a start (replaced once the start is seen). */
const UNKNOWN_TOOL_NAME = 'unknown';

/** Rows per INSERT: 11 parameters each, far below both dialects' bind limits. */
const INSERT_CHUNK = 500;

/** The event types of tool-call progress. */
const TOOL_CALL_EVENT_TYPES: ReadonlySet<string> = new Set(['ToolCallStarted', 'ToolCallCompleted', 'ToolResult']);

/** Whether these events carry tool-call progress (not only the end of the workflow). */
export function hasToolCallEvents(events: readonly AgentEvent[]): boolean {
  return events.some((event) => TOOL_CALL_EVENT_TYPES.has(event.type));
}

/** The statuses of a call that has not finished. */
export const OPEN_TOOL_CALL_STATUSES = ['STARTED', 'CALLED'] as const satisfies readonly ToolCallStatus[];

/** What a call still open when its workflow ends becomes (with `finished_at` the end's time). */
export const UNFINISHED_TOOL_CALL = { status: 'FAILED', is_error: 1, error: UNFINISHED_TOOL_CALL_ERROR } as const;

/**
 * What the end of a workflow does to its records: the calls still open become FAILED.
 * `writeToolCalls` executes it; the SQLite group commit compiles it and runs the statement
 * prepared once; the PostgreSQL group statement does the same for every workflow of the group
 * that ends, with these values (`src/store/postgres-commit.ts`).
 */
export function closeOpenToolCalls(db: Kysely<Database>, workflowId: string, endedAt: number) {
  return db
    .updateTable('tool_calls')
    .set({ ...UNFINISHED_TOOL_CALL, finished_at: endedAt })
    .where('workflow_id', '=', workflowId)
    .where('status', 'in', OPEN_TOOL_CALL_STATUSES);
}

/**
 * Applies a batch's tool events to the records, inside the commit's transaction. A batch without
 * tool events and without a terminal event costs nothing; a terminal event closes the calls
 * still open as FAILED.
 */
export async function writeToolCalls(
  trx: Kysely<Database>,
  workflowId: string,
  events: readonly AgentEvent[],
): Promise<void> {
  const changes = new Map<string, CallChange>();
  let endedAt: number | null = null;
  const changeOf = (event: AgentEvent & { toolCallId: string }): CallChange => {
    let change = changes.get(event.toolCallId);
    if (!change) {
      change = { firstSequence: event.sequence, status: 'STARTED', startedAt: Date.parse(event.at) };
      changes.set(event.toolCallId, change);
    }
    return change;
  };
  for (const event of events) {
    switch (event.type) {
      case 'ToolCallStarted':
        changeOf(event).toolName = event.toolName;
        break;
      case 'ToolCallCompleted': {
        const change = changeOf(event);
        change.toolName = event.toolName;
        change.arguments = event.arguments;
        change.status = 'CALLED';
        break;
      }
      case 'ToolResult': {
        const change = changeOf(event);
        change.result = event.result;
        change.isError = event.isError;
        change.status = event.isError ? 'FAILED' : 'SUCCEEDED';
        change.finishedAt = Date.parse(event.at);
        break;
      }
      case 'RunCompleted':
      case 'RunFailed':
      case 'RunCancelled':
        endedAt = Date.parse(event.at);
        break;
      default:
        break;
    }
  }

  if (changes.size > 0) {
    const rows = [...changes].map(([id, change]) => ({
      workflow_id: workflowId,
      tool_call_id: id,
      first_sequence: change.firstSequence,
      tool_name: change.toolName ?? UNKNOWN_TOOL_NAME,
      arguments: toJson(change.arguments),
      result: toJson(change.result),
      is_error: change.isError ? 1 : 0,
      error: change.isError ? errorText(change.result) : null,
      status: change.status,
      started_at: change.startedAt,
      finished_at: change.finishedAt ?? null,
    }));
    // One upsert per chunk, no read: a call seen by an earlier batch keeps what this batch does
    // not know (its name, first sequence, start, arguments, result), and STARTED never
    // overwrites a later status. `ON CONFLICT ... DO UPDATE` reads the same on SQLite and PostgreSQL.
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      await trx
        .insertInto('tool_calls')
        .values(rows.slice(start, start + INSERT_CHUNK))
        .onConflict((conflict) =>
          conflict.columns(['workflow_id', 'tool_call_id']).doUpdateSet({
            tool_name: sql`CASE WHEN excluded.tool_name = ${UNKNOWN_TOOL_NAME} THEN tool_calls.tool_name ELSE excluded.tool_name END`,
            arguments: sql`COALESCE(excluded.arguments, tool_calls.arguments)`,
            result: sql`CASE WHEN excluded.finished_at IS NULL THEN tool_calls.result ELSE excluded.result END`,
            is_error: sql`CASE WHEN excluded.finished_at IS NULL THEN tool_calls.is_error ELSE excluded.is_error END`,
            error: sql`CASE WHEN excluded.finished_at IS NULL THEN tool_calls.error ELSE excluded.error END`,
            finished_at: sql`COALESCE(excluded.finished_at, tool_calls.finished_at)`,
            status: sql`CASE WHEN excluded.status = 'STARTED' THEN tool_calls.status ELSE excluded.status END`,
          }),
        )
        .execute();
    }
  }

  if (endedAt !== null) await closeOpenToolCalls(trx, workflowId, endedAt).execute();
}

/**
 * The records of several workflows of one tenant, for a DataLoader: one query, the result in
 * the order of `workflowIds`, each list in the order the calls started. Workflows of another
 * tenant get an empty list, as missing ones do.
 */
export async function listToolCalls(
  db: Kysely<Database>,
  tenantId: string,
  workflowIds: readonly string[],
): Promise<ToolCallRecord[][]> {
  const byWorkflow = new Map<string, ToolCallRecord[]>(workflowIds.map((id) => [id, []]));
  const unique = [...byWorkflow.keys()];
  for (let start = 0; start < unique.length; start += INSERT_CHUNK) {
    const rows = await db
      .selectFrom('tool_calls')
      .innerJoin('workflows', 'workflows.id', 'tool_calls.workflow_id')
      .selectAll('tool_calls')
      .where('workflows.tenant_id', '=', tenantId)
      .where('tool_calls.workflow_id', 'in', unique.slice(start, start + INSERT_CHUNK))
      .orderBy('tool_calls.workflow_id')
      .orderBy('tool_calls.first_sequence')
      .execute();
    for (const row of rows) byWorkflow.get(row.workflow_id)?.push(rowToToolCall(row));
  }
  return workflowIds.map((id) => byWorkflow.get(id) ?? []);
}

function rowToToolCall(row: Selectable<ToolCallsTable>): ToolCallRecord {
  return {
    workflowId: row.workflow_id,
    id: row.tool_call_id,
    toolName: row.tool_name,
    arguments: fromJson(row.arguments),
    result: fromJson(row.result),
    isError: Number(row.is_error) === 1,
    error: row.error,
    status: row.status as ToolCallStatus,
    startedAt: row.started_at === null ? null : new Date(Number(row.started_at)),
    finishedAt: row.finished_at === null ? null : new Date(Number(row.finished_at)),
  };
}

/** A readable message from an error result: its `message` or `error` text, else the result as text. */
function errorText(result: unknown): string {
  if (typeof result === 'string') return result;
  if (result && typeof result === 'object') {
    const record = result as Record<string, unknown>;
    if (typeof record.message === 'string') return record.message;
    if (typeof record.error === 'string') return record.error;
  }
  return JSON.stringify(result) ?? 'null';
}
