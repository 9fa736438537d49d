import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { LeaseLostError } from '../errors/index.js';
import type { Store } from '../store/index.js';

export interface LeaseSettings {
  /** This instance's id: the owner of the workflows it creates. Default: a random UUID. */
  instanceId?: string;
  /** Lease duration. Renewed every third of it. Default 10 s. */
  leaseMs?: number;
}

export const DEFAULT_LEASE_MS = 10_000;

interface Held {
  epoch: number;
  onLost: (error: LeaseLostError) => void;
}

/**
 * The leases of one gateway instance (docs/scaling.md): the lease a new
 * workflow is created with, and a timer that renews every active workflow's lease in one store
 * statement per tick. A lease the renewal finds taken over is reported to its holder, which stops
 * its writer and aborts its upstream. Shared by the RunManager and the ToolCallRunner.
 */
export class LeaseKeeper {
  readonly instanceId: string;
  readonly leaseMs: number;
  private readonly held = new Map<string, Held>();
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: { store: Store; logger: Logger },
    settings: LeaseSettings = {},
  ) {
    this.instanceId = settings.instanceId ?? randomUUID();
    this.leaseMs = settings.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** The lease to create a workflow with (epoch 1 in the store). */
  newLease(now = Date.now()): { owner: string; expiresAt: Date } {
    return { owner: this.instanceId, expiresAt: new Date(now + this.leaseMs) };
  }

  /** Number of leases renewed by this instance. */
  get size(): number {
    return this.held.size;
  }

  /**
   * Keeps renewing `workflowId`'s lease at `epoch` until the returned release is called;
   * `onLost` runs at most once if a renewal finds it taken over.
   */
  hold(workflowId: string, epoch: number, onLost: (error: LeaseLostError) => void): () => void {
    const entry: Held = { epoch, onLost };
    this.held.set(workflowId, entry);
    this.ensureTimer();
    return () => {
      if (this.held.get(workflowId) === entry) this.held.delete(workflowId);
    };
  }

  /** Renews every held lease now, in one statement (per 500). Resolves after the losers were told. */
  renew(): Promise<void> {
    this.renewing = this.renewing.then(() => this.renewOnce());
    return this.renewing;
  }

  /** Stops renewing (shutdown); leases left expire and are swept elsewhere. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.renewing;
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.renew(), Math.max(1, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  private async renewOnce(): Promise<void> {
    if (this.held.size === 0) return;
    const snapshot = [...this.held.entries()];
    const leases = snapshot.map(([workflowId, entry]) => ({ workflowId, epoch: entry.epoch }));
    let lost: string[];
    try {
      lost = await this.deps.store.renewLeases(this.instanceId, leases, new Date(Date.now() + this.leaseMs));
    } catch (error) {
      // The next tick retries; if the store stays away past the lease, the sweep of another
      // instance takes the workflows over and every commit here is fenced.
      this.deps.logger.warn('lease renewal failed', { error, leases: leases.length });
      return;
    }
    const asked = new Map(snapshot);
    for (const workflowId of lost) {
      const entry = asked.get(workflowId);
      if (!entry || this.held.get(workflowId) !== entry) continue;
      this.held.delete(workflowId);
      this.deps.logger.warn('lease lost: the workflow was taken over by another sweep', {
        workflowId,
        epoch: entry.epoch,
      });
      entry.onLost(new LeaseLostError(workflowId, entry.epoch, null));
    }
  }
}
