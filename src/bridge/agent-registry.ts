import type { AgentConfig } from '../config/index.js';
import type { Dialect } from '../dialects/index.js';

export interface RegisteredAgent {
  config: AgentConfig;
  dialect: Dialect;
}

/** Thrown at start-up when the config names a dialect this build does not implement. */
export class UnsupportedDialectError extends Error {
  override readonly name = 'UnsupportedDialectError';
}

/** The configured agents, each bound to its dialect implementation. */
export class AgentRegistry {
  private readonly agents = new Map<string, RegisteredAgent>();

  constructor(configs: readonly AgentConfig[], available: ReadonlyMap<string, Dialect>) {
    const problems: string[] = [];
    for (const [index, config] of configs.entries()) {
      const dialect = available.get(config.dialect);
      if (!dialect) {
        problems.push(
          `  - agents[${index}].dialect: "${config.dialect}" is not implemented by this build yet (available: ${[...available.keys()].join(', ')})`,
        );
        continue;
      }
      this.agents.set(config.id, { config, dialect });
    }
    if (problems.length > 0) {
      throw new UnsupportedDialectError(`Invalid configuration:\n${problems.join('\n')}`);
    }
  }

  get(id: string): RegisteredAgent | undefined {
    return this.agents.get(id);
  }

  list(): RegisteredAgent[] {
    return [...this.agents.values()];
  }
}
