import type { AgentEvent } from '../events/index.js';
import type { Store } from '../store/index.js';
import type { RunObserver } from './observer.js';

/**
 * The store, with every `commit` timed and reported to `observer`, and so is a
 * `createWorkflow` that commits the workflow's first events (a run start). Every other member
 * is the store's own (whatever the store implementation adds), bound to it.
 */
export function observeStore<S extends Store>(store: S, observer: RunObserver): S {
  /** Runs `write` (a write of `events`) and reports it: its time, or its failure. */
  const observed = async <T>(workflowId: string, events: readonly AgentEvent[], write: () => Promise<T>) => {
    const started = performance.now();
    let result: T;
    try {
      result = await write();
    } catch (error) {
      observer.commitFailed(workflowId, error);
      throw error;
    }
    observer.eventsCommitted(workflowId, events, performance.now() - started);
    return result;
  };
  const commit: Store['commit'] = (workflowId, events, patch, options) =>
    observed(workflowId, events, () => store.commit(workflowId, events, patch, options));
  const createWorkflow: Store['createWorkflow'] = (workflow, first) =>
    first
      ? observed(workflow.id, first.events, () => store.createWorkflow(workflow, first))
      : store.createWorkflow(workflow);
  return new Proxy(store, {
    get(target, property) {
      if (property === 'commit') return commit;
      if (property === 'createWorkflow') return createWorkflow;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
