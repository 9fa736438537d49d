import type { Insertable, Selectable, Updateable } from 'kysely';
import type { AgentEvent, Usage } from '../events/index.js';
import type { EventsTable, WorkflowsTable } from './database.js';
import type { NewWorkflow, WorkflowKind, WorkflowPatch, WorkflowRecord, WorkflowStatus } from './types.js';

/*
 * Conversions between records and rows. Reads go through `Number()` because node-postgres
 * returns bigint as string; JSON `undefined` is stored as SQL NULL (JSON.stringify would
 * otherwise hand the driver `undefined`).
 */

/** Serialises a JSON value; `undefined` and `null` both become SQL NULL. */
export function toJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value) ?? null;
}

export function fromJson(text: string | null | undefined): unknown {
  return text === null || text === undefined ? null : (JSON.parse(text) as unknown);
}

export function toMillis(date: Date): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new Error('store: invalid Date');
  return ms;
}

function toNullableMillis(date: Date | null | undefined): number | null {
  return date === null || date === undefined ? null : toMillis(date);
}

function fromNullableMillis(value: number | string | null): Date | null {
  return value === null ? null : new Date(Number(value));
}

export function workflowToRow(workflow: NewWorkflow): Insertable<WorkflowsTable> {
  return {
    id: workflow.id,
    tenant_id: workflow.tenantId,
    kind: workflow.kind,
    status: workflow.status,
    agent_id: workflow.agentId,
    thread_id: workflow.threadId,
    input: toJson(workflow.input),
    metadata: toJson(workflow.metadata),
    created_at: toMillis(workflow.createdAt),
    ...(workflow.lease
      ? { owner_id: workflow.lease.owner, lease_epoch: 1, lease_expires_at: toMillis(workflow.lease.expiresAt) }
      : {}),
  };
}

export function rowToWorkflow(row: Selectable<WorkflowsTable>): WorkflowRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind as WorkflowKind,
    status: row.status as WorkflowStatus,
    agentId: row.agent_id,
    threadId: row.thread_id,
    input: fromJson(row.input),
    output: fromJson(row.output),
    text: row.text,
    error:
      row.error_code === null
        ? null
        : {
            code: row.error_code,
            message: row.error_message ?? '',
            retryable: Number(row.error_retryable) === 1,
          },
    usage: fromJson(row.usage) as Usage | null,
    metadata: fromJson(row.metadata),
    createdAt: new Date(Number(row.created_at)),
    startedAt: fromNullableMillis(row.started_at),
    finishedAt: fromNullableMillis(row.finished_at),
    lastSequence: Number(row.last_sequence),
  };
}

/** The columns `patch` sets; keys that are absent or `undefined` leave the column as it is. */
export function patchToRow(patch: WorkflowPatch): Updateable<WorkflowsTable> {
  const row: Updateable<WorkflowsTable> = {};
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.output !== undefined) row.output = toJson(patch.output);
  if (patch.text !== undefined) row.text = patch.text;
  if (patch.error !== undefined) {
    row.error_code = patch.error?.code ?? null;
    row.error_message = patch.error?.message ?? null;
    row.error_retryable = patch.error === null ? null : patch.error.retryable ? 1 : 0;
  }
  if (patch.usage !== undefined) {
    row.usage = toJson(patch.usage);
    Object.assign(row, usageTokenColumns(patch.usage));
  }
  if (patch.startedAt !== undefined) row.started_at = toNullableMillis(patch.startedAt);
  if (patch.finishedAt !== undefined) row.finished_at = toNullableMillis(patch.finishedAt);
  return row;
}

/** The last `at` parsed: the events of a batch mostly share their time (`isoNow`). */
let lastAt = '';
let lastAtMs = Number.NaN;

export function eventToRow(event: AgentEvent): Insertable<EventsTable> {
  const { workflowId, sequence, at, type, ...body } = event;
  if (at !== lastAt) {
    lastAt = at;
    lastAtMs = Date.parse(at);
  }
  const ms = lastAtMs;
  if (!Number.isFinite(ms)) {
    throw new Error(`store: event ${workflowId}#${sequence} has an invalid "at": ${at}`);
  }
  return { workflow_id: workflowId, sequence, type, at: ms, body: JSON.stringify(body) };
}

/** Rebuilds the event; `at` comes back as `toISOString()` (UTC, milliseconds). */
export function rowToEvent(row: Selectable<EventsTable>): AgentEvent {
  const body = JSON.parse(row.body) as Record<string, unknown>;
  return {
    ...body,
    type: row.type,
    workflowId: row.workflow_id,
    sequence: Number(row.sequence),
    at: new Date(Number(row.at)).toISOString(),
  } as AgentEvent;
}

/**
 * The integer token columns that `usageSummary` sums. `total_tokens` falls back to input +
 * output when the upstream reports no total, so a summary's total is never short of its parts.
 */
export function usageTokenColumns(usage: Usage | null | undefined): {
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
} {
  const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : null);
  const input = count(usage?.inputTokens);
  const output = count(usage?.outputTokens);
  const total = count(usage?.totalTokens) ?? (input === null && output === null ? null : (input ?? 0) + (output ?? 0));
  return { input_tokens: input, output_tokens: output, total_tokens: total };
}
