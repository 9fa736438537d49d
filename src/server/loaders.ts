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
  return new Loaders(store, tenantId);
}

type LoaderSet = SynapseContext['loaders'];
type WorkflowLoader = LoaderSet['workflow'];
type ToolCallsLoader = SynapseContext['loaders']['toolCalls'];

/**
 * Every loader is built on first use, and the set itself is one small object: a subscription's
 * context lives as long as it does and most never load anything (docs/performance.md, idle
 * subscriptions).
 */
class Loaders implements LoaderSet {
  private workflowLoader: WorkflowLoader | undefined;
  private toolCallsLoader: ToolCallsLoader | undefined;
  // One loader per (afterSequence, first): DataLoader batches keys, not arguments.
  private eventWindows: Map<string, DataLoader<string, AgentEvent[]>> | undefined;

  constructor(
    private readonly store: Store,
    private readonly tenantId: string,
  ) {}

  get workflow(): WorkflowLoader {
    const store = this.store;
    return (this.workflowLoader ??= new DataLoader((ids: readonly string[]) => store.getWorkflows(ids)));
  }

  get toolCalls(): ToolCallsLoader {
    return (this.toolCallsLoader ??= createToolCallsLoader(this.store, this.tenantId));
  }

  events(afterSequence: number, first: number): DataLoader<string, AgentEvent[]> {
    const key = `${afterSequence}:${first}`;
    const windows = (this.eventWindows ??= new Map());
    let loader = windows.get(key);
    if (!loader) {
      const store = this.store;
      loader = new DataLoader(
        async (ids: readonly string[]) => {
          const byWorkflow = await store.readEventWindows(ids, afterSequence, first);
          return ids.map((id) => byWorkflow.get(id) ?? []);
        },
        { cache: false },
      );
      windows.set(key, loader);
    }
    return loader;
  }
}
