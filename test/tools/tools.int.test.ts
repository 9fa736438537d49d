import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSubscription, graphqlRequest, wsClient } from '../helpers/graphql-clients.js';
import { AGENT_STREAM, WORKFLOW } from '../helpers/operations.js';
import { startSynapse } from '../helpers/synapse.js';
import { CALL_TOOL, TOOLS } from '../helpers/tool-operations.js';
import { startToolServer, type ToolServer } from '../helpers/tool-server.js';

let tools: ToolServer;
let server: Awaited<ReturnType<typeof startSynapse>>;

const LOOKUP_SCHEMA = {
  type: 'object',
  properties: {
    query: { type: 'string', minLength: 1 },
    filters: {
      type: 'object',
      properties: { limit: { type: 'integer', minimum: 1 }, tags: { type: 'array', items: { type: 'string' } } },
      required: ['limit'],
      additionalProperties: false,
    },
  },
  required: ['query'],
  additionalProperties: false,
};

beforeAll(async () => {
  tools = await startToolServer();
  server = await startSynapse({
    config: {
      agents: [
        { id: 'demo', dialect: 'demo', demo: { wordDelayMs: 2 } },
        {
          id: 'support',
          dialect: 'demo',
          demo: { wordDelayMs: 2 },
          tools: [
            {
              type: 'agent',
              url: `${tools.base}/agents/support/tool_call`,
              tools: [
                {
                  name: 'get_weather',
                  description: 'The forecast for a city.',
                  inputSchema: {
                    type: 'object',
                    properties: { city: { type: 'string' }, unit: { enum: ['C', 'F'] } },
                    required: ['city'],
                    additionalProperties: false,
                  },
                },
                { name: 'explode', inputSchema: { type: 'object', properties: { what: { type: 'string' } } } },
              ],
            },
            {
              type: 'http',
              name: 'lookup',
              description: 'Looks things up.',
              url: `${tools.base}/lookup`,
              inputSchema: LOOKUP_SCHEMA,
            },
            {
              type: 'http',
              name: 'weather',
              method: 'GET',
              url: `${tools.base}/weather`,
              inputSchema: {
                type: 'object',
                properties: { city: { type: 'string' }, days: { type: 'integer' } },
                required: ['city'],
              },
            },
            { type: 'http', name: 'text', url: `${tools.base}/text` },
            { type: 'http', name: 'held', url: `${tools.base}/held` },
            { type: 'http', name: 'hang', url: `${tools.base}/hang`, timeoutMs: 300 },
            { type: 'http', name: 'big', url: `${tools.base}/big`, maxResultBytes: 65_536 },
            { type: 'http', name: 'fail', url: `${tools.base}/fail` },
            { type: 'http', name: 'unreachable', url: 'http://127.0.0.1:1/nothing', timeoutMs: 5_000 },
          ],
        },
      ],
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await tools?.close();
});

const call = async (input: Record<string, unknown>) => {
  const response = await graphqlRequest(server.url, CALL_TOOL, { input });
  expect(response.errors).toBeUndefined();
  return response.data!.callTool;
};

const eventTypes = async (workflowId: string) => {
  const response = await graphqlRequest(server.url, WORKFLOW, { id: workflowId });
  return response.data!.workflow.events.map((event: { __typename: string }) => event.__typename);
};

describe('tool listing', () => {
  it('lists built-in, agent-endpoint and HTTP tools with name, description and inputSchema', async () => {
    const response = await graphqlRequest(server.url, TOOLS, { agentId: 'support' });
    expect(response.errors).toBeUndefined();
    const listed = response.data!.tools as {
      name: string;
      source: string;
      description: string | null;
      inputSchema: unknown;
    }[];
    expect(listed.map((tool) => `${tool.source}:${tool.name}`)).toEqual([
      'builtin:calculator',
      'agent:get_weather',
      'agent:explode',
      'http:lookup',
      'http:weather',
      'http:text',
      'http:held',
      'http:hang',
      'http:big',
      'http:fail',
      'http:unreachable',
    ]);
    expect(listed.find((tool) => tool.name === 'lookup')).toEqual({
      name: 'lookup',
      description: 'Looks things up.',
      inputSchema: LOOKUP_SCHEMA,
      source: 'http',
    });
    expect(listed.find((tool) => tool.name === 'text')?.inputSchema).toEqual({ type: 'object' });
    expect(response.data!.agent.tools).toEqual(listed.map(({ name, source }) => ({ name, source })));
  });

  it('the demo agent keeps its calculator; an unknown agent has no tool list', async () => {
    const demo = await graphqlRequest(server.url, TOOLS, { agentId: 'demo' });
    expect(demo.data!.tools).toEqual([
      expect.objectContaining({
        name: 'calculator',
        source: 'builtin',
        inputSchema: expect.objectContaining({ required: ['expression'] }),
      }),
    ]);
    const unknown = await graphqlRequest(server.url, TOOLS, { agentId: 'nope' });
    expect(unknown.data).toEqual({ tools: null, agent: null });
  });
});

describe('callTool', () => {
  it('calls the built-in calculator as a TOOL_CALL workflow with its own events', async () => {
    const result = await call({ agentId: 'demo', tool: 'calculator', arguments: { expression: '12 * (3 + 4)' } });
    expect(result).toMatchObject({
      __typename: 'CallToolPayload',
      result: { value: 84 },
      isError: false,
      workflow: {
        kind: 'TOOL_CALL',
        status: 'SUCCEEDED',
        agent: { id: 'demo' },
        input: { tool: 'calculator', arguments: { expression: '12 * (3 + 4)' } },
        output: { value: 84 },
      },
    });
    expect(await eventTypes(result.workflow.id)).toEqual([
      'RunStarted',
      'ToolCallStarted',
      'ToolCallCompleted',
      'ToolResult',
      'RunCompleted',
    ]);
  });

  it('the finished tool workflow streams over graphql-ws like a run', async () => {
    const result = await call({
      agentId: 'support',
      tool: 'lookup',
      arguments: { query: 'synapse', filters: { limit: 3, tags: ['a'] } },
    });
    expect(result.result).toEqual({ found: true, query: { query: 'synapse', filters: { limit: 3, tags: ['a'] } } });
    const client = wsClient(server.url);
    try {
      const events = await collectSubscription<{ agentStream: Record<string, unknown> }>(client, AGENT_STREAM, {
        workflowId: result.workflow.id,
        afterSequence: 0,
      });
      expect(events.map((event) => event.agentStream.__typename)).toEqual([
        'RunStarted',
        'ToolCallStarted',
        'ToolCallCompleted',
        'ToolResult',
        'RunCompleted',
      ]);
      expect(events.map((event) => event.agentStream.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(events[2]!.agentStream).toMatchObject({
        toolName: 'lookup',
        arguments: { query: 'synapse', filters: { limit: 3, tags: ['a'] } },
      });
      expect(events[3]!.agentStream).toMatchObject({ isError: false, result: result.result });
    } finally {
      await client.dispose();
    }
  });

  it('a running tool call can be streamed live: its first events, then the result when the tool answers', async () => {
    const received = tools.nextRequest('/held');
    const pending = call({ agentId: 'support', tool: 'held', arguments: { n: 1 } });
    await received;
    const running = await graphqlRequest(
      server.url,
      '{ workflows(first: 1, filter: { kind: TOOL_CALL, status: [RUNNING] }) { edges { node { id } } } }',
    );
    const workflowId = running.data!.workflows.edges[0].node.id as string;
    const client = wsClient(server.url);
    try {
      const seen: string[] = [];
      const streamed = collectSubscription<{ agentStream: Record<string, unknown> }>(
        client,
        AGENT_STREAM,
        { workflowId },
        (event) => {
          seen.push(event.agentStream.__typename as string);
          // The tool answers only once the client has seen the call start: the rest arrives live.
          if (event.agentStream.__typename === 'ToolCallCompleted') tools.releaseHeld({ answer: 42 });
        },
      );
      const events = await streamed;
      expect(seen).toEqual(['RunStarted', 'ToolCallStarted', 'ToolCallCompleted', 'ToolResult', 'RunCompleted']);
      expect(events[4]!.agentStream).toMatchObject({ output: { answer: 42 } });
      expect(await pending).toMatchObject({
        __typename: 'CallToolPayload',
        result: { answer: 42 },
        workflow: { id: workflowId, status: 'SUCCEEDED' },
      });
    } finally {
      await client.dispose();
    }
  });

  it('sends GET tool arguments as query parameters and takes text answers as they are', async () => {
    const weather = await call({ agentId: 'support', tool: 'weather', arguments: { city: 'Oslo', days: 3 } });
    expect(weather.result).toEqual({ city: 'Oslo', days: 3, tempC: 21 });
    const text = await call({ agentId: 'support', tool: 'text', arguments: {} });
    expect(text.result).toBe('plain words');
    expect(tools.requests.at(-1)).toEqual({ method: 'POST', path: '/text', body: {} });
  });

  it('calls the agent tool endpoint the way the Python wrapper expects', async () => {
    const result = await call({ agentId: 'support', tool: 'get_weather', arguments: { city: 'Lima' } });
    expect(result).toMatchObject({
      __typename: 'CallToolPayload',
      isError: false,
      result: { city: 'Lima', forecast: 'sunny', unit: 'C' },
    });
    expect(tools.requests.at(-1)).toEqual({
      method: 'POST',
      path: '/agents/support/tool_call',
      body: { tool_name: 'get_weather', arguments: { city: 'Lima' } },
    });
  });

  it("a tool's own error (the wrapper's structured error) is an isError result and a TOOL_ERROR workflow", async () => {
    const result = await call({ agentId: 'support', tool: 'explode', arguments: { what: 'moon' } });
    expect(result).toMatchObject({
      __typename: 'CallToolPayload',
      isError: true,
      result: { errorType: 'ValueError', message: 'cannot explode moon' },
      workflow: { status: 'FAILED', error: { code: 'TOOL_ERROR', retryable: false } },
    });
    expect(await eventTypes(result.workflow.id)).toEqual([
      'RunStarted',
      'ToolCallStarted',
      'ToolCallCompleted',
      'ToolResult',
      'RunFailed',
    ]);
  });

  it('without agentId, the one agent that has the tool is used; a tool of several agents needs agentId', async () => {
    expect(await call({ tool: 'lookup', arguments: { query: 'x' } })).toMatchObject({
      __typename: 'CallToolPayload',
      workflow: { agent: { id: 'support' } },
    });
    expect(await call({ tool: 'calculator', arguments: { expression: '1+1' } })).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'input.agentId',
      message: 'input.agentId: tool "calculator" is offered by several agents (demo, support): name one',
    });
    expect(await call({ tool: 'nothing', arguments: {} })).toEqual({
      __typename: 'UnknownToolError',
      code: 'UNKNOWN_TOOL',
      message: 'no agent offers a tool named "nothing"',
      agentId: null,
      tool: 'nothing',
    });
  });

  it('an unknown tool or agent is a typed error', async () => {
    expect(await call({ agentId: 'demo', tool: 'lookup', arguments: {} })).toEqual({
      __typename: 'UnknownToolError',
      code: 'UNKNOWN_TOOL',
      message: 'agent "demo" has no tool named "lookup"',
      agentId: 'demo',
      tool: 'lookup',
    });
    expect(await call({ agentId: 'ghost', tool: 'lookup', arguments: {} })).toMatchObject({
      __typename: 'UnknownAgentError',
      code: 'UNKNOWN_AGENT',
    });
  });
});

describe('argument validation happens before any call', () => {
  const countToolCallWorkflows = async () => {
    const response = await graphqlRequest(
      server.url,
      '{ workflows(first: 100, filter: { kind: TOOL_CALL }) { edges { node { id } } } }',
    );
    return response.data!.workflows.edges.length as number;
  };

  it.each([
    [
      'a missing required field',
      { filters: { limit: 1 } },
      [{ field: 'input.arguments.query', message: 'is required' }],
    ],
    ['a wrong type', { query: 42 }, [{ field: 'input.arguments.query', message: 'must be string' }]],
    [
      'an extra property where the schema forbids it',
      { query: 'x', verbose: true },
      [{ field: 'input.arguments.verbose', message: 'is not allowed here' }],
    ],
    [
      'nested problems, every one listed',
      { query: '', filters: { limit: 0, tags: ['ok', 7], sort: 'asc' } },
      [
        { field: 'input.arguments.query', message: 'must NOT have fewer than 1 characters' },
        { field: 'input.arguments.filters.sort', message: 'is not allowed here' },
        { field: 'input.arguments.filters.limit', message: 'must be >= 1' },
        { field: 'input.arguments.filters.tags[1]', message: 'must be string' },
      ],
    ],
    ['arguments that are not an object', [1, 2], [{ field: 'input.arguments', message: 'must be object' }]],
  ])('%s', async (_name, args, issues) => {
    const workflowsBefore = await countToolCallWorkflows();
    const requestsBefore = tools.requests.length;
    const result = await call({ agentId: 'support', tool: 'lookup', arguments: args });
    expect(result.__typename).toBe('ToolArgumentsError');
    expect(result.code).toBe('INVALID_TOOL_ARGUMENTS');
    expect(result.tool).toBe('lookup');
    expect(result.issues).toEqual(issues);
    expect(result.field).toBe(issues[0]!.field);
    expect(tools.requests.length).toBe(requestsBefore);
    expect(await countToolCallWorkflows()).toBe(workflowsBefore);
  });

  it('an enum violation names the allowed values', async () => {
    const result = await call({ agentId: 'support', tool: 'get_weather', arguments: { city: 'Rome', unit: 'K' } });
    expect(result.issues).toEqual([{ field: 'input.arguments.unit', message: 'must be one of "C", "F"' }]);
  });
});

describe('failures of the tool source', () => {
  it('a tool that hangs fails with TOOL_TIMEOUT after its timeoutMs, with the workflow', async () => {
    const started = Date.now();
    const result = await call({ agentId: 'support', tool: 'hang', arguments: {} });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(result).toMatchObject({
      __typename: 'ToolTimeoutError',
      code: 'TOOL_TIMEOUT',
      retryable: true,
      workflow: { kind: 'TOOL_CALL', status: 'FAILED', error: { code: 'TOOL_TIMEOUT', retryable: true } },
    });
    expect(result.message).toMatch(/did not answer within 300 ms/);
    const history = await graphqlRequest(server.url, WORKFLOW, { id: result.workflow.id });
    const events = history.data!.workflow.events as Record<string, unknown>[];
    expect(events.map((event) => event.__typename)).toEqual([
      'RunStarted',
      'ToolCallStarted',
      'ToolCallCompleted',
      'ToolResult',
      'RunFailed',
    ]);
    expect(events[3]).toMatchObject({ isError: true, result: { code: 'TOOL_TIMEOUT' } });
    expect(events[4]).toMatchObject({ code: 'TOOL_TIMEOUT', retryable: true });
  });

  it('an oversized result fails with TOOL_RESULT_TOO_LARGE', async () => {
    const result = await call({ agentId: 'support', tool: 'big', arguments: {} });
    expect(result).toMatchObject({
      __typename: 'ToolResultTooLargeError',
      code: 'TOOL_RESULT_TOO_LARGE',
      retryable: false,
      workflow: { status: 'FAILED', error: { code: 'TOOL_RESULT_TOO_LARGE' } },
    });
    expect(result.message).toMatch(/65536 bytes/);
  });

  it('an HTTP error status and an unreachable server are TOOL_UPSTREAM_ERROR', async () => {
    const failed = await call({ agentId: 'support', tool: 'fail', arguments: {} });
    expect(failed).toMatchObject({
      __typename: 'ToolUpstreamError',
      code: 'TOOL_UPSTREAM_ERROR',
      retryable: true,
      workflow: { status: 'FAILED' },
    });
    expect(failed.message).toMatch(/HTTP 503/);
    const unreachable = await call({ agentId: 'support', tool: 'unreachable', arguments: {} });
    expect(unreachable).toMatchObject({
      __typename: 'ToolUpstreamError',
      code: 'TOOL_UPSTREAM_ERROR',
      workflow: { error: { code: 'TOOL_UPSTREAM_ERROR' } },
    });
    expect(unreachable.message).toMatch(/could not be reached/);
  });

  it('concurrent calls each get their own workflow and result', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        call({
          agentId: 'support',
          tool: index % 2 ? 'calculator' : 'lookup',
          arguments: index % 2 ? { expression: `${index} * 2` } : { query: `q${index}` },
        }),
      ),
    );
    expect(new Set(results.map((result) => result.workflow.id)).size).toBe(20);
    results.forEach((result, index) => {
      expect(result.workflow.status).toBe('SUCCEEDED');
      expect(result.result).toEqual(index % 2 ? { value: index * 2 } : { found: true, query: { query: `q${index}` } });
    });
  });

  it('the gateway keeps serving after every failure', async () => {
    const result = await call({ agentId: 'demo', tool: 'calculator', arguments: { expression: '2 + 2' } });
    expect(result.result).toEqual({ value: 4 });
  });
});
