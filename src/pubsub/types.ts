import type { AgentEvent } from '../events/index.js';
import type { WorkflowRecord } from '../store/index.js';

/** Receives the events of one committed batch, in sequence order. */
export type EventBatchListener = (events: readonly AgentEvent[]) => void;

/** Receives a workflow, as committed, after a commit changed its status. */
export type WorkflowUpdateListener = (workflow: WorkflowRecord) => void;

/**
 * A request between gateway instances. `cancel`: the instance that runs the workflow aborts it
 * (the `cancelWorkflow` mutation may arrive at any instance).
 */
export type ControlMessage = { type: 'cancel'; workflowId: string; reason: string | null };

/** Receives control messages from every instance, this one included. */
export type ControlListener = (message: ControlMessage) => void;

/**
 * Live fan-out of committed event batches, keyed by workflow. Delivery is best effort: a
 * subscriber that misses a batch fills the gap from the store, so the pubsub never buffers.
 */
export interface PubSub {
  /** True when other gateway instances receive what this one publishes (Redis). */
  readonly shared: boolean;
  publish(workflowId: string, events: readonly AgentEvent[]): void;
  /** Returns the function that removes the listener. */
  subscribe(workflowId: string, listener: EventBatchListener): () => void;
  /** The workflow-updates channel: every tenant's status changes (subscribers filter). */
  publishWorkflowUpdate(workflow: WorkflowRecord): void;
  /** Returns the function that removes the listener. */
  subscribeWorkflowUpdates(listener: WorkflowUpdateListener): () => void;
  /**
   * Sends a control message to every instance (this one included). Resolves once it is handed
   * to the transport; rejects when it cannot be sent (Redis down), so the caller can say so.
   */
  publishControl(message: ControlMessage): Promise<void>;
  /** Returns the function that removes the listener. */
  subscribeControl(listener: ControlListener): () => void;
  /** Resolves while the fan-out works; rejects when it is degraded (`/readyz`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
