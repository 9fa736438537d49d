import { isSynapseError, LeaseLostError, RunError, RunErrorCode } from '../errors/index.js';
import type { AgentEventBody, Usage } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { PubSub } from '../pubsub/index.js';
import { readStoredText, type Store } from '../store/index.js';
import type { LeaseKeeper } from './lease-keeper.js';
import { isStoreFault, type StoreHealth } from './store-health.js';
import { WorkflowWriter } from './workflow-writer.js';

export interface CommitFailureDeps {
  store: Store;
  pubsub: PubSub;
  logger: Logger;
  leases: LeaseKeeper;
  health: StoreHealth;
}

export interface FailedRun {
  workflowId: string;
  /** The last sequence the failed writer committed: the terminal event follows it. */
  lastSequence: number;
  epoch: number;
  usage: Usage | null;
  /** Why the writer stopped. */
  error: Error;
}

const RETRY_MS = [100, 250, 500, 1_000];

/**
 * Ends a run whose writer stopped because a commit failed (docs/errors.md): with `RunFailed
 * STORE_UNAVAILABLE` naming the store when the store refused the write (a full disk, a read-only
 * file, a lost connection), or `RunFailed INTERNAL` when what was written was at fault. Never a
 * silent stop: the terminal event is committed after the last committed event, at the run's lease
 * epoch (held until then), and published. When the store refuses that too, it is retried (at
 * most every second) until the store accepts writes again; meanwhile `health` reports the store
 * down. Resolves after the first attempt; `stop()` ends the retries (shutdown).
 */
export class CommitFailureHandler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly deps: CommitFailureDeps) {}

  /** Whether the store accepts writes, as the failed commits it handles found it. */
  get health(): StoreHealth {
    return this.deps.health;
  }

  /**
   * When `writer` stopped because a commit failed (not because its lease was lost: the new owner
   * ends the workflow then), ends its workflow (`endRun`). Resolves after the first attempt.
   */
  async endIfWriterFailed(workflowId: string, writer: WorkflowWriter, usage: Usage | null): Promise<void> {
    const error = writer.error;
    if (!error || error instanceof LeaseLostError) return;
    await this.endRun({
      workflowId,
      lastSequence: writer.lastCommittedSequence,
      epoch: writer.leaseEpoch ?? 1,
      usage,
      error,
    });
  }

  async endRun(run: FailedRun): Promise<void> {
    const storeFault = isStoreFault(run.error);
    const failure = storeFault
      ? new RunError(
          RunErrorCode.STORE_UNAVAILABLE,
          `the ${this.deps.health.storeName} store refused to write this run's events (${describe(run.error)}); the events before the failure are kept`,
          {
            retryable: true,
            recoverySuggestion: 'Run the agent again once the gateway reports ready (/readyz).',
          },
        )
      : new RunError(
          RunErrorCode.INTERNAL,
          'the gateway could not store an event of this run; the events before it are kept',
          { retryable: false },
        );
    this.deps.logger.error(
      storeFault
        ? 'the store refused a commit; the run ends with STORE_UNAVAILABLE'
        : 'an event could not be stored; the run ends with INTERNAL',
      {
        workflowId: run.workflowId,
        error: run.error,
      },
    );
    if (storeFault) this.deps.health.refused(run.workflowId, run.error);
    const terminal: AgentEventBody = {
      type: 'RunFailed',
      code: failure.code,
      message: failure.message,
      retryable: failure.retryable,
      recoverySuggestion: failure.recoverySuggestion,
      usage: run.usage,
    };
    // Keep the lease while the terminal event is unwritten, so no sweep calls the run interrupted.
    const release = this.deps.leases.hold(run.workflowId, run.epoch, () => this.deps.health.written(run.workflowId));
    await this.attempt(run, terminal, release, 0);
  }

  /** Ends the retries (shutdown): a run still without its terminal event is swept later. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async attempt(run: FailedRun, terminal: AgentEventBody, release: () => void, retry: number): Promise<void> {
    let error: unknown;
    try {
      const writer = new WorkflowWriter(
        this.deps,
        run.workflowId,
        run.lastSequence,
        { commitAttempts: 1 },
        { epoch: run.epoch },
      );
      writer.continueText(await readStoredText(this.deps.store, run.workflowId));
      writer.append(terminal);
      await writer.flush();
      error = writer.error;
    } catch (caught) {
      error = caught;
    }
    if (error === null || error instanceof LeaseLostError) {
      // Written, or another instance owns the workflow now and ends it.
      release();
      this.deps.health.written(run.workflowId);
      if (retry > 0)
        this.deps.logger.info('the store accepts writes again; the run is ended', {
          workflowId: run.workflowId,
          code: (terminal as { code: string }).code,
        });
      return;
    }
    this.deps.health.refused(run.workflowId, error);
    if (this.stopped) return release();
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        void this.attempt(run, terminal, release, retry + 1);
      },
      RETRY_MS[Math.min(retry, RETRY_MS.length - 1)],
    );
    timer.unref();
    this.timers.add(timer);
  }
}

/** The store's own words, short: "SQLITE_FULL: database or disk is full". */
function describe(error: Error): string {
  // The store's own code (SQLITE_FULL, ECONNREFUSED), not the code of one of our errors, which
  // names a condition of the gateway rather than of the store (a SequenceConflictError).
  const code = isSynapseError(error) ? undefined : (error as { code?: unknown }).code;
  const message = error.message.length > 200 ? `${error.message.slice(0, 200)}…` : error.message;
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
