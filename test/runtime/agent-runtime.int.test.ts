import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelDialectName, ScriptedTurn } from '../../src/mock-upstream/model-script.js';
import { graphqlRequest } from '../helpers/graphql-clients.js';
import { PAUSED_WORKFLOW, RESPOND, waitForWorkflowStatus } from '../helpers/interrupt-operations.js';
import { MODEL_DIALECTS, ORDER_SCHEMA, startScriptedModel, type ScriptedModel } from '../helpers/scripted-model.js';
import { startToolServer, type ToolServer } from '../helpers/tool-server.js';
import { ofType, startGateway, terminalOf, typesOf } from '../dialects/harness.js';
import { sleep } from '../helpers/async.js';
import type { ModelRequestBody, StreamEvent, WorkflowView } from '../helpers/shapes.js';

/**
 * The agent runtime (docs/runtime.md), one suite for every model dialect: real scripted
 * model servers on loopback speaking each vendor's streaming format, a real HTTP tool server.
 */
const DIALECTS = MODEL_DIALECTS;

const ANSWER_SCHEMA = { type: 'object', properties: { answer: { type: 'integer' } }, required: ['answer'] };
const INSTRUCTIONS = 'You answer support questions. Look orders up before you answer.';

let toolServer: ToolServer;
let gateway: Awaited<ReturnType<typeof startGateway>>;
const models: Record<string, ScriptedModel> = {};

/** Each scenario's scripted model, by name: request N gets turn N. */
const SCENARIOS: Record<string, (index: number) => ScriptedTurn | 'hang'> = {
  loop: (index) =>
    [
      {
        text: 'Let me look.',
        toolCalls: [
          { id: 'call_a1', name: 'lookup', arguments: { order: 'A1' } },
          { id: 'call_bad', name: 'lookup', arguments: { order: 42 } },
        ],
        usage: { inputTokens: 100, outputTokens: 20 },
      },
      { text: 'Order A1 is found.', usage: { inputTokens: 150, outputTokens: 10 } },
      { text: 'Still found.', usage: { inputTokens: 200, outputTokens: 5 } },
    ][Math.min(index, 2)]!,
  forever: (index) => ({
    toolCalls: [{ id: `call_${index}`, name: 'lookup', arguments: { order: `O${index}` } }],
    usage: { inputTokens: 10, outputTokens: 1 },
  }),
  slowTools: (index) =>
    index === 0
      ? {
          toolCalls: [
            { id: 'call_h1', name: 'hang', arguments: {} },
            { id: 'call_h2', name: 'hang', arguments: {} },
          ],
        }
      : { text: 'The tools timed out.' },
  hang: () => 'hang',
  cancelTool: () => ({ toolCalls: [{ id: 'call_slow', name: 'slow', arguments: {} }] }),
  approval: (index) =>
    index % 2 === 0
      ? { toolCalls: [{ id: 'call_refund', name: 'refund', arguments: { order: 'A1' } }] }
      : { text: 'Refund handled.' },
  structured: (index) => ({ text: index === 0 ? '{"answer": "forty-two"}' : '{"answer": 42}' }),
  structuredBad: () => ({ text: 'not json at all' }),
  subagent: (index) =>
    index === 0
      ? { toolCalls: [{ id: 'call_helper', name: 'helper', arguments: { prompt: 'What is 6 * 7?' } }] }
      : { text: 'The helper answered.' },
  subagentSlow: () => ({
    toolCalls: [{ id: 'call_slowhelper', name: 'slowhelper', arguments: { prompt: 'Take your time: 1 + 1' } }],
  }),
  // three children at once against maxConcurrent: 2
  fanOut: (index) =>
    index === 0
      ? {
          toolCalls: [1, 2, 3].map((n) => ({
            id: `call_fan${n}`,
            name: 'helper',
            arguments: { prompt: `What is ${n} + 1?` },
          })),
        }
      : { text: 'Two of three answered.' },
  client: (index) =>
    index === 0
      ? { toolCalls: [{ id: 'call_color', name: 'pick_color', arguments: { palette: 'warm' } }] }
      : { text: 'Nice colour.' },
};

const LINKS = /* GraphQL */ `
  query Links($id: ID!) {
    workflow(id: $id) {
      id parentId
      children { id parentId status agent { id } }
      events { __typename ... on ToolCallCompleted { toolCallId childWorkflowId } ... on ToolResult { toolCallId isError childWorkflowId } }
    }
  }
`;

const agentId = (dialect: string, scenario: string) => `${dialect}-${scenario}`;

/** An agent that calls itself: the top run (request 0) and its child (request 1) call, `maxDepth: 2` stops the grandchild. */
const deepScript =
  (self: string) =>
  (index: number): ScriptedTurn =>
    index < 2
      ? { toolCalls: [{ id: `call_deep${index}`, name: self, arguments: { prompt: 'Go deeper' } }] }
      : { text: `Done at request ${index}.` };

beforeAll(async () => {
  toolServer = await startToolServer();
  const agents: Record<string, unknown>[] = [];
  for (const { dialect, path } of DIALECTS) {
    for (const [scenario, script] of Object.entries(SCENARIOS)) {
      const model = await startScriptedModel(dialect, script);
      models[agentId(dialect, scenario)] = model;
      agents.push({
        id: agentId(dialect, scenario),
        dialect,
        url: `${model.url}${path}`,
        model: 'test-model',
        instructions: INSTRUCTIONS,
        modelSettings: { temperature: 0.2, max_tokens: 512 },
        maxSteps: scenario === 'forever' ? 2 : 5,
        ...(scenario.startsWith('structured') ? { outputSchema: ANSWER_SCHEMA, outputRetries: 1 } : {}),
        retry: { attempts: 1 },
        tools: [
          {
            type: 'http',
            name: 'lookup',
            description: 'Looks an order up.',
            url: `${toolServer.base}/lookup`,
            inputSchema: ORDER_SCHEMA,
          },
          {
            type: 'http',
            name: 'hang',
            url: `${toolServer.base}/hang`,
            timeoutMs: 400,
            inputSchema: { type: 'object' },
          },
          {
            type: 'http',
            name: 'refund',
            url: `${toolServer.base}/lookup`,
            inputSchema: ORDER_SCHEMA,
            requireApproval: true,
          },
          ...(scenario === 'subagent' ? [{ type: 'subagent', agentId: 'helper' }] : []),
          ...(scenario === 'subagentSlow' ? [{ type: 'subagent', agentId: 'slowhelper' }] : []),
          ...(scenario === 'fanOut' ? [{ type: 'subagent', agentId: 'helper', maxConcurrent: 2 }] : []),
          ...(scenario === 'cancelTool'
            ? [
                {
                  type: 'http',
                  name: 'slow',
                  url: `${toolServer.base}/hang`,
                  timeoutMs: 60_000,
                  inputSchema: { type: 'object' },
                },
              ]
            : []),
        ],
      });
    }
    const deep = agentId(dialect, 'deep');
    const deepModel = await startScriptedModel(dialect, deepScript(deep));
    models[deep] = deepModel;
    agents.push({
      id: deep,
      dialect,
      url: `${deepModel.url}${path}`,
      model: 'test-model',
      maxSteps: 5,
      retry: { attempts: 1 },
      tools: [{ type: 'subagent', agentId: deep, maxDepth: 2 }],
    });
  }
  agents.push({ id: 'helper', dialect: 'demo', description: 'Does arithmetic.', demo: { wordDelayMs: 0 } });
  agents.push({ id: 'slowhelper', dialect: 'demo', demo: { wordDelayMs: 200 } });
  gateway = await startGateway(agents);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(Object.values(models).map((model) => model.close()));
  await toolServer?.close();
});

/** The tools in each vendor's format, by name. */
function toolsOf(
  dialect: ModelDialectName,
  body: ModelRequestBody,
): Record<string, { description?: string; schema: unknown }> {
  const tools: Record<string, { description?: string; schema: unknown }> = {};
  for (const tool of body.tools ?? []) {
    if (dialect === 'openai-chat') {
      expect(tool.type).toBe('function');
      tools[tool.function.name] = { description: tool.function.description, schema: tool.function.parameters };
    } else if (dialect === 'openai-responses') {
      expect(tool.type).toBe('function');
      tools[tool.name] = { description: tool.description, schema: tool.parameters };
    } else {
      tools[tool.name] = { description: tool.description, schema: tool.input_schema };
    }
  }
  return tools;
}

function systemPromptOf(dialect: ModelDialectName, body: ModelRequestBody): unknown {
  if (dialect === 'openai-chat') return body.messages[0];
  if (dialect === 'openai-responses') return body.instructions;
  return body.system;
}

/** The tool calls and results of a request, normalised: [callId, name, arguments] and [callId, content, isError]. */
function exchangeOf(dialect: ModelDialectName, body: ModelRequestBody) {
  const calls: [string, string, unknown][] = [];
  const results: [string, string, boolean][] = [];
  if (dialect === 'openai-chat') {
    for (const message of body.messages) {
      for (const call of message.tool_calls ?? [])
        calls.push([call.id, call.function.name, JSON.parse(call.function.arguments)]);
      if (message.role === 'tool') results.push([message.tool_call_id, message.content as string, false]);
    }
  } else if (dialect === 'openai-responses') {
    for (const item of body.input) {
      if (item.type === 'function_call') calls.push([item.call_id, item.name, JSON.parse(item.arguments)]);
      if (item.type === 'function_call_output') results.push([item.call_id, item.output, false]);
    }
  } else {
    for (const message of body.messages) {
      for (const block of Array.isArray(message.content) ? message.content : []) {
        if (block.type === 'tool_use') calls.push([block.id, block.name, block.input]);
        if (block.type === 'tool_result')
          results.push([block.tool_use_id, block.content as string, block.is_error === true]);
      }
    }
  }
  return { calls, results };
}

describe.each(DIALECTS)('agent runtime: $dialect', ({ dialect }) => {
  it('runs the loop: instructions, tools and settings in the request, tools run by Synapse, steps, summed usage', async () => {
    const model = models[agentId(dialect, 'loop')]!;
    const events = await gateway.runAndStream({ agentId: agentId(dialect, 'loop'), prompt: 'Where is order A1?' });
    const terminal = terminalOf(events);
    expect(terminal.__typename, JSON.stringify(terminal)).toBe('RunCompleted');
    expect(model.bodies).toHaveLength(2);

    const [first, second] = model.bodies as [ModelRequestBody, ModelRequestBody];
    expect(systemPromptOf(dialect, first)).toEqual(
      dialect === 'openai-chat' ? { role: 'system', content: INSTRUCTIONS } : INSTRUCTIONS,
    );
    expect(first.temperature).toBe(0.2);
    expect(first.max_tokens).toBe(512);
    expect(first.stream).toBe(true);
    const tools = toolsOf(dialect, first);
    expect(Object.keys(tools).sort()).toEqual(['hang', 'lookup', 'refund']);
    expect(tools.lookup).toEqual({ description: 'Looks an order up.', schema: ORDER_SCHEMA });

    // the next turn carries the whole exchange with the right call ids
    const exchange = exchangeOf(dialect, second);
    expect(exchange.calls).toEqual([
      ['call_a1', 'lookup', { order: 'A1' }],
      ['call_bad', 'lookup', { order: 42 }],
    ]);
    expect(exchange.results.map(([id]) => id)).toEqual(['call_a1', 'call_bad']);
    expect(JSON.parse(exchange.results[0]![1])).toEqual({ found: true, query: { order: 'A1' } });
    // the invalid call was never sent to the tool: it went back to the model as an error result
    expect(exchange.results[1]![1]).toContain('invalid arguments');
    if (dialect === 'anthropic-messages') expect(exchange.results[1]![2]).toBe(true);
    expect(
      toolServer.requests.filter(
        (request) => request.path === '/lookup' && (request.body as { order?: unknown } | null)?.order === 42,
      ),
    ).toHaveLength(0);

    expect(ofType(events, 'StepStarted').map((event) => event.name)).toEqual(['step-1', 'step-2']);
    expect(ofType(events, 'StepFinished').map((event) => event.name)).toEqual(['step-1', 'step-2']);
    const results = ofType(events, 'ToolResult');
    expect(results.map((event) => [event.toolCallId, event.isError])).toEqual([
      ['call_a1', false],
      ['call_bad', true],
    ]);
    expect(terminal.usage).toMatchObject({ inputTokens: 250, outputTokens: 30, totalTokens: 280 });
    expect(terminal.text).toBe('Let me look.Order A1 is found.');

    const workflow = await gateway.workflow(events[0]!.workflowId);
    expect(workflow.status).toBe('SUCCEEDED');
    expect(workflow.usage).toMatchObject({ inputTokens: 250, outputTokens: 30 });
    expect(
      workflow.toolCalls.map((call: { id: string; toolName: string; isError: boolean }) => [
        call.id,
        call.toolName,
        call.isError,
      ]),
    ).toEqual([
      ['call_a1', 'lookup', false],
      ['call_bad', 'lookup', true],
    ]);

    // the thread's next turn continues the whole conversation, calls and results included
    const next = await gateway.runAndStream({
      agentId: agentId(dialect, 'loop'),
      threadId: workflow.threadId,
      prompt: 'And now?',
    });
    expect(terminalOf(next).__typename).toBe('RunCompleted');
    const third = exchangeOf(dialect, model.bodies[2]!);
    expect(third.calls.map(([id]) => id)).toEqual(['call_a1', 'call_bad']);
    expect(third.results.map(([id]) => id)).toEqual(['call_a1', 'call_bad']);
  });

  it('ends with MAX_STEPS and the usage so far when the last allowed turn still asks for tools', async () => {
    const model = models[agentId(dialect, 'forever')]!;
    const events = await gateway.runAndStream({ agentId: agentId(dialect, 'forever'), prompt: 'Loop' });
    const terminal = terminalOf(events);
    expect(terminal).toMatchObject({ __typename: 'RunFailed', code: 'MAX_STEPS', retryable: false });
    expect(terminal.usage).toEqual({ totalTokens: 22 });
    expect(model.bodies).toHaveLength(2);
    expect(ofType(events, 'ToolResult').map((event) => event.toolCallId)).toEqual(['call_0']);
  });

  it('runs the calls of one turn concurrently; a timeout is an error result, not a failed run', async () => {
    const started = Date.now();
    const events = await gateway.runAndStream({ agentId: agentId(dialect, 'slowTools'), prompt: 'Hang twice' });
    const elapsed = Date.now() - started;
    expect(terminalOf(events).__typename).toBe('RunCompleted');
    const results = ofType(events, 'ToolResult');
    expect(results.map((event) => [event.toolCallId, event.isError])).toEqual([
      ['call_h1', true],
      ['call_h2', true],
    ]);
    expect(results[0]!.result.code).toBe('TOOL_TIMEOUT');
    // two 400 ms timeouts in sequence would take 800 ms at least
    expect(elapsed).toBeLessThan(780);
  });

  it('cancel during a model turn aborts the model request', async () => {
    const model = models[agentId(dialect, 'hang')]!;
    const run = await gateway.run({ agentId: agentId(dialect, 'hang'), prompt: 'Wait' });
    let cancelled = null as Promise<unknown> | null; // set in a callback: not narrowed to null
    const events = await gateway.stream(run.id, (event) => {
      if (event.__typename === 'StepStarted' && !cancelled) cancelled = gateway.cancel(run.id);
    });
    await cancelled;
    expect(terminalOf(events).__typename).toBe('RunCancelled');
    for (let attempt = 0; attempt < 100 && model.aborted === 0; attempt++) await sleep(20);
    expect(model.aborted).toBe(1);
  });

  it('cancel during a tool call aborts the call and ends the run RunCancelled', async () => {
    const run = await gateway.run({ agentId: agentId(dialect, 'cancelTool'), prompt: 'Slow' });
    let cancelled = null as Promise<unknown> | null; // set in a callback: not narrowed to null
    const started = Date.now();
    const events = await gateway.stream(run.id, (event) => {
      if (event.__typename === 'StepFinished' && !cancelled) cancelled = gateway.cancel(run.id);
    });
    await cancelled;
    expect(terminalOf(events).__typename).toBe('RunCancelled');
    expect(ofType(events, 'ToolResult')).toHaveLength(0);
    // well before the tool's 60 s timeout
    expect(Date.now() - started).toBeLessThan(5_000);
    const workflow = await gateway.workflow(run.id);
    expect(workflow.status).toBe('CANCELLED');
  });

  it('requireApproval pauses as TOOL_APPROVAL; approval runs the tool with the edited arguments', async () => {
    const model = models[agentId(dialect, 'approval')]!;
    const run = await gateway.run({ agentId: agentId(dialect, 'approval'), prompt: 'Refund A1' });
    const paused = await waitForWorkflowStatus(gateway.server.url, run.id, 'INPUT_REQUIRED');
    expect(paused.pendingInterrupts).toHaveLength(1);
    const interrupt = paused.pendingInterrupts[0];
    expect(interrupt).toMatchObject({
      kind: 'TOOL_APPROVAL',
      tool: 'refund',
      toolCallId: 'call_refund',
      arguments: { order: 'A1' },
    });
    const before = toolServer.requests.length;
    const answer = await graphqlRequest(gateway.server.url, RESPOND, {
      workflowId: run.id,
      responses: [{ interruptId: interrupt.interruptId, decision: 'APPROVE', arguments: { order: 'B2' } }],
    });
    expect(answer.data!.respondToInterrupts.__typename).toBe('RespondToInterruptsPayload');
    const events = await gateway.stream(run.id);
    expect(terminalOf(events).__typename).toBe('RunCompleted');
    expect(toolServer.requests.slice(before).map((request) => request.body)).toContainEqual({ order: 'B2' });
    const exchange = exchangeOf(dialect, model.bodies[1]!);
    expect(exchange.results.map(([id, content]) => [id, JSON.parse(content)])).toEqual([
      ['call_refund', { found: true, query: { order: 'B2' } }],
    ]);
    expect(ofType(events, 'StepStarted').map((event) => event.name)).toEqual(['step-1', 'step-2']);
  });

  it("a rejection goes to the model as the tool result with the person's message", async () => {
    const model = models[agentId(dialect, 'approval')]!;
    const run = await gateway.run({ agentId: agentId(dialect, 'approval'), prompt: 'Refund A1 again' });
    const paused = await waitForWorkflowStatus(gateway.server.url, run.id, 'INPUT_REQUIRED');
    const interrupt = paused.pendingInterrupts[0];
    await graphqlRequest(gateway.server.url, RESPOND, {
      workflowId: run.id,
      responses: [{ interruptId: interrupt.interruptId, decision: 'REJECT', message: 'refunds are frozen' }],
    });
    const events = await gateway.stream(run.id);
    expect(terminalOf(events).__typename).toBe('RunCompleted');
    const exchange = exchangeOf(dialect, model.bodies.at(-1)!);
    expect(exchange.results.at(-1)![1]).toContain('refunds are frozen');
  });

  it('structured output: asked in the vendor format, a failing answer sent back with its errors, the output parsed', async () => {
    const model = models[agentId(dialect, 'structured')]!;
    const events = await gateway.runAndStream({ agentId: agentId(dialect, 'structured'), prompt: 'The answer?' });
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunCompleted', output: { answer: 42 } });
    expect(model.bodies).toHaveLength(2);
    const first = model.bodies[0]!;
    if (dialect === 'openai-chat')
      expect(first.response_format).toEqual({
        type: 'json_schema',
        json_schema: { name: 'output', schema: ANSWER_SCHEMA },
      });
    else if (dialect === 'openai-responses')
      expect(first.text).toEqual({ format: { type: 'json_schema', name: 'output', schema: ANSWER_SCHEMA } });
    else expect(first.output_config).toEqual({ format: { type: 'json_schema', schema: ANSWER_SCHEMA } });
    const retry = JSON.stringify(model.bodies[1]);
    expect(retry).toContain('does not match the required JSON Schema');
    expect(retry).toContain('/answer must be integer');
    const workflow = await gateway.workflow(events[0]!.workflowId);
    expect(workflow.output).toEqual({ answer: 42 });
  });

  it('structured output: past outputRetries the run fails with OUTPUT_VALIDATION', async () => {
    const model = models[agentId(dialect, 'structuredBad')]!;
    const events = await gateway.runAndStream({ agentId: agentId(dialect, 'structuredBad'), prompt: 'The answer?' });
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'OUTPUT_VALIDATION' });
    expect(model.bodies).toHaveLength(2);
  });

  it('a subagent runs as a child workflow: childWorkflowId on the call and its result, parentId and children', async () => {
    const model = models[agentId(dialect, 'subagent')]!;
    const events = await gateway.runAndStream({ agentId: agentId(dialect, 'subagent'), prompt: 'Ask the helper' });
    expect(terminalOf(events).__typename).toBe('RunCompleted');
    const parentId = events[0]!.workflowId as string;
    expect(toolsOf(dialect, model.bodies[0]!).helper).toEqual({
      description: 'Does arithmetic.',
      schema: expect.objectContaining({
        type: 'object',
        properties: { prompt: expect.objectContaining({ type: 'string' }) },
        required: ['prompt'],
      }),
    });
    const response = await graphqlRequest(gateway.server.url, LINKS, { id: parentId });
    expect(response.errors).toBeUndefined();
    const parent = response.data!.workflow;
    const completed = parent.events.find((event: StreamEvent) => event.__typename === 'ToolCallCompleted');
    const result = parent.events.find((event: StreamEvent) => event.__typename === 'ToolResult');
    expect(completed.childWorkflowId).toBeTruthy();
    expect(result).toMatchObject({ childWorkflowId: completed.childWorkflowId, isError: false });
    expect(parent.parentId).toBeNull();
    expect(parent.children).toEqual([
      { id: completed.childWorkflowId, parentId, status: 'SUCCEEDED', agent: { id: 'helper' } },
    ]);
    // the child is a workflow like any other: streamable from the start
    const child = await gateway.stream(completed.childWorkflowId);
    expect(terminalOf(child)).toMatchObject({ __typename: 'RunCompleted', output: { answer: 42 } });
    // its answer is the tool's result
    const exchange = exchangeOf(dialect, model.bodies[1]!);
    expect(JSON.parse(exchange.results[0]![1])).toMatchObject({ answer: 42 });
  });

  it('maxDepth bounds nesting: the grandchild call is an error result naming the key and the child goes on', async () => {
    const deep = agentId(dialect, 'deep');
    const model = models[deep]!;
    const events = await gateway.runAndStream({ agentId: deep, prompt: 'Go deep' });
    expect(terminalOf(events).__typename).toBe('RunCompleted');
    const parentId = events[0]!.workflowId as string;
    const top = (await graphqlRequest(gateway.server.url, LINKS, { id: parentId })).data!.workflow;
    expect(top.children).toHaveLength(1);
    expect(top.children[0]).toMatchObject({ status: 'SUCCEEDED', agent: { id: deep } });
    const child = (await graphqlRequest(gateway.server.url, LINKS, { id: top.children[0].id })).data!.workflow;
    expect(child.children).toEqual([]);
    expect(child.events.find((event: StreamEvent) => event.__typename === 'ToolResult')).toMatchObject({
      isError: true,
    });
    // request 2 is the child's second turn: it sees the error result naming maxDepth
    expect(model.bodies).toHaveLength(4);
    const exchange = exchangeOf(dialect, model.bodies[2]!);
    expect(exchange.results).toHaveLength(1);
    expect(exchange.results[0]![1]).toContain('maxDepth');
  });

  it('maxConcurrent bounds fan-out: the call past it is an error result naming the key, the others run', async () => {
    const model = models[agentId(dialect, 'fanOut')]!;
    const events = await gateway.runAndStream({ agentId: agentId(dialect, 'fanOut'), prompt: 'Fan out' });
    expect(terminalOf(events).__typename).toBe('RunCompleted');
    const parent = (await graphqlRequest(gateway.server.url, LINKS, { id: events[0]!.workflowId as string })).data!
      .workflow;
    expect(parent.children).toHaveLength(2);
    expect(parent.children.every((child: { status: string }) => child.status === 'SUCCEEDED')).toBe(true);
    const results = parent.events.filter((event: StreamEvent) => event.__typename === 'ToolResult');
    expect(results.map((result: StreamEvent) => result.isError).sort()).toEqual([false, false, true]);
    const exchange = exchangeOf(dialect, model.bodies[1]!);
    expect(exchange.results).toHaveLength(3);
    expect(exchange.results.filter(([, content]) => content.includes('maxConcurrent'))).toHaveLength(1);
  });

  it('cancelling the parent cancels its running child', async () => {
    const run = await gateway.run({ agentId: agentId(dialect, 'subagentSlow'), prompt: 'Delegate' });
    let cancelled = null as Promise<unknown> | null; // set in a callback: not narrowed to null
    const events = await gateway.stream(run.id, (event) => {
      if (event.__typename === 'StepFinished' && !cancelled) cancelled = sleep(100).then(() => gateway.cancel(run.id));
    });
    await cancelled;
    expect(terminalOf(events).__typename).toBe('RunCancelled');
    const response = await graphqlRequest(gateway.server.url, LINKS, { id: run.id });
    const children = response.data!.workflow.children as { id: string; status: string }[];
    expect(children).toHaveLength(1);
    const child = await gateway.stream(children[0]!.id);
    expect(terminalOf(child).__typename).toBe('RunCancelled');
  });

  it('clientTools are offered and wait as CLIENT_TOOL; the RESPOND value is the result', async () => {
    const model = models[agentId(dialect, 'client')]!;
    const clientTools = [
      {
        name: 'pick_color',
        description: 'Asks the user for a colour.',
        inputSchema: { type: 'object', properties: { palette: { type: 'string' } } },
      },
    ];
    const run = await gateway.run({ agentId: agentId(dialect, 'client'), prompt: 'Pick a colour', clientTools });
    const paused = await waitForWorkflowStatus(gateway.server.url, run.id, 'INPUT_REQUIRED');
    const interrupt = paused.pendingInterrupts[0];
    expect(interrupt).toMatchObject({ kind: 'CLIENT_TOOL', tool: 'pick_color', arguments: { palette: 'warm' } });
    expect(Object.keys(toolsOf(dialect, model.bodies[0]!))).toContain('pick_color');
    await graphqlRequest(gateway.server.url, RESPOND, {
      workflowId: run.id,
      responses: [{ interruptId: interrupt.interruptId, decision: 'RESPOND', value: { color: 'amber' } }],
    });
    const events = await gateway.stream(run.id);
    expect(terminalOf(events).__typename).toBe('RunCompleted');
    expect(typesOf(events)).toContain('InterruptResolved');
    const exchange = exchangeOf(dialect, model.bodies[1]!);
    expect(exchange.results.map(([id, content]) => [id, JSON.parse(content)])).toEqual([
      ['call_color', { color: 'amber' }],
    ]);
  });
});

describe('agent runtime: durable pauses', () => {
  it('a gateway restarted while the loop waits for an approval resumes the loop after the answer', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { startSynapse } = await import('../helpers/synapse.js');
    const { wsClient, collectSubscription } = await import('../helpers/graphql-clients.js');
    const { RUN_AGENT, AGENT_STREAM } = await import('../helpers/operations.js');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-runtime-'));
    const model = await startScriptedModel('anthropic-messages', (index) =>
      index === 0
        ? {
            toolCalls: [{ id: 'toolu_refund', name: 'refund', arguments: { order: 'R9' } }],
            usage: { inputTokens: 30, outputTokens: 3 },
          }
        : { text: 'Refunded.', usage: { inputTokens: 40, outputTokens: 2 } },
    );
    const agents = [
      {
        id: 'durable',
        dialect: 'anthropic-messages',
        url: `${model.url}/v1/messages`,
        instructions: INSTRUCTIONS,
        tools: [
          {
            type: 'http',
            name: 'refund',
            url: `${toolServer.base}/lookup`,
            inputSchema: ORDER_SCHEMA,
            requireApproval: ['refund'],
          },
        ],
      },
    ];
    let server = await startSynapse({ dataDir, config: { agents } });
    try {
      const started = await graphqlRequest(server.url, RUN_AGENT, {
        input: { agentId: 'durable', prompt: 'Refund R9' },
      });
      const id = started.data!.runAgent.workflow.id as string;
      let paused: WorkflowView | null = null;
      for (let attempt = 0; attempt < 200 && paused?.status !== 'INPUT_REQUIRED'; attempt++) {
        paused = (await graphqlRequest(server.url, PAUSED_WORKFLOW, { id })).data!.workflow;
        if (paused!.status !== 'INPUT_REQUIRED') await sleep(25);
      }
      expect(paused!.status).toBe('INPUT_REQUIRED');
      await server.close();
      server = await startSynapse({ dataDir, config: { agents } });
      const answer = await graphqlRequest(server.url, RESPOND, {
        workflowId: id,
        responses: [{ interruptId: paused!.pendingInterrupts[0]!.interruptId, decision: 'APPROVE' }],
      });
      expect(answer.data!.respondToInterrupts.__typename).toBe('RespondToInterruptsPayload');
      const client = wsClient(server.url);
      const data = await collectSubscription<{ agentStream: StreamEvent }>(client, AGENT_STREAM, {
        workflowId: id,
        afterSequence: 0,
      });
      await client.dispose();
      const events = data.map((entry) => entry.agentStream).filter((event) => event.__typename !== 'Heartbeat');
      expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => index + 1));
      expect(events.at(-1)).toMatchObject({ __typename: 'RunCompleted', usage: { inputTokens: 70, outputTokens: 5 } });
      expect(events.filter((event) => event.__typename === 'StepStarted').map((event) => event.name)).toEqual([
        'step-1',
        'step-2',
      ]);
      const exchange = exchangeOf('anthropic-messages', model.bodies[1]!);
      expect(exchange.calls).toEqual([['toolu_refund', 'refund', { order: 'R9' }]]);
      expect(exchange.results.map(([callId, content]) => [callId, JSON.parse(content)])).toEqual([
        ['toolu_refund', { found: true, query: { order: 'R9' } }],
      ]);
      expect(model.bodies[1]!.system).toBe(INSTRUCTIONS);
    } finally {
      await server.close();
      await model.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
