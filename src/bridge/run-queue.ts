import { randomUUID } from 'node:crypto';
import { ThreadBusy } from '../errors/index.js';
import type { Logger } from '../logger.js';
import type { PubSub } from '../pubsub/index.js';
import type { Store, WorkflowRecord } from '../store/index.js';
import type { AgentRegistry } from './agent-registry.js';
import type { LeaseKeeper } from './lease-keeper.js';
import { leaseClaimedWorkflow } from './leased-workflow.js';
import { cancelWorkflowAnywhere } from './remote-cancel.js';
import type { RunManager, StartRunRequest } from './run-manager.js';
import type { WriterOptions } from './workflow-writer.js';

/** What to do when the thread already has an active workflow (docs/run-control.md). */
export type MultitaskStrategy = 'REJECT' | 'ENQUEUE' | 'INTERRUPT';

const ACTIVE = new Set(['QUEUED', 'RUNNING', 'INPUT_REQUIRED']);

export interface RunQueueDeps {
  store: Store;
  pubsub: PubSub;
  logger: Logger;
  agents: AgentRegistry;
  runs: RunManager;
  leases: LeaseKeeper;
  /** Told when a queued workflow starts, with how long it waited (metrics). */
  onDequeued?: (agentId: string, waitedMs: number) => void;
}

export interface RunQueueOptions {
  /** How often to look for queued workflows this instance may start. Default 500. */
  pollMs?: number;
  writer?: WriterOptions;
}

/**
 * Run control's queue (docs/run-control.md): starts a run at once, or parks it QUEUED in the store
 * when its thread is busy (ENQUEUE, INTERRUPT) or its agent is at `concurrency.maxRunning`, and
 * starts parked workflows in FIFO order as their thread and agent free up, on whichever instance
 * claims them first (src/store/run-queue.ts makes the claim atomic).
 */
export class RunQueue {
  private timer: NodeJS.Timeout | null = null;
  private dispatching: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly pollMs: number;

  constructor(
    private readonly deps: RunQueueDeps,
    private readonly options: RunQueueOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 500;
  }

  /**
   * Starts or queues a run. Returns its workflow: RUNNING when it started, QUEUED when it waits.
   * Throws ThreadBusy (REJECT) without creating anything.
   */
  async submit(
    request: StartRunRequest & { workflowId: string },
    strategy: MultitaskStrategy = 'REJECT',
  ): Promise<WorkflowRecord> {
    const agent = this.deps.agents.get(request.agentId);
    const maxRunning = agent?.config.concurrency?.maxRunning ?? null;
    if (request.threadId == null && maxRunning === null) return this.deps.runs.start(request);
    const { runs } = this.deps;
    if (runs.isDraining) return runs.start(request); // refuses with ShuttingDownError

    let active: WorkflowRecord[] = [];
    if (request.threadId != null) {
      active = (await this.deps.store.listThread(request.tenantId, request.threadId)).filter((workflow) =>
        ACTIVE.has(workflow.status),
      );
      if (active.length > 0 && strategy === 'REJECT') throw new ThreadBusy(request.threadId, active[0]!);
    }
    const parked = await this.deps.store.queue.park({
      id: request.workflowId,
      tenantId: request.tenantId,
      kind: 'AGENT_RUN',
      agentId: request.agentId,
      threadId: request.threadId ?? randomUUID(),
      input: { ...request.input },
      metadata: request.metadata ?? null,
      createdAt: new Date(),
    });
    if (strategy === 'INTERRUPT') {
      const reason = `superseded by workflow ${parked.id} (multitaskStrategy INTERRUPT)`;
      for (const workflow of active) await this.cancelActive(workflow.id, reason);
    }
    const outcome = await this.tryStart(parked, maxRunning);
    if (outcome === 'threadBusy' && strategy === 'REJECT') {
      // Another run of the thread got in first (a race): refuse this one, as if it had come second.
      if (await this.deps.store.queue.discard(parked.id)) {
        const now = (await this.deps.store.listThread(request.tenantId, parked.threadId!)).find(
          (workflow) => workflow.id !== parked.id && ACTIVE.has(workflow.status),
        );
        throw new ThreadBusy(parked.threadId!, now ?? parked);
      }
    }
    if (outcome !== 'claimed')
      this.deps.logger.info('workflow queued', { workflowId: parked.id, agentId: request.agentId, reason: outcome });
    return (await this.deps.store.getWorkflow(parked.id)) ?? parked;
  }

  /**
   * Cancels a queued workflow (any instance's): it ends RunCancelled and its upstream is never
   * called. False when it is not queued (any more).
   */
  async cancelQueued(workflowId: string, reason: string | null): Promise<boolean> {
    const { store, leases } = this.deps;
    if (!(await store.queue.unpark(workflowId, leases.instanceId, new Date(Date.now() + leases.leaseMs)))) return false;
    const { writer, release } = leaseClaimedWorkflow(this.deps, workflowId, this.options.writer ?? {}, () => {});
    writer.append({ type: 'RunCancelled', reason, usage: null });
    await writer.flush();
    release();
    this.kick();
    return writer.error === null;
  }

  /** Polls for queued workflows until `stop`. */
  start(): void {
    if (this.stopped || this.timer) return;
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.dispatching;
  }

  /** Looks for queued workflows to start now (coalesced: one pass at a time, one more if asked meanwhile). */
  kick(): void {
    if (this.stopped) return;
    if (this.dispatching) {
      this.again = true;
      return;
    }
    this.dispatching = this.dispatch()
      .catch((error: unknown) => this.deps.logger.error('run queue dispatch failed', { error }))
      .finally(() => {
        this.dispatching = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Waits for the dispatch pass in progress, if any (tests). */
  async settled(): Promise<void> {
    while (this.dispatching) await this.dispatching;
  }

  private async dispatch(): Promise<void> {
    if (this.deps.runs.isDraining) return;
    const parked = await this.deps.store.queue.listParked(200);
    for (const workflow of parked) {
      if (this.stopped || this.deps.runs.isDraining) return;
      const agent = workflow.agentId ? this.deps.agents.get(workflow.agentId) : undefined;
      await this.tryStart(workflow, agent?.config.concurrency?.maxRunning ?? null);
    }
  }

  private async tryStart(workflow: WorkflowRecord, maxRunning: number | null) {
    const { store, leases, runs } = this.deps;
    const outcome = await store.queue.claim({
      workflowId: workflow.id,
      owner: leases.instanceId,
      leaseExpiresAt: new Date(Date.now() + leases.leaseMs),
      maxRunning,
    });
    if (outcome !== 'claimed') return outcome;
    this.deps.onDequeued?.(workflow.agentId ?? '(none)', Date.now() - workflow.createdAt.getTime());
    try {
      await runs.startClaimed(workflow);
    } catch (error) {
      this.deps.logger.error('a queued workflow could not start', { workflowId: workflow.id, error });
    }
    return outcome;
  }

  private async cancelActive(workflowId: string, reason: string): Promise<void> {
    if (await this.cancelQueued(workflowId, reason)) return;
    const outcome = await cancelWorkflowAnywhere(this.deps, workflowId, reason);
    if (!outcome.cancelled)
      this.deps.logger.warn('INTERRUPT could not cancel the active workflow of the thread', { workflowId });
  }
}
