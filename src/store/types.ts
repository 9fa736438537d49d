import type { AgentEvent, Usage } from '../events/index.js';
import type { IdempotencyStore } from './idempotency.js';
import type { InterruptStore } from './interrupts.js';
import type { WorkflowLinkStore } from './workflow-links.js';
import type { RunQueueStore } from './run-queue.js';
import type { WebhookOutboxStore } from './outbox.js';
import type { ToolCallRecord } from './tool-calls.js';

export const WORKFLOW_STATUSES = [
  'QUEUED',
  'RUNNING',
  'INPUT_REQUIRED',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'INTERRUPTED',
] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];
export const FINISHED_STATUSES: readonly WorkflowStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'];

/** True for a workflow that has ended (its terminal event is stored); QUEUED, RUNNING and INPUT_REQUIRED have not. */
export function isFinishedStatus(status: string): boolean {
  return (FINISHED_STATUSES as readonly string[]).includes(status);
}

export const WORKFLOW_KINDS = ['AGENT_RUN', 'TOOL_CALL'] as const;
export type WorkflowKind = (typeof WORKFLOW_KINDS)[number];

export interface WorkflowError {
  code: string;
  message: string;
  retryable: boolean;
}

/** A workflow as the store returns it. Times are `Date`s; JSON columns are parsed. */
export interface WorkflowRecord {
  id: string;
  tenantId: string;
  kind: WorkflowKind;
  status: WorkflowStatus;
  agentId: string | null;
  threadId: string | null;
  input: unknown;
  output: unknown;
  text: string | null;
  error: WorkflowError | null;
  usage: Usage | null;
  metadata: unknown;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Sequence of the last committed event; 0 before the first commit. */
  lastSequence: number;
}

export interface NewWorkflow {
  id: string;
  tenantId: string;
  kind: WorkflowKind;
  status: WorkflowStatus;
  agentId: string | null;
  threadId: string | null;
  input: unknown;
  metadata: unknown;
  createdAt: Date;
  /** The creating instance's lease (epoch 1); absent: no owner, which the lease sweep treats as expired. */
  lease?: { owner: string; expiresAt: Date };
}

/** Options of `Store.commit`. */
export interface CommitOptions {
  /**
   * The writer's lease epoch. Checked inside the transaction against the row (locked first):
   * a different epoch throws `LeaseLostError` and writes nothing. Absent: no check (tests,
   * tools that own no lease).
   */
  epoch?: number;
}

/** One lease an instance holds: the workflow and the epoch it was given. */
export interface HeldLease {
  workflowId: string;
  epoch: number;
}

/** A workflow the sweep took over: the row after the takeover and the sweeper's new epoch. */
export interface LeaseTakeover {
  workflow: WorkflowRecord;
  epoch: number;
}

export interface TakeOverLeasesOptions {
  /** The sweeping instance: the new owner. */
  owner: string;
  /** Leases that expire at or before this time are taken (NULL expiries always are). */
  expiredAt: Date;
  /** Expiry of the sweeper's lease on what it took: long enough to append the RunFailed. */
  leaseExpiresAt: Date;
  /** At most this many workflows per call. */
  limit: number;
}

/** Columns a commit may change beside `lastSequence`; absent keys are left as they are. */
export interface WorkflowPatch {
  status?: WorkflowStatus;
  output?: unknown;
  text?: string | null;
  error?: WorkflowError | null;
  usage?: Usage | null;
  startedAt?: Date | null;
  finishedAt?: Date | null;
}

export interface WorkflowListFilter {
  tenantId: string;
  agentId?: string | null;
  status?: readonly WorkflowStatus[] | null;
  kind?: WorkflowKind | null;
  threadId?: string | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
  /** JSON containment (PostgreSQL `@>` semantics); validate with `metadataConditions` first. */
  metadata?: Record<string, unknown> | null;
}

/** What `Store.countWorkflows` counts: a tenant's workflows, by status and kind. */
export interface WorkflowCountFilter {
  tenantId: string;
  status?: readonly WorkflowStatus[] | null;
  kind?: WorkflowKind | null;
}

/** Keyset position in the newest-first order `(createdAt DESC, id DESC)`. */
export interface WorkflowCursor {
  createdAt: Date;
  id: string;
}

export interface ListWorkflowsOptions {
  filter: WorkflowListFilter;
  /** Page size, already bounded by the caller: the newest rows of the window. */
  first?: number | null;
  /** Return rows strictly after this position in newest-first order. */
  after?: WorkflowCursor | null;
  /** Return rows strictly before (newer than) this position. */
  before?: WorkflowCursor | null;
  /** Backward paging: the oldest `last` rows of the window instead (wins over `first`). */
  last?: number | null;
}

/** Rows newest first. Forward: `hasPreviousPage` is `after != null`; backward: `hasNextPage` is `before != null` (Relay). */
export interface WorkflowPage {
  rows: WorkflowRecord[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export interface UsageSummaryOptions {
  tenantId: string;
  /** AGENT: one row per agent id (`(none)` for workflows without one); DAY: per UTC day `YYYY-MM-DD`. */
  groupBy: 'AGENT' | 'DAY';
  /** Inclusive lower bound on `createdAt`. */
  from?: Date | null;
  /** Exclusive upper bound on `createdAt`. */
  to?: Date | null;
}

/** Token totals of one group; counts a workflow without usage as zero tokens. */
export interface UsageSummaryRow {
  key: string;
  workflows: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

/** A new workflow's first events and what they change on its row (`Store.createWorkflow`). */
export interface FirstCommit {
  events: readonly AgentEvent[];
  patch: WorkflowPatch;
}

/**
 * The durable history. One implementation over Kysely serves SQLite and (later) PostgreSQL.
 * Every method is safe to call concurrently; `commit` is atomic.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Applies pending migrations; idempotent. */
  migrate(): Promise<void>;
  /**
   * Inserts the workflow's row and returns it as stored. With `first`, the workflow's first
   * events (sequences 1, 2, …) are committed with the row, atomically: the row already carries
   * `first.patch` and its last sequence (a run start: the row and RunStarted in one step).
   */
  createWorkflow(workflow: NewWorkflow, first?: FirstCommit): Promise<WorkflowRecord>;
  /**
   * In one transaction: inserts `events` with multi-row INSERTs, sets `last_sequence` to the last
   * event's sequence and applies `patch`. The first event's sequence must be `lastSequence + 1`
   * and the rest contiguous, or it throws `SequenceConflictError` and writes nothing.
   * `events` may be empty (patch only). With `options.epoch`, the workflow's lease epoch must
   * equal it (checked after the row is locked, before anything is written), or it throws
   * `LeaseLostError` and writes nothing (fencing). The SQLite and PostgreSQL stores commit the
   * calls of many workflows together (`createGroupCommit`); each call still resolves or
   * rejects on its own.
   */
  commit(
    workflowId: string,
    events: readonly AgentEvent[],
    patch: WorkflowPatch,
    options?: CommitOptions,
  ): Promise<void>;
  /**
   * Pushes the expiry of many leases of one owner forward in one statement: only rows still
   * owned by `owner` at the given epoch. Returns the ids of the leases it lost (taken over, or
   * the workflow is gone).
   */
  renewLeases(owner: string, leases: readonly HeldLease[], expiresAt: Date): Promise<string[]>;
  /**
   * The lease sweep: atomically takes over QUEUED/RUNNING workflows whose lease expired
   * (owner := `owner`, epoch + 1). When several instances sweep at the same moment each
   * workflow is taken by exactly one. The caller then appends the RunFailed at the new epoch.
   */
  takeOverExpiredLeases(options: TakeOverLeasesOptions): Promise<LeaseTakeover[]>;
  getWorkflow(id: string): Promise<WorkflowRecord | undefined>;
  /** Batch lookup for DataLoader: the result is in the order of `ids`. */
  getWorkflows(ids: readonly string[]): Promise<(WorkflowRecord | undefined)[]>;
  listWorkflows(options: ListWorkflowsOptions): Promise<WorkflowPage>;
  /** How many of a tenant's workflows match `filter`, counting no further than `limit`. */
  countWorkflows(filter: WorkflowCountFilter, limit: number): Promise<number>;
  /** Events with `sequence > afterSequence`, ascending, at most `limit`. */
  readEvents(workflowId: string, afterSequence: number, limit: number): Promise<AgentEvent[]>;
  /** The workflow's newest event (highest sequence), if it has any: one indexed read. */
  readLastEvent(workflowId: string): Promise<AgentEvent | undefined>;
  /**
   * Batch read for DataLoader: per workflow id, its events with `sequence > afterSequence`,
   * ascending, at most `limit`. Every id is a key of the result (missing ones map to `[]`).
   */
  readEventWindows(
    workflowIds: readonly string[],
    afterSequence: number,
    limit: number,
  ): Promise<Map<string, AgentEvent[]>>;
  /** Token totals of a tenant's workflows, grouped by agent or by day, ordered by key. */
  usageSummary(options: UsageSummaryOptions): Promise<UsageSummaryRow[]>;
  /**
   * Retention: deletes, in one transaction, up to `limit` finished workflows (any tenant) that
   * finished before `finishedBefore`, oldest first, with their events and tool calls. Returns
   * the number deleted.
   */
  deleteExpiredWorkflows(options: { finishedBefore: Date; limit: number }): Promise<number>;
  /** The turns of one thread of a tenant, oldest first. */
  listThread(tenantId: string, threadId: string): Promise<WorkflowRecord[]>;
  /**
   * Tool-call records of workflows of one tenant, for DataLoader: in the order of `workflowIds`,
   * each list in the order the calls started; another tenant's workflow gets an empty list.
   */
  listToolCalls(tenantId: string, workflowIds: readonly string[]): Promise<ToolCallRecord[][]>;
  /** Workflows paused for a person: pause, answer, take over (src/store/interrupts.ts). */
  readonly interrupts: InterruptStore;
  /** Parent and child workflows of subagent calls (src/store/workflow-links.ts). */
  readonly links: WorkflowLinkStore;
  /** Idempotency keys of runAgent / callTool (src/store/idempotency.ts, docs/run-control.md). */
  readonly idempotency: IdempotencyStore;
  /** Queued (parked) workflows: thread and per-agent queues (src/store/run-queue.ts, docs/run-control.md). */
  readonly queue: RunQueueStore;
  /** The webhook outbox and its deliveries (src/store/outbox.ts, docs/run-control.md). */
  readonly webhooks: WebhookOutboxStore;
  /** Cheap round trip for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
