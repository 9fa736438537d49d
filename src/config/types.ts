import type { z } from 'zod';
import type {
  AgentConfigSchema,
  ConfigFileSchema,
  DatabaseConfigSchema,
  DemoOptionsSchema,
  RedisConfigSchema,
  RetentionConfigSchema,
  RetryConfigSchema,
  ServerConfigSchema,
  TimeoutsConfigSchema,
  ToolSourceConfigSchema,
  WebhookConfigSchema,
} from './schema.js';
import type { ApiKeyConfigSchema, AuthConfigSchema, JwtConfigSchema, LimitsConfigSchema } from './auth-schema.js';

/** `server` with defaults applied: `port` 4000, `host` '127.0.0.1', `shutdownGraceMs` 10000. */
export type ServerConfig = z.output<typeof ServerConfigSchema>;
/** `database`: `url` absent means embedded SQLite under `dataDir`. */
export type DatabaseConfig = z.output<typeof DatabaseConfigSchema>;
/** `redis` with defaults applied and `url` resolved (REDIS_URL wins). */
export type RedisConfig = Omit<z.output<typeof RedisConfigSchema>, 'url'> & { url: string };
/** `retention`: `days`, `sweepIntervalMs` (default 1 h), `batchSize` (default 500). Absent: history is kept forever. */
export type RetentionConfig = z.output<typeof RetentionConfigSchema>;
/** An agent's optional timeouts, each a positive number of milliseconds. */
export type TimeoutsConfig = z.output<typeof TimeoutsConfigSchema>;
/** An agent's retry policy; always present, defaults `{ attempts: 3, backoffMs: 250 }`. */
export type RetryConfig = z.output<typeof RetryConfigSchema>;
/** Options of the `demo` dialect; always present on demo agents, default `{ wordDelayMs: 40 }`. */
export type DemoOptions = z.output<typeof DemoOptionsSchema>;
/** One tool source of an agent: `type` plus its source-specific keys, unvalidated for now. */
export type ToolSourceConfig = z.output<typeof ToolSourceConfigSchema>;
/** One entry of `agents`, with defaults applied. */
export type AgentConfig = z.output<typeof AgentConfigSchema>;

/** `auth` with defaults applied and `required` resolved (docs/security.md). */
export type AuthConfig = z.output<typeof AuthConfigSchema>;
/** One entry of `auth.apiKeys`. */
export type ApiKeyConfig = z.output<typeof ApiKeyConfigSchema>;
/** `auth.jwt`. */
export type JwtConfig = z.output<typeof JwtConfigSchema>;
/** `limits` with every default applied. */
export type LimitsConfig = z.output<typeof LimitsConfigSchema>;

type ConfigFile = z.output<typeof ConfigFileSchema>;

/** One `webhooks` entry, `events` defaulted. */
export type WebhookConfig = z.output<typeof WebhookConfigSchema>;

/** The validated configuration the server runs with. */
export interface SynapseConfig extends Omit<ConfigFile, 'redis'> {
  /** Present when Redis carries the fan-out (`redis` section or `REDIS_URL`). */
  redis?: RedisConfig;
  /** Absolute directory for local state (embedded database and the like): `SYNAPSE_DATA_DIR`, else `<cwd>/.synapse`. */
  dataDir: string;
  /** Absolute path of the file the configuration was read from; null when there was none. */
  configPath: string | null;
}
