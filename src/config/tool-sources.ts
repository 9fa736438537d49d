import { z } from 'zod';
import { integer } from './integer.js';

/**
 * The `tools` list of an agent (docs/tools.md): one discriminated object per tool source.
 * Every source takes `timeoutMs` and `maxResultBytes`; their defaults are applied by the tool
 * registry (`src/tools/`), so the parsed config shows only what the file said.
 */

const positiveInt = () => integer(1);

const httpUrl = z.string().refine(
  (value) => {
    try {
      const { protocol } = new URL(value);
      return protocol === 'http:' || protocol === 'https:';
    } catch {
      return false;
    }
  },
  // The URL is never echoed: it may carry credentials substituted from the environment.
  { error: 'must be an absolute http:// or https:// URL' },
);

const TOOL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const toolName = () =>
  z
    .string()
    .regex(TOOL_NAME, { error: 'must be 1–128 letters, digits, "_", "." or "-", not starting with "." or "-"' });

/** A JSON Schema object; compiled (and rejected when invalid) by the tool registry at start-up. */
const jsonSchema = () => z.record(z.string(), z.unknown(), { error: 'must be a JSON Schema object' });

const common = {
  /** Milliseconds one call may take before it fails with TOOL_TIMEOUT. */
  timeoutMs: positiveInt()
    .optional()
    .describe('Milliseconds one call may take before it fails with TOOL_TIMEOUT (default 30000).'),
  /** Bytes of result a call may return before it fails with TOOL_RESULT_TOO_LARGE. */
  maxResultBytes: positiveInt()
    .optional()
    .describe('Bytes of result a call may return before it fails with TOOL_RESULT_TOO_LARGE (default 1048576).'),
  /** The agent runtime asks a person before it runs these tools (docs/runtime.md). */
  requireApproval: z
    .union([z.boolean(), z.array(toolName())])
    .optional()
    .describe(
      "Agent runtime (openai-chat, openai-responses, anthropic-messages): true, or a list of tool names, whose calls wait for a person's approval (InterruptRequested TOOL_APPROVAL) before they run (docs/runtime.md).",
    ),
};

export const DeclaredToolSchema = z.strictObject({
  name: toolName().describe("Tool name, unique among the agent's tools."),
  description: z.string().optional().describe('Shown to clients and models.'),
  inputSchema: jsonSchema().describe('JSON Schema of the arguments; compiled at start-up.'),
});

/** The tool endpoint of an agent upstream (`POST /agents/{agent_id}/tool_call` of the Python wrapper). */
export const AgentToolSourceSchema = z.strictObject({
  type: z.literal('agent').describe('The tool endpoint of an agent upstream.'),
  /** Absent on a `synapse-ws` agent: derived from the agent's ws:// url (src/tools/agent-tool-url.ts). */
  url: httpUrl
    .optional()
    .describe("The tool endpoint, http(s)://; absent on a synapse-ws agent: derived from the agent's url."),
  headers: z.record(z.string(), z.string()).optional().describe('Extra request headers.'),
  tools: z
    .array(DeclaredToolSchema)
    .min(1, { error: 'must declare at least one tool' })
    .describe('The tools the endpoint serves.'),
  ...common,
});

export const HTTP_TOOL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** One plain HTTP endpoint as one tool. */
export const HttpToolSourceSchema = z.strictObject({
  type: z.literal('http').describe('One plain HTTP endpoint as one tool.'),
  name: toolName().describe("Tool name, unique among the agent's tools."),
  description: z.string().optional().describe('Shown to clients and models.'),
  url: httpUrl.describe('The endpoint, http(s)://.'),
  method: z.enum(HTTP_TOOL_METHODS).optional().describe('HTTP method (default POST).'),
  headers: z.record(z.string(), z.string()).optional().describe('Extra request headers.'),
  inputSchema: jsonSchema().optional().describe('JSON Schema of the arguments; compiled at start-up.'),
  ...common,
});

/** An MCP server: streamable HTTP (`url`) or stdio (`command`), exactly one of them. */
export const McpToolSourceSchema = z
  .strictObject({
    type: z.literal('mcp').describe('An MCP server: streamable HTTP (url) or stdio (command), exactly one of them.'),
    url: httpUrl.optional().describe('Streamable HTTP endpoint, http(s)://.'),
    headers: z.record(z.string(), z.string()).optional().describe('Extra request headers (url only).'),
    command: z.string().min(1).optional().describe('Program to start as a stdio MCP server.'),
    args: z.array(z.string()).optional().describe('Arguments of command (stdio only).'),
    env: z.record(z.string(), z.string()).optional().describe('Environment of command (stdio only).'),
    cwd: z.string().min(1).optional().describe('Working directory of command (stdio only).'),
    ...common,
  })
  .superRefine((source, ctx) => {
    const report = (key: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [key], message, input: source });
    if (source.url === undefined && source.command === undefined)
      report('url', 'give `url` (streamable HTTP) or `command` (stdio)');
    if (source.url !== undefined && source.command !== undefined)
      report('command', 'give `url` or `command`, not both');
    if (source.url !== undefined) {
      for (const key of ['args', 'env', 'cwd'] as const) {
        if (source[key] !== undefined) report(key, 'only used with `command` (stdio)');
      }
    }
    if (source.command !== undefined && source.headers !== undefined)
      report('headers', 'only used with `url` (streamable HTTP)');
  });

/** Another configured agent as a tool of the agent runtime: a call runs it as a child workflow (docs/runtime.md). */
export const SubagentToolSourceSchema = z.strictObject({
  type: z
    .literal('subagent')
    .describe('Another agent of this config as a tool (agent runtime): a call runs it as a child workflow.'),
  agentId: z.string().min(1).describe('The agent to run; the tool is named after it and takes { prompt: string }.'),
  description: z.string().optional().describe("Shown to the model; default the agent's description."),
  maxDepth: z
    .number()
    .int()
    .min(2)
    .optional()
    .describe(
      "The longest chain of runs a call may start, the top run counted (default 3: a run, its child, the child's child); a deeper call is an error result naming `maxDepth`.",
    ),
  maxConcurrent: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      'Children of this tool one run may have running at once (default 8); a call past it is an error result naming `maxConcurrent`.',
    ),
  ...common,
});

export const ToolSourceConfigSchema = z.discriminatedUnion('type', [
  AgentToolSourceSchema,
  HttpToolSourceSchema,
  McpToolSourceSchema,
  SubagentToolSourceSchema,
]);

export type DeclaredToolConfig = z.output<typeof DeclaredToolSchema>;
export type AgentToolSourceConfig = z.output<typeof AgentToolSourceSchema>;
export type HttpToolSourceConfig = z.output<typeof HttpToolSourceSchema>;
export type McpToolSourceConfig = z.output<typeof McpToolSourceSchema>;
export type SubagentToolSourceConfig = z.output<typeof SubagentToolSourceSchema>;
