import type { HttpToolSourceConfig } from '../config/index.js';
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

/** Accepts any JSON object: an HTTP tool without `inputSchema` takes whatever the caller sends. */
const ANY_OBJECT = { type: 'object' } as const;

/**
 * One plain HTTP endpoint as one tool. The arguments travel as the JSON body (POST, PUT, PATCH,
 * DELETE) or as query parameters (GET); a 2xx answer is the result, anything else is
 * TOOL_UPSTREAM_ERROR with the status.
 */
export class HttpToolSource implements ToolSource {
  readonly kind = 'http';
  readonly timeoutMs: number;
  readonly maxResultBytes: number;
  private readonly definition: ToolDefinition;

  constructor(
    private readonly config: HttpToolSourceConfig,
    readonly label: string,
  ) {
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    this.maxResultBytes = config.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
    this.definition = {
      name: config.name,
      description: config.description ?? null,
      inputSchema: config.inputSchema ?? { ...ANY_OBJECT },
    };
  }

  tools(): readonly ToolDefinition[] {
    return [this.definition];
  }

  async call(invocation: ToolInvocation): Promise<ToolOutcome> {
    const method = this.config.method ?? 'POST';
    let url = this.config.url;
    let body: unknown;
    if (method === 'GET') {
      url = withQuery(url, invocation.arguments);
    } else {
      body = invocation.arguments ?? {};
    }
    const response = await httpJson({
      url,
      method,
      headers: this.config.headers,
      body,
      signal: invocation.signal,
      maxResultBytes: this.maxResultBytes,
      label: this.label,
    });
    if (response.status < 200 || response.status > 299) {
      throw ToolCallError.upstream(
        `the tool server answered HTTP ${response.status} (${this.label}): ${excerpt(response.body)}`,
        {
          retryable: response.status === 429 || response.status >= 500,
        },
      );
    }
    return { result: response.body, isError: false };
  }
}

/** Scalars as they are, objects and arrays as JSON text, each under its argument name. */
function withQuery(url: string, args: unknown): string {
  const target = new URL(url);
  if (args && typeof args === 'object' && !Array.isArray(args)) {
    for (const [key, value] of Object.entries(args)) {
      if (value === undefined || value === null) continue;
      target.searchParams.append(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
  }
  return target.toString();
}
