import type { AgentEvent } from '../events/index.js';
import type { CommitOptions, Store, WorkflowPatch } from './types.js';

/** One workflow's batch in a group commit: the arguments of one `Store.commit` call. */
export interface CommitItem {
  workflowId: string;
  events: readonly AgentEvent[];
  patch: WorkflowPatch;
  options: CommitOptions;
}

/**
 * Commits many workflows' batches together. The answer has one entry per item, in order: null
 * when the item committed, or the error that refused it alone (a lease lost, a sequence
 * conflict, an unknown workflow): one item's refusal never holds back the others. A rejection
 * of the whole call (the store is unreachable) refuses every item.
 */
export type CommitGroup = (items: readonly CommitItem[]) => Promise<(Error | null)[]>;

/** Told after every group: how many workflows' batches it held and how long the store took. */
export type CommitGroupListener = (workflows: number, durationMs: number) => void;

interface Queued {
  item: CommitItem;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * `Store.commit` as a group commit across workflows (docs/architecture.md, "The life of a run";
 * docs/performance.md, "Many runs at model pace"): every call of one event-loop turn goes to the
 * store in one `commitGroup`, and at most one group is in flight for the whole store. Calls made
 * while a group is in flight wait for it and then go together, so the group grows when the store
 * falls behind instead of queueing one transaction per workflow per batch.
 *
 * Each call still resolves or rejects on its own, exactly like a lone commit. A second call for a
 * workflow that already has a batch in the next group waits for the group after it, so a
 * workflow's batches commit one at a time, in call order.
 */
export function createGroupCommit(commitGroup: CommitGroup, onGroup?: CommitGroupListener): Store['commit'] {
  let queue: Queued[] = [];
  let inFlight = false;
  let scheduled = false;

  const schedule = () => {
    if (inFlight || scheduled || queue.length === 0) return;
    scheduled = true;
    // The end of this turn: every writer whose events arrived in it joins the same group.
    setImmediate(run);
  };

  const run = () => {
    scheduled = false;
    const taken: Queued[] = [];
    const later: Queued[] = [];
    const seen = new Set<string>();
    for (const queued of queue) {
      if (seen.has(queued.item.workflowId)) later.push(queued);
      else {
        seen.add(queued.item.workflowId);
        taken.push(queued);
      }
    }
    queue = later;
    inFlight = true;
    const started = performance.now();
    commitGroup(taken.map((queued) => queued.item))
      .then(
        (results) => {
          taken.forEach((queued, index) => {
            const error = results[index];
            if (error) queued.reject(error);
            else queued.resolve();
          });
        },
        (error: unknown) => {
          for (const queued of taken) queued.reject(error);
        },
      )
      .finally(() => {
        inFlight = false;
        onGroup?.(taken.length, performance.now() - started);
        schedule();
      });
  };

  return (workflowId, events, patch, options = {}) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ item: { workflowId, events, patch, options }, resolve, reject });
      schedule();
    });
}
