import type { AgentEvent } from '../events/index.js';
import type { WorkflowRecord } from '../store/index.js';

/** Receives the events of one committed batch, in sequence order. */
export type EventBatchListener = (events: readonly AgentEvent[]) => void;

/** Receives a workflow, as committed, after a commit changed its status. */
export type WorkflowUpdateListener = (workflow: WorkflowRecord) => void;

/**
 * Live fan-out of committed event batches, keyed by workflow. Delivery is best effort: a
 * subscriber that misses a batch fills the gap from the store, so the pubsub never buffers.
 */
export interface PubSub {
  publish(workflowId: string, events: readonly AgentEvent[]): void;
  /** Returns the function that removes the listener. */
  subscribe(workflowId: string, listener: EventBatchListener): () => void;
  /** The workflow-updates channel: every tenant's status changes (subscribers filter). */
  publishWorkflowUpdate(workflow: WorkflowRecord): void;
  /** Returns the function that removes the listener. */
  subscribeWorkflowUpdates(listener: WorkflowUpdateListener): () => void;
  ping(): Promise<void>;
  close(): Promise<void>;
}
