import type { SubagentToolSourceConfig } from '../config/index.js';
import { ToolCallError } from '../errors/index.js';
import { DEFAULT_MAX_RESULT_BYTES, type ToolDefinition, type ToolOutcome, type ToolSource } from './types.js';

/** What a subagent tool takes: one prompt (docs/runtime.md). */
export const SUBAGENT_INPUT_SCHEMA = {
  type: 'object',
  properties: { prompt: { type: 'string', description: 'What the agent is asked.' } },
  required: ['prompt'],
  additionalProperties: false,
};

/** Ten minutes: a subagent is a whole run, not a request. */
export const DEFAULT_SUBAGENT_TIMEOUT_MS = 600_000;

/** The longest chain of runs a subagent call may start unless `maxDepth` says otherwise: a run, its child, the child's child. */
export const DEFAULT_SUBAGENT_MAX_DEPTH = 3;

/** Children of one subagent tool one run may have running at once unless `maxConcurrent` says otherwise. */
export const DEFAULT_SUBAGENT_MAX_CONCURRENT = 8;

/**
 * Another agent of the config as a tool named after its id. The agent runtime runs a call as a
 * child workflow (src/runtime/subagent-runner.ts); outside the runtime (callTool) it cannot run.
 */
export class SubagentToolSource implements ToolSource {
  readonly kind = 'subagent';
  readonly timeoutMs: number;
  readonly maxResultBytes: number;
  readonly agentId: string;
  readonly maxDepth: number;
  readonly maxConcurrent: number;
  private readonly definition: ToolDefinition;

  constructor(
    config: SubagentToolSourceConfig,
    readonly label: string,
    agentDescription: string | undefined,
  ) {
    this.agentId = config.agentId;
    this.maxDepth = config.maxDepth ?? DEFAULT_SUBAGENT_MAX_DEPTH;
    this.maxConcurrent = config.maxConcurrent ?? DEFAULT_SUBAGENT_MAX_CONCURRENT;
    this.timeoutMs = config.timeoutMs ?? DEFAULT_SUBAGENT_TIMEOUT_MS;
    this.maxResultBytes = config.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
    this.definition = {
      name: config.agentId,
      description: config.description ?? agentDescription ?? `Runs the agent ${config.agentId}.`,
      inputSchema: SUBAGENT_INPUT_SCHEMA,
    };
  }

  tools(): readonly ToolDefinition[] {
    return [this.definition];
  }

  call(): Promise<ToolOutcome> {
    return Promise.reject(
      ToolCallError.upstream(
        `the subagent ${this.agentId} runs only as a tool of a model agent's run (docs/runtime.md), not through callTool`,
        { retryable: false },
      ),
    );
  }
}
