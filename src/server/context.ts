import type { SynapseContext, SynapseServices } from '../schema/index.js';
import { ANONYMOUS_PRINCIPAL, ANONYMOUS_TENANT, type Principal } from '../schema/principal.js';
import { createLoaders } from './loaders.js';

/** The tenant of anonymous callers while authentication is off (docs/security.md). */
export const DEFAULT_TENANT = ANONYMOUS_TENANT;

/** A fresh context per HTTP request or per graphql-ws operation: loaders never outlive it. */
export function createContext(
  services: SynapseServices,
  principal: Principal = ANONYMOUS_PRINCIPAL,
  requestId?: string,
): SynapseContext {
  return {
    ...services,
    tenantId: principal.tenantId,
    principal,
    loaders: createLoaders(services.store, principal.tenantId),
    ...(requestId !== undefined ? { requestId } : {}),
  };
}
