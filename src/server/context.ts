import DataLoader from 'dataloader';
import type { SynapseContext, SynapseServices } from '../schema/index.js';
import { createToolCallsLoader } from '../schema/tool-calls.js';

/** The tenant of every caller until authentication arrives (see docs/architecture.md). */
export const DEFAULT_TENANT = 'default';

/** A fresh context per HTTP request or per graphql-ws operation: loaders never outlive it. */
export function createContext(services: SynapseServices): SynapseContext {
  return {
    ...services,
    tenantId: DEFAULT_TENANT,
    loaders: {
      workflow: new DataLoader((ids: readonly string[]) => services.store.getWorkflows(ids)),
      toolCalls: createToolCallsLoader(services.store, DEFAULT_TENANT),
    },
  };
}
