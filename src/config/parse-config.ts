import path from 'node:path';
import type { ConfigIssue } from '../errors/index.js';
import { ConfigError } from '../errors/index.js';
import { isRecord } from './agent-rules.js';
import { readEnvOverrides } from './env-overrides.js';
import type { z } from 'zod';
import { ConfigFileSchema, RedisConfigSchema } from './schema.js';
import type { Environment } from './substitute-env.js';
import { substituteEnv } from './substitute-env.js';
import type { RedisConfig, SynapseConfig } from './types.js';
import { configIssuesFromZod } from './zod-issues.js';

/** Options of {@link parseConfig}. */
export interface ParseConfigOptions {
  /** Where `raw` came from, named in error messages. Default `(in-memory config)`. */
  source?: string;
  /**
   * Variables for `${VAR}` substitution and the `PORT` / `DATABASE_URL` / `SYNAPSE_DATA_DIR`
   * overrides. Default `process.env`; tests should pass `{}` so the host environment cannot leak in.
   */
  env?: Environment;
  /** Base for the default and relative `dataDir`. Default `process.cwd()`. */
  cwd?: string;
  /** Recorded as `configPath` in the result. Default null. */
  configPath?: string | null;
}

/**
 * Validates a configuration already in memory (a parsed file, or an object built by a test or an
 * embedding server) and returns it with defaults and environment overrides applied.
 * `undefined` or `null` (an empty YAML file) means "no settings": the built-in demo agent.
 *
 * @throws {ConfigError} listing every problem found, each with its key path.
 */
export function parseConfig(raw: unknown, options: ParseConfigOptions = {}): SynapseConfig {
  const source = options.source ?? '(in-memory config)';
  const env = options.env ?? process.env;
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const input = raw ?? {};

  const { overrides, issues: envIssues } = readEnvOverrides(env, cwd);
  if (!isRecord(input)) {
    const received = Array.isArray(input) ? 'a list' : `a ${typeof input}`;
    const rootIssue: ConfigIssue = {
      path: '(root)',
      message: `expected an object with the sections server, database, agents; received ${received}`,
    };
    throw new ConfigError(source, [rootIssue, ...envIssues]);
  }

  // Substitution problems are reported alone: validating placeholder text would only add noise.
  const substituted = substituteEnv(input, env);
  if (!substituted.ok) throw new ConfigError(source, [...substituted.issues, ...envIssues]);

  const parsed = ConfigFileSchema.safeParse(substituted.value, { reportInput: true });
  const fileIssues = parsed.success ? [] : configIssuesFromZod(parsed.error.issues, ConfigFileSchema);
  if (!parsed.success || envIssues.length > 0) throw new ConfigError(source, [...fileIssues, ...envIssues]);

  const { server, database, agents, retention, auth, limits, webhooks, webhookDelivery } = parsed.data;
  const databaseUrl = overrides.databaseUrl ?? database.url;
  const redis = resolveRedis(parsed.data.redis, overrides.redisUrl, databaseUrl);
  if (redis.issue) throw new ConfigError(source, [redis.issue]);
  return {
    server: { ...server, port: overrides.port ?? server.port },
    database: databaseUrl === undefined ? { ...database } : { ...database, url: databaseUrl },
    agents,
    ...(redis.config === undefined ? {} : { redis: redis.config }),
    ...(retention === undefined ? {} : { retention }),
    ...(webhooks === undefined ? {} : { webhooks }),
    ...(webhookDelivery === undefined ? {} : { webhookDelivery }),
    auth,
    limits,
    dataDir: overrides.dataDir,
    configPath: options.configPath ?? null,
  };
}

/**
 * Redis is on when the `redis` section or `REDIS_URL` says so. It is refused with an embedded
 * SQLite store: instances behind a load balancer must share one history, and a single instance
 * gains nothing from Redis (docs/scaling.md).
 */
function resolveRedis(
  section: z.output<typeof ConfigFileSchema>['redis'],
  envUrl: string | undefined,
  databaseUrl: string | undefined,
): { config?: RedisConfig; issue?: ConfigIssue } {
  if (section === undefined && envUrl === undefined) return {};
  const url = envUrl ?? section?.url;
  const path = envUrl !== undefined ? 'REDIS_URL' : 'redis.url';
  if (url === undefined)
    return { issue: { path, message: 'required when the redis section is present (or set REDIS_URL)' } };
  if (databaseUrl === undefined || !/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    return {
      issue: {
        path,
        message:
          'Redis needs a shared PostgreSQL store: set database.url or DATABASE_URL to postgres://… (with SQLite every instance would keep its own history)',
      },
    };
  }
  const defaults = RedisConfigSchema.parse({});
  return { config: { ...defaults, ...section, url } };
}
