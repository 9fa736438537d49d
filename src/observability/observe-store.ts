import type { Store } from '../store/index.js';
import type { RunObserver } from './observer.js';

/**
 * The store, with every `commit` timed and reported to `observer`, and so is a
 * `createWorkflow` that commits the workflow's first events (a run start). Every other member
 * is the store's own (whatever the store implementation adds), bound to it.
 */
export function observeStore<S extends Store>(store: S, observer: RunObserver): S {
  const commit: Store['commit'] = async (workflowId, events, patch, options) => {
    const started = performance.now();
    try {
      await store.commit(workflowId, events, patch, options);
    } catch (error) {
      observer.commitFailed(workflowId, error);
      throw error;
    }
    observer.eventsCommitted(workflowId, events, performance.now() - started);
  };
  const createWorkflow: Store['createWorkflow'] = async (workflow, first) => {
    if (!first) return store.createWorkflow(workflow);
    const started = performance.now();
    let created;
    try {
      created = await store.createWorkflow(workflow, first);
    } catch (error) {
      observer.commitFailed(workflow.id, error);
      throw error;
    }
    observer.eventsCommitted(workflow.id, first.events, performance.now() - started);
    return created;
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'commit') return commit;
      if (property === 'createWorkflow') return createWorkflow;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
