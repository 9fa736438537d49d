import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors/index.js';
import { parseConfig } from './parse-config.js';
import { parseConfigText } from './parse-config-text.js';
import type { Environment } from './substitute-env.js';
import type { SynapseConfig } from './types.js';

/** File names looked for in the working directory, in this order, when no path is given. */
export const CONFIG_FILE_NAMES = ['synapse.config.json', 'synapse.config.yaml', 'synapse.config.yml'] as const;

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The `--config` flag: wins over `SYNAPSE_CONFIG` and discovery. Relative to `cwd`. */
  configPath?: string;
  /** Environment for `SYNAPSE_CONFIG`, `${VAR}` substitution and overrides. Default `process.env`. */
  env?: Environment;
  /** Where discovery looks and relative paths start. Default `process.cwd()`. */
  cwd?: string;
}

/**
 * Finds, reads and validates the configuration. The file is `options.configPath`, else
 * `SYNAPSE_CONFIG`, else the first of {@link CONFIG_FILE_NAMES} present in `cwd`, else none (the
 * built-in demo agent). A path named explicitly must exist.
 *
 * @throws {ConfigError} for a missing named file, a syntax error, or invalid settings.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<SynapseConfig> {
  const env = options.env ?? process.env;
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const located = await locateConfigFile(options.configPath, env, cwd);
  if (located === null) {
    return parseConfig(undefined, { source: 'the environment (no config file)', env, cwd, configPath: null });
  }

  const text = await readConfigText(located.path, located.origin);
  const raw = await parseConfigText(text, located.path);
  return parseConfig(raw, { source: located.path, env, cwd, configPath: located.path });
}

type Origin = '--config' | 'SYNAPSE_CONFIG' | 'discovery';

async function locateConfigFile(
  flag: string | undefined,
  env: Environment,
  cwd: string,
): Promise<{ path: string; origin: Origin } | null> {
  // An empty flag or variable is treated as absent, the way shells and env files tend to mean it.
  if (flag !== undefined && flag !== '') return { path: path.resolve(cwd, flag), origin: '--config' };
  const fromEnv = env.SYNAPSE_CONFIG;
  if (fromEnv !== undefined && fromEnv !== '') return { path: path.resolve(cwd, fromEnv), origin: 'SYNAPSE_CONFIG' };
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(cwd, name);
    if (await isFile(candidate)) return { path: candidate, origin: 'discovery' };
  }
  return null;
}

async function readConfigText(filePath: string, origin: Origin): Promise<string> {
  try {
    return await readFile(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError(filePath, [{ path: origin, message: `no such file: ${filePath}` }]);
    }
    const reason = code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new ConfigError(filePath, [{ path: '(file)', message: `cannot be read: ${reason}` }]);
  }
}

async function isFile(candidate: string): Promise<boolean> {
  try {
    return (await stat(candidate)).isFile();
  } catch {
    return false;
  }
}
