import { isTerminal, TextParts, type AgentEvent, type AgentEventBody } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { PubSub } from '../pubsub/index.js';
import { LeaseLostError } from '../errors/index.js';
import type { NewWorkflow, Store, WorkflowPatch, WorkflowRecord } from '../store/index.js';
import { patchFromEvents } from './workflow-patch.js';

export interface WriterOptions {
  /**
   * Group commit: at most one commit per this many milliseconds while events keep coming. An
   * event that arrives when the last commit is older than that commits at the end of the current
   * turn of the event loop (with every event read in the same turn), so a quiet stream (model
   * speed) waits for nothing; under load the batches grow to what arrives in this interval,
   * which bounds the commits per second (each has a fixed cost). Default 5; 0: every turn.
   */
  commitDelayMs?: number;
  /** A batch this large commits at once. */
  maxBatch?: number;
  /** Attempts per batch before the writer gives up (the store is down). */
  commitAttempts?: number;
}

/** Who the writer writes for: its lease epoch, checked by every commit, and what to do on loss. */
export interface WriterLease {
  epoch: number;
  /** Called once when a commit was fenced (`LeaseLostError`); the writer has stopped for good. */
  onLost?: (error: LeaseLostError) => void;
}

/**
 * The single writer of one workflow's events (docs/architecture.md, the life of a run). It merges consecutive text
 * deltas of one message, assigns contiguous sequences, commits each batch in one transaction and
 * publishes the batch only after the commit succeeded. One commit is in flight at a time, so
 * sequences never race.
 */
export class WorkflowWriter {
  /** The writer's own copies of the appended bodies; `sequence` is assigned when they commit. */
  private pending: AgentEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> = Promise.resolve();
  /** True while `inFlight` is a commit that has not settled. */
  private committing = false;
  /** The commit of what was appended while one was in flight, started when that one settles. */
  private queuedCommit: Promise<void> | null = null;
  private nextSequence: number;
  private committedSequence: number;
  /**
   * The workflow row as this writer's commits left it, when it created it (`create`): the
   * workflow updates are published from it instead of reading the row back after each status
   * change. The writer is the only one that changes a running workflow's row (its lease).
   */
  private row: WorkflowRecord | null = null;
  /** The run's TextDeltas, for the row's text at the end (RunFailed, RunCancelled). */
  private text = new TextParts();
  private hasText = false;
  private sealed = false;
  private failure: Error | null = null;
  private readonly commitDelayMs: number;
  private readonly maxBatch: number;
  private readonly commitAttempts: number;

  constructor(
    private readonly deps: { store: Store; pubsub: PubSub; logger: Logger },
    readonly workflowId: string,
    lastSequence: number,
    options: WriterOptions = {},
    private readonly lease: WriterLease | null = null,
  ) {
    this.nextSequence = lastSequence + 1;
    this.committedSequence = lastSequence;
    this.commitDelayMs = options.commitDelayMs ?? 5;
    this.maxBatch = options.maxBatch ?? 256;
    this.commitAttempts = options.commitAttempts ?? 3;
  }

  /**
   * Continues a run whose earlier events another writer committed (the lease sweep): `text` is
   * the concatenation of its stored TextDeltas, so the terminal commit keeps the row's text.
   */
  continueText(text: string): void {
    this.text = new TextParts();
    this.text.push(text);
    this.hasText = text.length > 0;
  }

  /** The row as of the last commit, when this writer created it (`create`); null otherwise. */
  get committedRow(): WorkflowRecord | null {
    return this.row && { ...this.row, lastSequence: this.committedSequence };
  }

  /** Sequence of the last event that is committed and published. */
  get lastCommittedSequence(): number {
    return this.committedSequence;
  }

  /** True once a terminal event was appended: later appends are refused. */
  get isSealed(): boolean {
    return this.sealed;
  }

  /** The lease epoch every commit is fenced at; null without a lease. */
  get leaseEpoch(): number | null {
    return this.lease?.epoch ?? null;
  }

  /** The error that stopped the writer, if the store refused a batch for good. */
  get error(): Error | null {
    return this.failure;
  }

  /**
   * Stops the writer for good because its lease is gone (the renewal found it taken over): the
   * pending batch is dropped and nothing more is committed or published. A commit already in
   * flight is fenced by the store.
   */
  leaseLost(error: LeaseLostError): void {
    if (this.failure) return;
    this.failure = error;
    this.pending = [];
    this.clearTimers();
  }

  /** Queues one event. Returns false when the writer is sealed or broken. */
  append(body: AgentEventBody): boolean {
    if (this.sealed || this.failure) return false;
    if (body.type === 'Heartbeat') return false;
    const last = this.pending.at(-1);
    if (body.type === 'TextDelta' && last?.type === 'TextDelta' && last.messageId === body.messageId) {
      // The pending event is the writer's own copy: a burst of deltas merges into it in place.
      last.delta += body.delta;
    } else {
      // One allocation per event: the body with its envelope; the sequence comes at commit.
      this.pending.push({ ...body, workflowId: this.workflowId, sequence: 0, at: isoNow() });
    }
    if (isTerminal(body)) {
      this.sealed = true;
      void this.flush();
    } else if (this.pending.length >= this.maxBatch) {
      void this.flush();
    } else if (!this.timer && !this.immediate) {
      const wait = this.lastCommitAt + this.commitDelayMs - performance.now();
      if (wait <= 0) this.immediate = setImmediate(() => void this.commitBatch());
      else this.timer = setTimeout(() => void this.commitBatch(), wait);
    }
    return true;
  }

  /**
   * Creates the workflow, with what was appended so far as its first events when there is any
   * (`Store.createWorkflow` with them: at a run start the row and RunStarted in one step), and
   * publishes those like a commit. Later commits are applied to the row it returns
   * (`committedRow`). For a writer made with last sequence 0, before anything was committed;
   * throws what the store threw (nothing was written then, and the writer stops).
   */
  async create(workflow: NewWorkflow): Promise<WorkflowRecord> {
    if (this.committedSequence !== 0 || this.committing) throw new Error('create: the workflow has commits already');
    this.clearTimers();
    const { events, patch } = this.takeBatch();
    // The create is the commit in flight: what is appended meanwhile commits after it.
    this.committing = true;
    this.inFlight = this.deps.store
      .createWorkflow(workflow, events.length > 0 ? { events, patch } : undefined)
      .then(
        (row) => {
          this.row = row;
          return this.committed(events, patch);
        },
        (error: unknown) => {
          this.failure = error instanceof Error ? error : new Error(String(error));
          this.pending = [];
        },
      )
      .finally(() => {
        this.committing = false;
      });
    await this.inFlight;
    if (this.failure) throw this.failure;
    return this.committedRow!;
  }

  /** Commits everything appended so far; resolves when it is committed and published. */
  flush(): Promise<void> {
    return this.commitBatch();
  }

  /**
   * Commits the pending batch. The row's `text` is written by the terminal commit only
   * (`patchFromEvents`): while the run streams, rewriting the whole text with every batch made
   * each commit cost more as the run grew, and on SQLite any UPDATE of the row rewrites its
   * text too (docs/performance.md, "Store commits"). A running workflow's text is read from its
   * stored deltas instead (`readStoredText`).
   */
  private commitBatch(): Promise<void> {
    this.clearTimers();
    if (this.pending.length === 0) return this.inFlight;
    if (this.committing) {
      // One commit in flight per workflow: what arrives meanwhile waits for it and then goes as
      // one batch, so the batch grows while the store is behind (one commit per token at model
      // pace otherwise queued one transaction per token).
      // Started whether the commit in flight resolves or rejects (a rejection is its caller's).
      const next = () => {
        this.queuedCommit = null;
        return this.commitBatch();
      };
      return (this.queuedCommit ??= this.inFlight.then(next, next));
    }
    const { events, patch } = this.takeBatch();
    this.committing = true;
    this.inFlight = this.commit(events, patch).finally(() => {
      this.committing = false;
    });
    return this.inFlight;
  }

  private clearTimers(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.immediate) {
      clearImmediate(this.immediate);
      this.immediate = null;
    }
  }

  /** The pending events as the next batch, sequenced, and what they change on the row. */
  private takeBatch(): { events: AgentEvent[]; patch: WorkflowPatch } {
    const events = this.pending;
    this.pending = [];
    this.lastCommitAt = performance.now();
    for (const event of events) this.stamp(event);
    return { events, patch: patchFromEvents(events, () => (this.hasText ? this.text.join() : null)) };
  }

  private stamp(event: AgentEvent): void {
    if (event.type === 'TextDelta') {
      this.text.push(event.delta);
      this.hasText = true;
    }
    event.sequence = this.nextSequence++;
  }

  private async commit(events: AgentEvent[], patch: WorkflowPatch): Promise<void> {
    if (this.failure) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.store.commit(
          this.workflowId,
          events,
          patch,
          this.lease ? { epoch: this.lease.epoch } : undefined,
        );
        break;
      } catch (error) {
        if (error instanceof LeaseLostError) {
          // Fenced: another instance owns the workflow now. Never retried, nothing published.
          const first = this.failure === null;
          this.leaseLost(error);
          this.deps.logger.warn('lease lost: the workflow was taken over; this writer stops', {
            workflowId: this.workflowId,
            epoch: error.epoch,
            currentEpoch: error.currentEpoch,
          });
          if (first) this.lease?.onLost?.(error);
          return;
        }
        if (attempt >= this.commitAttempts) {
          this.failure = error instanceof Error ? error : new Error(String(error));
          this.deps.logger.error('commit failed; the run stops writing', {
            workflowId: this.workflowId,
            error: this.failure,
          });
          return;
        }
        this.deps.logger.warn('commit failed; retrying', { workflowId: this.workflowId, attempt, error });
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      }
    }
    const update = this.committed(events, patch);
    if (update) await update;
  }

  /**
   * After a batch is committed: the sequence moves on, the row (when known) takes the patch, and
   * the batch is published; a status change too, by the promise returned (awaited in the commit
   * chain, so a workflow's updates go out in commit order). Nothing for an empty batch.
   */
  private committed(events: readonly AgentEvent[], patch: WorkflowPatch): Promise<void> | undefined {
    const last = events.at(-1);
    if (!last) return undefined;
    this.committedSequence = last.sequence;
    // A copy per status change only: most commits (the tokens) change nothing on the row but its
    // last sequence, which `committedRow` and the update take from `committedSequence`.
    if (this.row && hasChanges(patch)) this.row = withPatch(this.row, patch);
    this.deps.pubsub.publish(this.workflowId, events);
    return patch.status !== undefined ? this.publishWorkflowUpdate() : undefined;
  }

  /**
   * The workflow-updates channel gets the row as committed. Awaited inside the commit chain, so
   * a workflow's updates are published in commit order (RUNNING before SUCCEEDED).
   */
  private async publishWorkflowUpdate(): Promise<void> {
    const row = this.committedRow;
    if (row) {
      this.deps.pubsub.publishWorkflowUpdate(row);
      return;
    }
    try {
      const workflow = await this.deps.store.getWorkflow(this.workflowId);
      if (workflow) this.deps.pubsub.publishWorkflowUpdate(workflow);
    } catch (error) {
      // The status is committed and the history has it; only the live dashboard misses a beat.
      this.deps.logger.warn('could not publish a workflow update', { workflowId: this.workflowId, error });
    }
  }
}

/** Whether a commit's patch changes the row beyond its last sequence. */
function hasChanges(patch: WorkflowPatch): boolean {
  for (const key in patch) if (patch[key as keyof WorkflowPatch] !== undefined) return true;
  return false;
}

/** `row` after a commit of `patch`: what a read of the row returns (its `lastSequence` aside). */
function withPatch(row: WorkflowRecord, patch: WorkflowPatch): WorkflowRecord {
  const next: WorkflowRecord = { ...row };
  if (patch.status !== undefined) next.status = patch.status;
  if (patch.output !== undefined) next.output = patch.output;
  if (patch.text !== undefined) next.text = patch.text;
  if (patch.error !== undefined) next.error = patch.error;
  if (patch.usage !== undefined) next.usage = patch.usage;
  if (patch.startedAt !== undefined) next.startedAt = patch.startedAt;
  if (patch.finishedAt !== undefined) next.finishedAt = patch.finishedAt;
  return next;
}

let nowMs = -1;
let nowIso = '';

/** `new Date().toISOString()`, made once per millisecond: a burst of events shares one string. */
function isoNow(): string {
  const ms = Date.now();
  if (ms !== nowMs) {
    nowMs = ms;
    nowIso = new Date(ms).toISOString();
  }
  return nowIso;
}
