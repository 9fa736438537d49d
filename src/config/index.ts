export { loadConfig, CONFIG_FILE_NAMES } from './load-config.js';
export type { LoadConfigOptions } from './load-config.js';
export { parseConfig } from './parse-config.js';
export type { ParseConfigOptions } from './parse-config.js';
export { parsePort, PORT_RULE } from './parse-port.js';
// loadConfig and parseConfig throw ConfigError; it lives in the error family (src/errors/config-error.ts).
export { ConfigError, formatConfigErrorMessage } from '../errors/index.js';
export type { ConfigIssue } from '../errors/index.js';
export { formatPath } from './format-path.js';
export { DIALECT_NAMES, WEBSOCKET_DIALECTS, allowedUrlProtocols, isDialectName } from './dialect-names.js';
export type { DialectName } from './dialect-names.js';
export {
  AgentConfigSchema,
  BUILT_IN_DEMO_AGENT,
  ConfigFileSchema,
  PLANNED_SECTIONS,
  PORT_RANGE,
  RedisConfigSchema,
  TOOL_SOURCE_TYPES,
} from './schema.js';
export { substituteEnv } from './substitute-env.js';
export { AuthConfigSchema, LimitsConfigSchema, SCOPES, exposureProblem, isLoopbackHost } from './auth-schema.js';
export type { Environment, SubstitutionResult } from './substitute-env.js';
export type {
  AgentConfig,
  ApiKeyConfig,
  AuthConfig,
  JwtConfig,
  LimitsConfig,
  DatabaseConfig,
  RedisConfig,
  DemoOptions,
  RetentionConfig,
  RetryConfig,
  ServerConfig,
  SynapseConfig,
  TimeoutsConfig,
  ToolSourceConfig,
  WebhookConfig,
} from './types.js';
export { HTTP_TOOL_METHODS } from './tool-sources.js';
export type {
  AgentToolSourceConfig,
  DeclaredToolConfig,
  HttpToolSourceConfig,
  McpToolSourceConfig,
  SubagentToolSourceConfig,
} from './tool-sources.js';
