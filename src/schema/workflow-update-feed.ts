import { GraphQLError } from 'graphql';
import { GraphqlErrorCode } from '../errors/index.js';
import type { PubSub } from '../pubsub/index.js';
import type { WorkflowListFilter, WorkflowRecord } from '../store/index.js';
import { matchesFilter } from './workflow-filter.js';

/** Distinct workflows a subscriber may have waiting before it is cut off as lagging. */
export const WORKFLOW_UPDATES_MAX_PENDING = 4096;

/**
 * The live feed of one `workflowUpdates` subscriber: committed workflows from the pubsub's
 * workflow-updates channel that match its filter (tenant included). The queue holds at most one
 * entry per workflow: a newer state of a workflow still waiting replaces the older one in place,
 * so a slow reader gets every workflow's latest status and memory stays bounded by the number of
 * workflows that changed, capped at `maxPending` (then the subscription ends with LAGGED).
 * A hand-written iterator: `return()` unsubscribes at once, even while no update arrives.
 */
export class WorkflowUpdateFeed implements AsyncIterableIterator<WorkflowRecord> {
  private readonly pending = new Map<string, WorkflowRecord>();
  private waiting: ((result: IteratorResult<WorkflowRecord>) => void) | null = null;
  private failure: GraphQLError | null = null;
  private finished = false;
  private readonly unsubscribe: () => void;

  constructor(
    pubsub: PubSub,
    private readonly filter: WorkflowListFilter,
    private readonly maxPending = WORKFLOW_UPDATES_MAX_PENDING,
  ) {
    this.unsubscribe = pubsub.subscribeWorkflowUpdates((workflow) => this.push(workflow));
  }

  private push(workflow: WorkflowRecord): void {
    if (this.finished || this.failure || !matchesFilter(workflow, this.filter)) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: workflow, done: false });
      return;
    }
    if (!this.pending.has(workflow.id) && this.pending.size >= this.maxPending) {
      this.failure = new GraphQLError(
        `workflowUpdates: the subscriber fell ${this.maxPending} workflows behind; subscribe again and read the current state with workflows(filter)`,
        { extensions: { code: GraphqlErrorCode.LAGGED } },
      );
      this.pending.clear();
      this.unsubscribe();
      return;
    }
    this.pending.set(workflow.id, workflow); // an existing key keeps its place, takes the newer state
  }

  next(): Promise<IteratorResult<WorkflowRecord>> {
    const first = this.pending.entries().next();
    if (!first.done) {
      this.pending.delete(first.value[0]);
      return Promise.resolve({ value: first.value[1], done: false });
    }
    if (this.failure) {
      // Reported once; the feed is over afterwards.
      const failure = this.failure;
      this.failure = null;
      this.finish();
      return Promise.reject(failure);
    }
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<WorkflowRecord>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<WorkflowRecord>> {
    this.finish();
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- iterator protocol: throw(e) rejects with the caller's own value
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<WorkflowRecord> {
    return this;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.pending.clear();
    this.unsubscribe();
    const resolve = this.waiting;
    this.waiting = null;
    resolve?.({ value: undefined, done: true });
  }
}
