import type { Logger } from '../logger.js';
import type { PubSub } from '../pubsub/index.js';
import type { LeaseLostError } from '../errors/index.js';
import type { AgentEventBody } from '../events/index.js';
import type { NewWorkflow, Store } from '../store/index.js';
import type { LeaseKeeper } from './lease-keeper.js';
import { WorkflowWriter, type WriterOptions } from './workflow-writer.js';

export interface LeasedWorkflow {
  writer: WorkflowWriter;
  /** Stops renewing the lease: call when the workflow has ended (its terminal event is committed). */
  release: () => void;
}

/**
 * Creates a workflow owned by this instance (lease epoch 1) and its writer, fenced at that epoch,
 * with the lease renewed by `leases` until `release()`. The one place the RunManager and the
 * ToolCallRunner share their lease handling: when the lease is lost (a renewal finds it taken
 * over, or a commit is fenced), the writer stops for good and `onLost` runs once, to abort the
 * upstream. `first`: the workflow's first events, committed with its row (`WorkflowWriter.create`):
 * a run start's RunStarted.
 */
export async function createLeasedWorkflow(
  deps: { store: Store; pubsub: PubSub; logger: Logger; leases: LeaseKeeper },
  workflow: Omit<NewWorkflow, 'lease'>,
  writerOptions: WriterOptions,
  onLost: (error: LeaseLostError) => void,
  first: readonly AgentEventBody[] = [],
): Promise<LeasedWorkflow> {
  let lost = false;
  const lose = (error: LeaseLostError) => {
    if (lost) return;
    lost = true;
    writer.leaseLost(error);
    release();
    onLost(error);
  };
  const writer = new WorkflowWriter(deps, workflow.id, 0, writerOptions, { epoch: 1, onLost: lose });
  for (const body of first) writer.append(body);
  await writer.create({ ...workflow, lease: deps.leases.newLease() });
  const release = deps.leases.hold(workflow.id, 1, lose);
  return { writer, release };
}

/**
 * The writer of a queued workflow this instance has just claimed (the store gave it lease epoch
 * 1, src/store/run-queue.ts): as `createLeasedWorkflow`, without creating the row.
 */
export function leaseClaimedWorkflow(
  deps: { store: Store; pubsub: PubSub; logger: Logger; leases: LeaseKeeper },
  workflowId: string,
  writerOptions: WriterOptions,
  onLost: (error: LeaseLostError) => void,
): LeasedWorkflow {
  let lost = false;
  const lose = (error: LeaseLostError) => {
    if (lost) return;
    lost = true;
    writer.leaseLost(error);
    release();
    onLost(error);
  };
  const writer = new WorkflowWriter(deps, workflowId, 0, writerOptions, { epoch: 1, onLost: lose });
  const release = deps.leases.hold(workflowId, 1, lose);
  return { writer, release };
}
