import { isTerminal } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { PubSub } from '../pubsub/index.js';
import { isFinishedStatus, type Store, type WorkflowRecord } from '../store/index.js';
import type { RunManager } from './run-manager.js';

export interface RemoteCancelDeps {
  store: Pick<Store, 'getWorkflow'>;
  pubsub: PubSub;
  runs: Pick<RunManager, 'cancel'> & Partial<Pick<RunManager, 'cancelPaused'>>;
}

export interface CancelOutcome {
  /** True when this request ended the run (its status is now CANCELLED). */
  cancelled: boolean;
  /** The workflow as stored after the attempt; undefined when there is none. */
  workflow: WorkflowRecord | undefined;
}

export interface CancelAnywhereOptions {
  /** How long to wait for the owning instance to end a run it holds. Default 5000. */
  waitMs?: number;
  /** Store re-reads while waiting (the owner's terminal event may arrive over the pubsub sooner). Default 100. */
  pollMs?: number;
}

/**
 * Every instance: cancel requests sent by other instances reach the runs of this one. A request
 * for a run this instance does not hold is ignored (its owner answers it). Returns the unsubscribe.
 */
export function listenForCancelRequests(deps: RemoteCancelDeps & { logger: Logger }): () => void {
  return deps.pubsub.subscribeControl((message) => {
    if (message.type !== 'cancel') return;
    deps.runs.cancel(message.workflowId, message.reason).then(
      (cancelled) => {
        if (cancelled)
          deps.logger.info('cancelled a run at the request of another instance', { workflowId: message.workflowId });
      },
      (error: unknown) => deps.logger.error('remote cancel failed', { workflowId: message.workflowId, error }),
    );
  });
}

/**
 * `cancelWorkflow` on any instance: cancels the run here when this instance holds it; otherwise,
 * when the pubsub spans instances and the agent run is unfinished, asks every instance to cancel
 * it and waits (bounded) for its terminal status. `cancelled` is false when the workflow was
 * already finished, finished otherwise meanwhile, or its owner did not answer in time.
 */
export async function cancelWorkflowAnywhere(
  deps: RemoteCancelDeps,
  workflowId: string,
  reason: string | null,
  options: CancelAnywhereOptions = {},
): Promise<CancelOutcome> {
  if (await deps.runs.cancel(workflowId, reason))
    return { cancelled: true, workflow: await deps.store.getWorkflow(workflowId) };
  const before = await deps.store.getWorkflow(workflowId);
  // Paused for a person: no instance holds it; whoever cancels takes it over from the pause.
  if (before?.status === 'INPUT_REQUIRED' && deps.runs.cancelPaused) {
    const cancelled = await deps.runs.cancelPaused(workflowId, reason);
    return { cancelled, workflow: await deps.store.getWorkflow(workflowId) };
  }
  if (!before || !deps.pubsub.shared || before.kind !== 'AGENT_RUN' || isFinishedStatus(before.status)) {
    return { cancelled: false, workflow: before };
  }

  // Listen before asking, so a quick answer cannot slip by.
  let wake: () => void = () => {};
  let woken = new Promise<void>((resolve) => (wake = resolve));
  const unsubscribe = deps.pubsub.subscribe(workflowId, (events) => {
    if (events.some((event) => isTerminal(event))) wake();
  });
  try {
    try {
      await deps.pubsub.publishControl({ type: 'cancel', workflowId, reason });
    } catch {
      // Redis is down: nobody can be asked. The caller sees the run still going.
      return { cancelled: false, workflow: before };
    }
    const deadline = Date.now() + (options.waitMs ?? 5_000);
    let workflow: WorkflowRecord | undefined = before;
    for (;;) {
      workflow = (await deps.store.getWorkflow(workflowId)) ?? workflow;
      if (!workflow || isFinishedStatus(workflow.status)) break;
      const left = deadline - Date.now();
      if (left <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        woken,
        new Promise((resolve) => (timer = setTimeout(resolve, Math.min(left, options.pollMs ?? 100)))),
      ]);
      clearTimeout(timer);
      woken = new Promise<void>((resolve) => (wake = resolve));
    }
    return { cancelled: workflow?.status === 'CANCELLED', workflow };
  } finally {
    unsubscribe();
  }
}
