import type { SynapseContext, SynapseServices } from '../schema/index.js';
import { createLoaders } from './loaders.js';

/** The tenant of every caller until authentication arrives (see docs/architecture.md). */
export const DEFAULT_TENANT = 'default';

/** A fresh context per HTTP request or per graphql-ws operation: loaders never outlive it. */
export function createContext(services: SynapseServices): SynapseContext {
  return {
    ...services,
    tenantId: DEFAULT_TENANT,
    loaders: createLoaders(services.store, DEFAULT_TENANT),
  };
}
