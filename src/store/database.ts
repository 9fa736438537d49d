import type { ColumnType, Generated } from 'kysely';

/**
 * Epoch milliseconds. Written as a number; read as `number | string` because node-postgres
 * returns `bigint` columns as strings. Always convert reads with `Number()`.
 */
type Millis = ColumnType<number | string, number, number>;
type NullableMillis = ColumnType<number | string | null, number | null | undefined, number | null>;

/** A bigint count; node-postgres reads it as a string. */
type NullableCount = ColumnType<number | string | null, number | null | undefined, number | null>;

/** JSON stored as text (portable across SQLite and PostgreSQL); `null` is SQL NULL. */
type JsonText = string | null;

export interface WorkflowsTable {
  id: string;
  tenant_id: Generated<string>;
  kind: string;
  status: string;
  agent_id: string | null;
  thread_id: string | null;
  input: JsonText;
  output: JsonText;
  text: string | null;
  error_code: string | null;
  error_message: string | null;
  /** 0/1: better-sqlite3 cannot bind booleans, and `integer` is valid on both dialects. */
  error_retryable: number | null;
  usage: JsonText;
  metadata: JsonText;
  created_at: Millis;
  started_at: NullableMillis;
  finished_at: NullableMillis;
  last_sequence: Generated<number>;
  /** Token counts of `usage` as integers, for SQL sums (migration 0002_history). */
  input_tokens: NullableCount;
  output_tokens: NullableCount;
  total_tokens: NullableCount;
  /** The instance holding the lease; NULL before migration 0004_leases or without a lease. */
  owner_id: string | null;
  /** Grows on every takeover; commits of the owner check it (fencing). 0 without a lease. */
  lease_epoch: Generated<number>;
  /** Epoch milliseconds; NULL counts as expired. */
  lease_expires_at: NullableMillis;
  /** The open (or last) pause of the workflow as JSON (migration 0005_interrupts, src/store/interrupts.ts). */
  pause: JsonText;
  /** Epoch milliseconds: when the paused workflow's interrupts expire; NULL: never. */
  interrupt_expires_at: NullableMillis;
}

export interface EventsTable {
  workflow_id: string;
  sequence: number;
  type: string;
  at: Millis;
  /** The event's fields other than `workflowId`, `sequence`, `at` and `type`. */
  body: string;
}

/** Tool-call records (src/store/tool-calls.ts), migration 0003_tool_calls. */
export interface ToolCallsTable {
  workflow_id: string;
  tool_call_id: string;
  first_sequence: number;
  tool_name: string;
  arguments: JsonText;
  result: JsonText;
  /** 0/1 */
  is_error: Generated<number>;
  error: string | null;
  status: string;
  started_at: NullableMillis;
  finished_at: NullableMillis;
}

/** Parent and child workflows (src/store/workflow-links.ts), migration 0006_runtime. */
export interface WorkflowLinksTable {
  child_id: string;
  parent_id: string;
  tool_call_id: string;
  linked_at: Millis;
}

/** The Kysely schema of the store. */
export interface Database {
  workflows: WorkflowsTable;
  events: EventsTable;
  tool_calls: ToolCallsTable;
  workflow_links: WorkflowLinksTable;
}
