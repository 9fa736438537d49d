import type { Logger } from '../logger.js';
import type { PubSub } from '../pubsub/index.js';
import { readStoredText, type Store } from '../store/index.js';
import type { LeaseKeeper } from './lease-keeper.js';
import { RunErrorCode } from '../errors/index.js';
import { endPausedWorkflow } from './paused-workflow.js';
import { interruptedEvent } from './run-manager.js';
import { WorkflowWriter, type WriterOptions } from './workflow-writer.js';

export interface LeaseSweeperOptions {
  /** Pause between sweeps. Default (also when undefined): half the lease. */
  intervalMs?: number | undefined;
  /** Workflows taken over per store call; a sweep goes on until fewer come back. Default 100. */
  batchSize?: number;
  /** Store calls per sweep at most, so one sweep stays bounded; the next sweep goes on. Default 100. */
  maxBatchesPerSweep?: number;
}

/** Far enough in the future that every lease counts as expired (a valid Date, a safe integer). */
const EVERY_LEASE = new Date(8.64e15);

/**
 * The lease sweep (docs/scaling.md, ownership and leases), on every instance: workflows still QUEUED or RUNNING
 * whose lease expired (their owner died or was cut off) are taken over at a new epoch and end
 * with one `RunFailed INTERRUPTED`, committed at that epoch and published like any batch
 * (events and a workflow update), so live subscribers on this instance get it and others fill
 * the gap from the store. The takeover is atomic in the store: when several instances sweep at
 * once, each workflow is closed by exactly one of them, and its old owner is fenced.
 */
export class LeaseSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> = Promise.resolve(0);
  private stopped = false;
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly maxBatches: number;

  constructor(
    private readonly deps: { store: Store; pubsub: PubSub; logger: Logger; leases: LeaseKeeper },
    options: LeaseSweeperOptions = {},
    private readonly writerOptions: WriterOptions = {},
    /** Told about every paused workflow this sweep ended with INTERRUPT_EXPIRED (metrics). */
    private readonly onInterruptExpired?: (workflowId: string) => void,
  ) {
    this.intervalMs = options.intervalMs ?? Math.max(1, Math.floor(deps.leases.leaseMs / 2));
    this.batchSize = options.batchSize ?? 100;
    this.maxBatches = options.maxBatchesPerSweep ?? 100;
  }

  /**
   * Runs one sweep now (after one in progress). `everyLease`: take over every unfinished workflow
   * whatever its expiry — only for a single-instance store at start-up, before this instance
   * has created any workflow. Resolves with the number of workflows it closed.
   */
  sweep(options: { everyLease?: boolean } = {}): Promise<number> {
    this.running = this.running.catch(() => 0).then(() => this.sweepOnce(options.everyLease === true));
    return this.running;
  }

  /** Sweeps every `intervalMs` from now on (the first after one interval). */
  start(): void {
    if (this.stopped || this.timer) return;
    const tick = () => {
      this.timer = setTimeout(() => {
        this.sweep()
          .catch((error: unknown) => this.deps.logger.error('lease sweep failed', { error }))
          .finally(() => {
            if (!this.stopped) tick();
          });
      }, this.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running.catch(() => 0);
  }

  private async sweepOnce(everyLease: boolean): Promise<number> {
    let closed = 0;
    for (let batch = 0; batch < this.maxBatches; batch += 1) {
      const now = Date.now();
      const taken = await this.deps.store.takeOverExpiredLeases({
        owner: this.deps.leases.instanceId,
        expiredAt: everyLease ? EVERY_LEASE : new Date(now),
        leaseExpiresAt: new Date(now + this.deps.leases.leaseMs),
        limit: this.batchSize,
      });
      for (const { workflow, epoch } of taken) {
        const writer = new WorkflowWriter(this.deps, workflow.id, workflow.lastSequence, this.writerOptions, { epoch });
        // The terminal commit writes the row's text, which a running workflow's row does not
        // hold: rebuild it from the committed deltas.
        writer.continueText(await readStoredText(this.deps.store, workflow.id));
        writer.append(
          interruptedEvent(workflow.usage, 'the gateway instance running this workflow stopped (its lease expired)'),
        );
        await writer.flush();
        if (writer.error === null) closed += 1;
      }
      if (taken.length < this.batchSize) break;
    }
    if (closed > 0) {
      this.deps.logger.warn('lease sweep marked workflows of a stopped instance as INTERRUPTED', { count: closed });
    }
    return closed + (await this.expireInterrupts());
  }

  /**
   * Paused workflows (INPUT_REQUIRED) past their interrupts' `expiresAt` end with RunFailed
   * INTERRUPT_EXPIRED, on whichever instance sweeps first: the store hands each to exactly one.
   */
  private async expireInterrupts(): Promise<number> {
    let expired = 0;
    for (let batch = 0; batch < this.maxBatches; batch += 1) {
      const now = Date.now();
      const taken = await this.deps.store.interrupts.takeOverExpired({
        owner: this.deps.leases.instanceId,
        now: new Date(now),
        leaseExpiresAt: new Date(now + this.deps.leases.leaseMs),
        limit: this.batchSize,
      });
      for (const takeover of taken) {
        const ended = await endPausedWorkflow(
          this.deps,
          takeover,
          {
            type: 'RunFailed',
            code: RunErrorCode.INTERRUPT_EXPIRED,
            message: "nobody answered the workflow's interrupts before they expired",
            retryable: false,
            recoverySuggestion:
              "Run the agent again and answer its interrupts before they expire (the agent's interruptTimeoutMs).",
            usage: null,
          },
          this.writerOptions,
        );
        if (ended) {
          expired += 1;
          this.onInterruptExpired?.(takeover.workflow.id);
        }
      }
      if (taken.length < this.batchSize) break;
    }
    if (expired > 0) this.deps.logger.warn('ended paused workflows whose interrupts expired', { count: expired });
    return expired;
  }
}
