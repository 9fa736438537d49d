import type { AgentConfig } from '../config/index.js';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import type { Dialect } from '../dialects/index.js';

export interface RegisteredAgent {
  config: AgentConfig;
  dialect: Dialect;
}

/** The configured agents, each bound to its dialect implementation. */
export class AgentRegistry {
  private readonly agents = new Map<string, RegisteredAgent>();

  /**
   * @param source where the agents came from (the config file), named in errors
   * @throws {ConfigError} when an agent names a dialect this build does not implement
   */
  constructor(configs: readonly AgentConfig[], available: ReadonlyMap<string, Dialect>, source = '(in-memory config)') {
    const issues: ConfigIssue[] = [];
    for (const [index, config] of configs.entries()) {
      const dialect = available.get(config.dialect);
      if (!dialect) {
        issues.push({
          path: `agents[${index}].dialect`,
          message: `"${config.dialect}" is not implemented by this build yet (available: ${[...available.keys()].join(', ')})`,
        });
        continue;
      }
      this.agents.set(config.id, { config, dialect });
    }
    if (issues.length > 0) throw new ConfigError(source, issues);
  }

  get(id: string): RegisteredAgent | undefined {
    return this.agents.get(id);
  }

  list(): RegisteredAgent[] {
    return [...this.agents.values()];
  }
}
