import type { Store } from '../store/index.js';
import type { RunObserver } from './observer.js';

/**
 * The store, with every `commit` timed and reported to `observer`. Every other member is the
 * store's own (whatever the store implementation adds), bound to it.
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
  return new Proxy(store, {
    get(target, property) {
      if (property === 'commit') return commit;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
