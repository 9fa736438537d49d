import type { AgentConfig, ToolSourceConfig } from '../config/index.js';
import type { Dialect } from '../dialects/index.js';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import type { Logger } from '../logger.js';
import { AgentToolSource } from './agent-tool-source.js';
import { deriveAgentToolUrl } from './agent-tool-url.js';
import { ArgumentValidator } from './argument-validator.js';
import { BuiltinToolSource } from './builtin-tool-source.js';
import { HttpToolSource } from './http-tool-source.js';
import { McpToolSource } from './mcp-tool-source.js';
import { SubagentToolSource } from './subagent-tool-source.js';
import type { RegisteredTool, ToolSource } from './types.js';

export interface ToolRegistryOptions {
  logger: Logger;
  /** Where the agents came from (the config file), named in errors. */
  source?: string;
}

/**
 * The tools of every agent: the dialect's built-ins first, then each source of the agent's
 * `tools` list in order. Names are unique per agent: a clash among configured tools stops
 * start-up; an MCP server that lists a name already taken is logged and shadowed.
 */
/**
 * The configured agents as the registry reads them: the bridge's `AgentRegistry` is one. Declared
 * here so the tools stage does not import the bridge, which comes after it
 * (docs/architecture.md, "Stage order").
 */
export interface AgentCatalog {
  list(): readonly { readonly config: AgentConfig; readonly dialect: Dialect }[];
  get(id: string): { readonly config: AgentConfig; readonly dialect: Dialect } | undefined;
}

export class ToolRegistry {
  readonly validator = new ArgumentValidator();
  private readonly sources = new Map<string, ToolSource[]>();
  private readonly listeners = new Set<() => void>();
  private readonly logger: Logger;

  /** @throws {ConfigError} when a declared inputSchema does not compile or a name repeats */
  constructor(agents: AgentCatalog, options: ToolRegistryOptions) {
    this.logger = options.logger;
    const issues: ConfigIssue[] = [];
    for (const [agentIndex, agent] of agents.list().entries()) {
      const list: ToolSource[] = [new BuiltinToolSource(agent.dialect, `agents[${agentIndex}] built-in tools`)];
      const declared = new Map<string, string>(list[0]!.tools().map((tool) => [tool.name, 'the dialect']));
      for (let [sourceIndex, config] of (agent.config.tools ?? []).entries()) {
        const label = `agents[${agentIndex}].tools[${sourceIndex}]`;
        if (config.type === 'agent' && config.url === undefined) {
          const derived = deriveAgentToolUrl(agent.config);
          if (derived === undefined) {
            issues.push({
              path: `${label}.url`,
              message: 'required (it is derived from the agent url only for dialect "synapse-ws")',
            });
            continue;
          }
          config = { ...config, url: derived, headers: config.headers ?? agent.config.headers };
        }
        if (config.type === 'subagent' && !agents.get(config.agentId)) {
          issues.push({ path: `${label}.agentId`, message: `"${config.agentId}" is not an agent of this config` });
          continue;
        }
        const source = this.createSource(
          config,
          label,
          config.type === 'subagent' ? agents.get(config.agentId)?.config.description : undefined,
        );
        for (const [toolIndex, tool] of source.tools().entries()) {
          const path = config.type === 'agent' ? `${label}.tools[${toolIndex}]` : label;
          const earlier = declared.get(tool.name);
          if (earlier)
            issues.push({ path: `${path}.name`, message: `tool "${tool.name}" is already provided by ${earlier}` });
          declared.set(tool.name, path);
          try {
            this.validator.compile(tool.inputSchema);
          } catch (error) {
            issues.push({
              path: `${path}.inputSchema`,
              message: `not a valid JSON Schema: ${(error as Error).message}`,
            });
          }
        }
        list.push(source);
      }
      this.sources.set(agent.config.id, list);
    }
    if (issues.length > 0) throw new ConfigError(options.source ?? '(in-memory config)', issues);
  }

  /** Connects every MCP server and lists its tools, all at once; an unreachable one is only logged. */
  async start(): Promise<void> {
    await Promise.all([...this.allSources()].map(async (source) => source.start?.()));
  }

  /** The tools of an agent now, or undefined for an unknown agent. */
  list(agentId: string): RegisteredTool[] | undefined {
    const sources = this.sources.get(agentId);
    if (!sources) return undefined;
    const byName = new Map<string, RegisteredTool>();
    for (const source of sources) {
      for (const tool of source.tools()) {
        if (byName.has(tool.name)) continue;
        byName.set(tool.name, { ...tool, source });
      }
    }
    return [...byName.values()];
  }

  /**
   * The tool `name` of an agent. When it is not listed and one of the agent's MCP servers is
   * disconnected, that server is given one chance to reconnect (bounded by its timeout) first.
   */
  async find(agentId: string, name: string): Promise<RegisteredTool | undefined> {
    const found = this.list(agentId)?.find((tool) => tool.name === name);
    if (found) return found;
    const offline = (this.sources.get(agentId) ?? []).filter(
      (source): source is McpToolSource => source instanceof McpToolSource && !source.connected,
    );
    if (offline.length === 0) return undefined;
    await Promise.all(offline.map((source) => source.connect().catch(() => undefined)));
    return this.list(agentId)?.find((tool) => tool.name === name);
  }

  /** Ids of the agents that list a tool of this name. */
  agentsOffering(name: string): string[] {
    return [...this.sources.keys()].filter((agentId) => this.list(agentId)?.some((tool) => tool.name === name));
  }

  /** Called after any MCP server's tool list was (re)read. Returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Closes every MCP connection (stdio servers are stopped). */
  async close(): Promise<void> {
    await Promise.all([...this.allSources()].map(async (source) => source.close?.()));
  }

  private *allSources(): Iterable<ToolSource> {
    for (const list of this.sources.values()) yield* list;
  }

  private createSource(config: ToolSourceConfig, label: string, subagentDescription?: string): ToolSource {
    switch (config.type) {
      case 'agent':
        if (config.url === undefined) throw new Error(`${label}: the agent tool endpoint has no url`);
        return new AgentToolSource({ ...config, url: config.url }, label);
      case 'http':
        return new HttpToolSource(config, label);
      case 'mcp':
        return new McpToolSource(config, label, this.logger, () => {
          for (const listener of this.listeners) listener();
        });
      case 'subagent':
        return new SubagentToolSource(config, label, subagentDescription);
    }
  }
}
