import type { ToolDefinition } from '../dialects/index.js';

export type { ToolDefinition };

/** Where a tool comes from: a dialect's built-in, an agent upstream's endpoint, plain HTTP, or MCP. */
export type ToolSourceKind = 'builtin' | 'agent' | 'http' | 'mcp' | 'subagent';

/** A tool as the registry lists it: the definition plus the source that can call it. */
export interface RegisteredTool extends ToolDefinition {
  source: ToolSource;
}

/** What one call produced. `isError` is the tool's own verdict (MCP `isError`, a tool exception). */
export interface ToolOutcome {
  result: unknown;
  isError: boolean;
}

export interface ToolInvocation {
  name: string;
  arguments: unknown;
  /** Aborted on timeout and on shutdown. */
  signal: AbortSignal;
}

/**
 * One source of tools for one agent. A source lists its tools (which may change while it lives,
 * as an MCP server's do) and calls them. `call` throws a `ToolCallError` for failures of the
 * source itself (timeout, unreachable, oversized result); a tool that reports its own failure
 * resolves with `isError: true`.
 */
export interface ToolSource {
  readonly kind: ToolSourceKind;
  /** For logs and errors: the source's position in the config, as `agents[0].tools[1]`. */
  readonly label: string;
  /** Milliseconds a call may take. */
  readonly timeoutMs: number;
  /** Bytes of result a call may return. */
  readonly maxResultBytes: number;
  /** The tools this source offers now. */
  tools(): readonly ToolDefinition[];
  /** Connects (MCP) and lists; sources without a connection resolve at once. */
  start?(): Promise<void>;
  call(invocation: ToolInvocation): Promise<ToolOutcome>;
  close?(): Promise<void>;
}

/** 30 s per call unless the source says otherwise. */
export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;
/** 1 MiB of result unless the source says otherwise. */
export const DEFAULT_MAX_RESULT_BYTES = 1_048_576;
