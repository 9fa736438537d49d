export { createSynapseServer } from './synapse-server.js';
export type { SynapseServer, SynapseServerOptions } from './synapse-server.js';
export { apiKeyDigest } from './auth/api-keys.js';
export { ROOT_FIELD_SCOPES, requiredScope } from './auth/scope-table.js';
export type { Principal, Scope } from '../schema/principal.js';
export { InMemoryRateLimiter } from './limits/rate-limiter.js';
export type { RateDecision, RateLimiter } from './limits/rate-limiter.js';
