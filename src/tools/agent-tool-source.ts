import type { AgentToolSourceConfig } from '../config/index.js';
import { excerpt, httpJson } from './http-json.js';
import { ToolCallError } from '../errors/index.js';
import {
  DEFAULT_MAX_RESULT_BYTES,
  DEFAULT_TOOL_TIMEOUT_MS,
  type ToolDefinition,
  type ToolInvocation,
  type ToolOutcome,
  type ToolSource,
} from './types.js';

/**
 * The tool endpoint of an agent upstream, in the style of the Python (pydantic-ai) wrapper's
 * `POST /agents/{agent_id}/tool_call` (seeds/000): the tools are declared in the config, and a
 * call is `POST url` with `{"tool_name": ..., "arguments": {...}}`.
 *
 * Answers: `{"result": ...}` is the result; `{"status": "error", "error_type", "message"}` (the
 * wrapper's structured error) is a result with `isError: true`; any other 2xx JSON is the result
 * as a whole. A non-2xx status is TOOL_UPSTREAM_ERROR, unless its body is the structured error,
 * which is then the tool's own failure.
 */
export class AgentToolSource implements ToolSource {
  readonly kind = 'agent';
  readonly timeoutMs: number;
  readonly maxResultBytes: number;
  private readonly definitions: ToolDefinition[];

  /** @param config with `url` set (the registry derives it for synapse-ws agents) */
  constructor(
    private readonly config: AgentToolSourceConfig & { url: string },
    readonly label: string,
  ) {
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    this.maxResultBytes = config.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
    this.definitions = config.tools.map((tool) => ({
      name: tool.name,
      description: tool.description ?? null,
      inputSchema: tool.inputSchema,
    }));
  }

  tools(): readonly ToolDefinition[] {
    return this.definitions;
  }

  async call(invocation: ToolInvocation): Promise<ToolOutcome> {
    const response = await httpJson({
      url: this.config.url,
      method: 'POST',
      headers: this.config.headers,
      body: { tool_name: invocation.name, arguments: invocation.arguments ?? {} },
      signal: invocation.signal,
      maxResultBytes: this.maxResultBytes,
      label: this.label,
    });
    const body = response.body;
    if (isStructuredError(body)) {
      return { result: { errorType: body.error_type ?? null, message: body.message ?? null }, isError: true };
    }
    if (response.status < 200 || response.status > 299) {
      throw ToolCallError.upstream(
        `the agent's tool endpoint answered HTTP ${response.status} (${this.label}): ${excerpt(body)}`,
        {
          retryable: response.status === 429 || response.status >= 500,
        },
      );
    }
    if (isRecord(body) && 'result' in body) return { result: body.result, isError: false };
    return { result: body, isError: false };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStructuredError(value: unknown): value is { status: 'error'; error_type?: string; message?: string } {
  return isRecord(value) && value.status === 'error';
}
