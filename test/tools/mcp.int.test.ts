import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpHttpServer } from '../fixtures/mcp/http-server.mjs';
import { collectSubscription, graphqlRequest, wsClient } from '../helpers/graphql-clients.js';
import { AGENT_STREAM, WORKFLOW } from '../helpers/operations.js';
import { startSynapse } from '../helpers/synapse.js';
import { CALL_TOOL, TOOLS } from '../helpers/tool-operations.js';
import { freePort } from '../helpers/net.js';

const STDIO_SERVER = fileURLToPath(new URL('../fixtures/mcp/stdio-server.mjs', import.meta.url));
const FIXTURE_TOOLS = ['echo', 'add', 'fail', 'sleep', 'die', 'big', 'grow'];

let mcpHttp: Awaited<ReturnType<typeof startMcpHttpServer>>;
/** A second HTTP server, for the test that kills it. */
let doomedHttp: Awaited<ReturnType<typeof startMcpHttpServer>>;
/** Started only after the gateway, on a port reserved before it. */
let lateHttp: Awaited<ReturnType<typeof startMcpHttpServer>> | undefined;
let latePort: number;
let server: Awaited<ReturnType<typeof startSynapse>>;

beforeAll(async () => {
  mcpHttp = await startMcpHttpServer();
  doomedHttp = await startMcpHttpServer();
  latePort = await freePort();
  server = await startSynapse({
    config: {
      agents: [
        {
          id: 'stdio',
          dialect: 'demo',
          tools: [{ type: 'mcp', command: process.execPath, args: [STDIO_SERVER], timeoutMs: 15_000 }],
        },
        {
          id: 'remote',
          dialect: 'demo',
          tools: [{ type: 'mcp', url: mcpHttp.url, timeoutMs: 3_000, maxResultBytes: 50_000 }],
        },
        { id: 'doomed', dialect: 'demo', tools: [{ type: 'mcp', url: doomedHttp.url, timeoutMs: 20_000 }] },
        {
          id: 'late',
          dialect: 'demo',
          tools: [{ type: 'mcp', url: `http://127.0.0.1:${latePort}/mcp`, timeoutMs: 5_000 }],
        },
        { id: 'offline', dialect: 'demo', tools: [{ type: 'mcp', url: 'http://127.0.0.1:1/mcp', timeoutMs: 2_000 }] },
      ],
    },
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await mcpHttp?.close();
  await doomedHttp?.close();
  await lateHttp?.close();
});

it('a server that comes up after the gateway gets its tools listed in the background', async () => {
  expect(await toolNames('late')).toEqual(['builtin:calculator']);
  const listed = toolsChanged(async () => (await toolNames('late')).includes('mcp:echo'), 25_000);
  lateHttp = await startMcpHttpServer(latePort);
  await listed;
  expect(await toolNames('late')).toEqual(['builtin:calculator', ...FIXTURE_TOOLS.map((name) => `mcp:${name}`)]);
}, 30_000);

const call = async (input: Record<string, unknown>) => {
  const response = await graphqlRequest(server.url, CALL_TOOL, { input });
  expect(response.errors).toBeUndefined();
  return response.data!.callTool;
};

const toolNames = async (agentId: string) => {
  const response = await graphqlRequest(server.url, TOOLS, { agentId });
  return (response.data!.tools as { name: string; source: string }[]).map((tool) => `${tool.source}:${tool.name}`);
};

/** Resolves once the registry reports a change after which `check` holds; bounded by `ms`. */
function toolsChanged(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error('the tool list did not change in time'));
    }, ms);
    const unsubscribe = server.services.tools.onChange(() => {
      void check().then((done) => {
        if (!done) return;
        clearTimeout(timer);
        unsubscribe();
        resolve();
      });
    });
  });
}

describe.each([
  ['stdio', 'a stdio server spawned with node'],
  ['remote', 'a streamable HTTP server on loopback'],
])('MCP over %s (%s)', (agentId) => {
  it('lists the server tools at start-up, after the built-in ones, with their input schemas', async () => {
    expect(await toolNames(agentId)).toEqual(['builtin:calculator', ...FIXTURE_TOOLS.map((name) => `mcp:${name}`)]);
    const response = await graphqlRequest(server.url, TOOLS, { agentId });
    expect(response.data!.tools.find((tool: { name: string }) => tool.name === 'add')).toEqual({
      name: 'add',
      description: 'Adds two numbers.',
      source: 'mcp',
      inputSchema: {
        type: 'object',
        properties: { a: { type: 'number' }, b: { type: 'number' } },
        required: ['a', 'b'],
        additionalProperties: false,
      },
    });
  });

  it('calls a tool: content blocks, or structuredContent when given', async () => {
    expect(await call({ agentId, tool: 'echo', arguments: { text: 'hi' } })).toMatchObject({
      __typename: 'CallToolPayload',
      isError: false,
      result: [{ type: 'text', text: 'hi' }],
      workflow: { kind: 'TOOL_CALL', status: 'SUCCEEDED' },
    });
    expect(await call({ agentId, tool: 'add', arguments: { a: 2, b: 3 } })).toMatchObject({
      result: { sum: 5 },
      isError: false,
    });
  });

  it('validates the arguments against the server schema before calling', async () => {
    const result = await call({ agentId, tool: 'add', arguments: { a: 'two', c: 1 } });
    expect(result).toMatchObject({ __typename: 'ToolArgumentsError', tool: 'add' });
    expect(result.issues).toEqual([
      { field: 'input.arguments.b', message: 'is required' },
      { field: 'input.arguments.c', message: 'is not allowed here' },
      { field: 'input.arguments.a', message: 'must be number' },
    ]);
  });

  it('an isError result is a ToolResult with isError and a TOOL_ERROR workflow, streamed like a run', async () => {
    const result = await call({ agentId, tool: 'fail', arguments: {} });
    expect(result).toMatchObject({
      __typename: 'CallToolPayload',
      isError: true,
      result: [{ type: 'text', text: 'it went wrong' }],
      workflow: { status: 'FAILED', error: { code: 'TOOL_ERROR' } },
    });
    const client = wsClient(server.url);
    try {
      const events = await collectSubscription<{ agentStream: Record<string, unknown> }>(client, AGENT_STREAM, {
        workflowId: result.workflow.id,
      });
      expect(events.map((event) => event.agentStream.__typename)).toEqual([
        'RunStarted',
        'ToolCallStarted',
        'ToolCallCompleted',
        'ToolResult',
        'RunFailed',
      ]);
      expect(events[3]!.agentStream).toMatchObject({
        isError: true,
        result: [{ type: 'text', text: 'it went wrong' }],
      });
    } finally {
      await client.dispose();
    }
  });

  it('lists the tools again when the server says its list changed', async () => {
    const changed = toolsChanged(async () => (await toolNames(agentId)).includes('mcp:extra'));
    expect(await call({ agentId, tool: 'grow', arguments: {} })).toMatchObject({
      result: [{ type: 'text', text: 'grown' }],
    });
    await changed;
    expect(await call({ agentId, tool: 'extra', arguments: {} })).toMatchObject({
      result: [{ type: 'text', text: 'extra here' }],
    });
  });
});

describe('MCP failures', () => {
  it('a server that hangs fails with TOOL_TIMEOUT', async () => {
    const result = await call({ agentId: 'remote', tool: 'sleep', arguments: {} });
    expect(result).toMatchObject({
      __typename: 'ToolTimeoutError',
      code: 'TOOL_TIMEOUT',
      workflow: { status: 'FAILED', error: { code: 'TOOL_TIMEOUT' } },
    });
  });

  it('a result over maxResultBytes fails with TOOL_RESULT_TOO_LARGE', async () => {
    const result = await call({ agentId: 'remote', tool: 'big', arguments: {} });
    expect(result).toMatchObject({
      __typename: 'ToolResultTooLargeError',
      retryable: false,
      workflow: { status: 'FAILED' },
    });
  });

  it('a stdio server that dies mid-call is a TOOL_UPSTREAM_ERROR; the next call starts it again', async () => {
    const result = await call({ agentId: 'stdio', tool: 'die', arguments: {} });
    expect(result).toMatchObject({
      __typename: 'ToolUpstreamError',
      code: 'TOOL_UPSTREAM_ERROR',
      workflow: { status: 'FAILED', error: { code: 'TOOL_UPSTREAM_ERROR' } },
    });
    expect(result.message).toMatch(/closed the connection during the call/);
    const history = await graphqlRequest(server.url, WORKFLOW, { id: result.workflow.id });
    expect(history.data!.workflow.toolCalls).toEqual([
      expect.objectContaining({ toolName: 'die', status: 'FAILED', isError: true }),
    ]);
    expect(await call({ agentId: 'stdio', tool: 'echo', arguments: { text: 'back' } })).toMatchObject({
      result: [{ type: 'text', text: 'back' }],
    });
  });

  it('a streamable HTTP server that dies mid-call is a TOOL_UPSTREAM_ERROR well before the timeout', async () => {
    const started = Date.now();
    const result = await call({ agentId: 'doomed', tool: 'die', arguments: {} });
    expect(result).toMatchObject({
      __typename: 'ToolUpstreamError',
      code: 'TOOL_UPSTREAM_ERROR',
      workflow: { status: 'FAILED' },
    });
    expect(result.message).toMatch(/went away during the call/);
    expect(Date.now() - started).toBeLessThan(15_000);
    const after = await call({ agentId: 'doomed', tool: 'echo', arguments: { text: 'anyone?' } });
    expect(after).toMatchObject({ __typename: 'ToolUpstreamError' });
    expect(after.message).toMatch(/could not be reached/);
  });

  it('an unreachable server does not stop start-up; its tools are unknown until it answers', async () => {
    expect(await toolNames('offline')).toEqual(['builtin:calculator']);
    expect(await call({ agentId: 'offline', tool: 'echo', arguments: { text: 'x' } })).toMatchObject({
      __typename: 'UnknownToolError',
      code: 'UNKNOWN_TOOL',
    });
  });
});
