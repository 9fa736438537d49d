/** The package's public surface: embed the gateway, load its config, use its event model. */
export { createSynapseServer } from './server/index.js';
export type { SynapseServer, SynapseServerOptions } from './server/index.js';
export { apiKeyDigest, InMemoryRateLimiter, ROOT_FIELD_SCOPES } from './server/index.js';
export type { Principal, RateDecision, RateLimiter, Scope } from './server/index.js';
export { ConfigError, loadConfig, parseConfig } from './config/index.js';
export type { AgentConfig, SynapseConfig } from './config/index.js';
export {
  AgentEventBodySchema,
  AgentEventSchema,
  AGENT_EVENT_TYPES,
  isTerminal,
  RunErrorCode,
  RUN_ERROR_CODES,
} from './events/index.js';
export type { AgentEvent, AgentEventBody, AgentEventType, Usage } from './events/index.js';
export {
  GRAPHQL_ERROR_CODES,
  GraphqlErrorCode,
  isSynapseError,
  SynapseError,
  USER_ERROR_CODES,
  UserErrorCode,
} from './errors/index.js';
export { printSynapseSchema, schema } from './schema/index.js';
export { SynapseMetrics } from './observability/metrics.js';
export { createPinoLogger } from './observability/pino-logger.js';
export { startTracingFromEnv } from './observability/tracing.js';
export type { RunObserver } from './observability/observer.js';
export { MOCK_DIALECTS, startMockUpstream } from './mock-upstream/index.js';
export type { MockFault, MockUpstreamOptions, RunningMock } from './mock-upstream/index.js';
