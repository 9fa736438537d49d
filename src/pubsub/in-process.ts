import type { AgentEvent } from '../events/index.js';
import type { WorkflowRecord } from '../store/index.js';
import type { ControlListener, EventBatchListener, PubSub, WorkflowUpdateListener } from './types.js';

/**
 * The embedded fan-out: a listener set per workflow. A listener that throws is isolated so that
 * one broken subscriber cannot stop delivery to the others or reach the publisher.
 */
export function createInProcessPubSub(onListenerError?: (error: unknown) => void): PubSub {
  const topics = new Map<string, Set<EventBatchListener>>();
  const workflowUpdateListeners = new Set<WorkflowUpdateListener>();
  const controlListeners = new Set<ControlListener>();

  return {
    shared: false,
    publish(workflowId: string, events: readonly AgentEvent[]) {
      const listeners = topics.get(workflowId);
      if (!listeners) return;
      for (const listener of listeners) {
        try {
          listener(events);
        } catch (error) {
          onListenerError?.(error);
        }
      }
    },
    subscribe(workflowId: string, listener: EventBatchListener) {
      let listeners = topics.get(workflowId);
      if (!listeners) {
        listeners = new Set();
        topics.set(workflowId, listeners);
      }
      listeners.add(listener);
      return () => {
        const current = topics.get(workflowId);
        if (!current) return;
        current.delete(listener);
        if (current.size === 0) topics.delete(workflowId);
      };
    },
    publishWorkflowUpdate(workflow: WorkflowRecord) {
      for (const listener of workflowUpdateListeners) {
        try {
          listener(workflow);
        } catch (error) {
          onListenerError?.(error);
        }
      }
    },
    subscribeWorkflowUpdates(listener: WorkflowUpdateListener) {
      workflowUpdateListeners.add(listener);
      return () => {
        workflowUpdateListeners.delete(listener);
      };
    },
    async publishControl(message) {
      for (const listener of controlListeners) {
        try {
          listener(message);
        } catch (error) {
          onListenerError?.(error);
        }
      }
    },
    subscribeControl(listener: ControlListener) {
      controlListeners.add(listener);
      return () => {
        controlListeners.delete(listener);
      };
    },
    async ping() {},
    async close() {
      topics.clear();
      workflowUpdateListeners.clear();
      controlListeners.clear();
    },
  };
}
