import DataLoader from 'dataloader';
import type { AgentEvent } from '../events/index.js';
import type { SynapseContext } from '../schema/index.js';
import { createToolCallsLoader } from '../schema/tool-calls.js';
import type { Store } from '../store/index.js';

/**
 * One set of DataLoaders per request (or graphql-ws operation): every relation of a page of
 * workflows costs one statement per batch, not one per workflow. Loaders never outlive their
 * context, so nothing is cached across requests or tenants. The event and tool-call loaders
 * batch without caching: a subscription's context lives as long as the subscription, and a live
 * workflow's events change between two updates.
 */
export function createLoaders(store: Store, tenantId: string): SynapseContext['loaders'] {
  // One loader per (afterSequence, first): DataLoader batches keys, not arguments.
  const eventWindows = new Map<string, DataLoader<string, AgentEvent[]>>();
  // Built on first use: a subscription's context lives as long as it does and most never load
  // anything (docs/performance.md, idle subscriptions).
  let workflow: DataLoader<string, SynapseContext['loaders']['workflow'] extends DataLoader<string, infer V> ? V : never> | undefined;
  let toolCalls: SynapseContext['loaders']['toolCalls'] | undefined;
  return {
    get workflow() {
      return (workflow ??= new DataLoader((ids: readonly string[]) => store.getWorkflows(ids)));
    },
    get toolCalls() {
      return (toolCalls ??= createToolCallsLoader(store, tenantId));
    },
    events(afterSequence, first) {
      const key = `${afterSequence}:${first}`;
      let loader = eventWindows.get(key);
      if (!loader) {
        loader = new DataLoader(
          async (ids: readonly string[]) => {
            const byWorkflow = await store.readEventWindows(ids, afterSequence, first);
            return ids.map((id) => byWorkflow.get(id) ?? []);
          },
          { cache: false },
        );
        eventWindows.set(key, loader);
      }
      return loader;
    },
  };
}
