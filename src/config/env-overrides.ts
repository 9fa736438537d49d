import path from 'node:path';
import type { ConfigIssue } from '../errors/index.js';
import { parsePort } from './parse-port.js';
import { PORT_RANGE } from './schema.js';
import type { Environment } from './substitute-env.js';

/** Settings the environment imposes over the file, the way hosting platforms expect (`PORT`). */
export interface EnvOverrides {
  /** From `PORT`; wins over `server.port`. */
  port?: number;
  /** From `DATABASE_URL`; wins over `database.url`. */
  databaseUrl?: string;
  /** From `REDIS_URL`; wins over `redis.url` and turns Redis on without a `redis` section. */
  redisUrl?: string;
  /** From `SYNAPSE_DATA_DIR`, else `<cwd>/.synapse`; always absolute. */
  dataDir: string;
}

/**
 * Reads `PORT`, `DATABASE_URL`, `REDIS_URL` and `SYNAPSE_DATA_DIR`. An empty variable counts as unset, since
 * `PORT=` in a shell or an env file usually means "no value" rather than "port zero".
 */
export function readEnvOverrides(env: Environment, cwd: string): { overrides: EnvOverrides; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const overrides: EnvOverrides = {
    dataDir: path.resolve(cwd, nonEmpty(env.SYNAPSE_DATA_DIR) ?? '.synapse'),
  };

  const port = nonEmpty(env.PORT);
  if (port !== undefined) {
    const parsed = parsePort(port);
    if (parsed !== null) overrides.port = parsed;
    else {
      const shown = JSON.stringify(port.length > 20 ? `${port.slice(0, 20)}…` : port);
      const range = `from ${PORT_RANGE.min} to ${PORT_RANGE.max}`;
      issues.push({ path: 'PORT', message: `environment variable must be an integer ${range}, received ${shown}` });
    }
  }

  const databaseUrl = nonEmpty(env.DATABASE_URL);
  if (databaseUrl !== undefined) overrides.databaseUrl = databaseUrl;

  const redisUrl = nonEmpty(env.REDIS_URL);
  if (redisUrl !== undefined) {
    if (/^rediss?:\/\//.test(redisUrl)) overrides.redisUrl = redisUrl;
    else issues.push({ path: 'REDIS_URL', message: 'environment variable must be a redis:// or rediss:// URL' });
  }

  return { overrides, issues };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
