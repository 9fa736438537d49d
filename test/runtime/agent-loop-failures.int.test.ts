import { createServer, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseKeeper, LeaseSweeper } from '../../src/bridge/index.js';
import { silentLogger } from '../../src/logger.js';
import { scriptedTurnFrames, type ModelDialectName, type ScriptedTurn } from '../../src/mock-upstream/model-script.js';
import { UNFINISHED_TOOL_CALL_ERROR } from '../../src/store/tool-calls.js';
import { graphqlRequest } from '../helpers/graphql-clients.js';
import { startSynapse } from '../helpers/synapse.js';
import { startToolServer, type ToolServer } from '../helpers/tool-server.js';
import { ofType, startGateway, terminalOf } from '../dialects/harness.js';
import { handled } from '../helpers/http-handler.js';
import type { ModelRequestBody } from '../helpers/shapes.js';
import { MODEL_DIALECTS, ORDER_SCHEMA } from '../helpers/scripted-model.js';

/**
 * The agent loop when something breaks (docs/runtime.md, "Cancel, shutdown and failures"), on
 * every model dialect: a model upstream failing mid-loop, an oversized tool result, shutdown and
 * a lease takeover during a tool call.
 */
const DIALECTS = MODEL_DIALECTS;

/** How a request of the failing model is answered: a scripted turn, an HTTP 500, or a stream cut after its first frames. */
type Answer = ScriptedTurn | 'http500' | 'cut';

interface FailingModel {
  url: string;
  bodies: ModelRequestBody[];
  close(): Promise<void>;
}

/** A scripted vendor-format model server on loopback whose request N gets `script(N)`, failures included. */
async function startFailingModel(dialect: ModelDialectName, script: (index: number) => Answer): Promise<FailingModel> {
  const model: FailingModel = { url: '', bodies: [], close: async () => {} };
  const server = createServer(
    handled(async (request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const index = model.bodies.length;
      model.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ModelRequestBody);
      const answer = script(index);
      if (answer === 'http500') {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { type: 'server_error', message: 'the model is down' } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      if (answer === 'cut') {
        // Two frames of a text answer, then the connection drops without the end of the stream.
        for (const frame of scriptedTurnFrames(dialect, { text: 'Half an ans' }, index + 1).slice(0, 2))
          response.write(frame);
        setTimeout(() => response.destroy(), 20);
        return;
      }
      for (const frame of scriptedTurnFrames(dialect, answer, index + 1)) response.write(frame);
      response.end();
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  model.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  model.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return model;
}

const FIRST_TURN: ScriptedTurn = {
  text: 'Let me look.',
  toolCalls: [{ id: 'call_a1', name: 'lookup', arguments: { order: 'A1' } }],
  usage: { inputTokens: 100, outputTokens: 20 },
};

const SCENARIOS: Record<string, (index: number) => Answer> = {
  http500: (index) => (index === 0 ? FIRST_TURN : 'http500'),
  cut: (index) => (index === 0 ? FIRST_TURN : 'cut'),
  big: (index) =>
    index === 0
      ? {
          toolCalls: [
            { id: 'call_big', name: 'big', arguments: {} },
            { id: 'call_a1', name: 'lookup', arguments: { order: 'A1' } },
          ],
        }
      : { text: 'The big one failed.' },
};

const agentId = (dialect: string, scenario: string) => `${dialect}-${scenario}`;

const TOOL_CALLS = /* GraphQL */ `
  query ToolCalls($id: ID!) {
    workflow(id: $id) {
      id status threadId
      error { code }
      usage { inputTokens outputTokens totalTokens }
      toolCalls { id toolName isError status error result }
    }
  }
`;

let toolServer: ToolServer;
let gateway: Awaited<ReturnType<typeof startGateway>>;
const models: Record<string, FailingModel> = {};

beforeAll(async () => {
  toolServer = await startToolServer();
  const agents: Record<string, unknown>[] = [];
  for (const { dialect, path: urlPath } of DIALECTS) {
    for (const [scenario, script] of Object.entries(SCENARIOS)) {
      const model = await startFailingModel(dialect, script);
      models[agentId(dialect, scenario)] = model;
      agents.push({
        id: agentId(dialect, scenario),
        dialect,
        url: `${model.url}${urlPath}`,
        model: 'test-model',
        maxSteps: 5,
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
            name: 'big',
            url: `${toolServer.base}/big`,
            maxResultBytes: 4096,
            inputSchema: { type: 'object' },
          },
        ],
      });
    }
  }
  gateway = await startGateway(agents);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(Object.values(models).map((model) => model.close()));
  await toolServer?.close();
});

describe.each(DIALECTS)('agent loop failures: $dialect', ({ dialect }) => {
  it('a model answering 500 on the second turn ends the run RunFailed with the usage and the tool results so far', async () => {
    const events = await gateway.runAndStream({ agentId: agentId(dialect, 'http500'), prompt: 'Where is A1?' });
    const terminal = terminalOf(events);
    expect(terminal.__typename).toBe('RunFailed');
    expect(terminal.code).toBe('UPSTREAM_HTTP_500');
    expect(terminal.usage).toEqual({ totalTokens: 120 });
    expect(ofType(events, 'StepStarted').map((event) => event.name)).toEqual(['step-1', 'step-2']);
    expect(ofType(events, 'ToolResult').map((event) => [event.toolCallId, event.isError])).toEqual([
      ['call_a1', false],
    ]);
    expect(models[agentId(dialect, 'http500')]!.bodies).toHaveLength(2);

    const workflow = (await graphqlRequest(gateway.server.url, TOOL_CALLS, { id: events[0]!.workflowId })).data!
      .workflow;
    expect(workflow.status).toBe('FAILED');
    expect(workflow.usage).toMatchObject({ inputTokens: 100, outputTokens: 20 });
    expect(workflow.toolCalls).toEqual([
      {
        id: 'call_a1',
        toolName: 'lookup',
        isError: false,
        status: 'SUCCEEDED',
        error: null,
        result: { found: true, query: { order: 'A1' } },
      },
    ]);
  });

  it('a model stream cut on the second turn ends the run RunFailed with the usage and the tool results so far', async () => {
    const events = await gateway.runAndStream({ agentId: agentId(dialect, 'cut'), prompt: 'Where is A1?' });
    const terminal = terminalOf(events);
    expect(terminal.__typename).toBe('RunFailed');
    expect(terminal.code).toMatch(/^UPSTREAM_/);
    // Anthropic reports the cut turn's input tokens in its first frame (message_start): they count too.
    const cutTurn =
      dialect === 'anthropic-messages' ? { inputTokens: 10, outputTokens: 1 } : { inputTokens: 0, outputTokens: 0 };
    const expected = { inputTokens: 100 + cutTurn.inputTokens, outputTokens: 20 + cutTurn.outputTokens };
    expect(terminal.usage).toEqual({ totalTokens: expected.inputTokens + expected.outputTokens });
    expect(ofType(events, 'ToolResult').map((event) => [event.toolCallId, event.isError])).toEqual([
      ['call_a1', false],
    ]);

    const workflow = (await graphqlRequest(gateway.server.url, TOOL_CALLS, { id: events[0]!.workflowId })).data!
      .workflow;
    expect(workflow.status).toBe('FAILED');
    expect(workflow.usage).toMatchObject(expected);
    expect(workflow.toolCalls.map((call: { id: string; status: string }) => [call.id, call.status])).toEqual([
      ['call_a1', 'SUCCEEDED'],
    ]);
  });

  it('an oversized tool result goes to the model as an error result and the run goes on', async () => {
    const model = models[agentId(dialect, 'big')]!;
    const events = await gateway.runAndStream({ agentId: agentId(dialect, 'big'), prompt: 'Fetch the big one' });
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunCompleted', text: 'The big one failed.' });
    const results = ofType(events, 'ToolResult');
    expect(results.map((event) => [event.toolCallId, event.isError])).toEqual([
      ['call_big', true],
      ['call_a1', false],
    ]);
    expect(results[0]!.result).toMatchObject({ code: 'TOOL_RESULT_TOO_LARGE' });
    expect(model.bodies).toHaveLength(2);
    // the next turn carries the error result, not the oversized body
    const second = JSON.stringify(model.bodies[1]);
    expect(second).toContain('TOOL_RESULT_TOO_LARGE');
    expect(second.length).toBeLessThan(20_000);
    if (dialect === 'anthropic-messages') {
      const blocks = model.bodies[1]!.messages.flatMap((message) =>
        Array.isArray(message.content) ? message.content : [],
      );
      expect(blocks.find((block) => block.type === 'tool_result' && block.tool_use_id === 'call_big')).toMatchObject({
        is_error: true,
      });
    }
  });
});

/** A model that asks for the hanging tool, then answers; the hanging tool's request is held open by the tool server. */
const hangScript = (index: number): Answer =>
  index === 0
    ? { toolCalls: [{ id: 'call_wait', name: 'wait', arguments: {} }], usage: { inputTokens: 10, outputTokens: 2 } }
    : { text: 'Done.', usage: { inputTokens: 12, outputTokens: 1 } };

async function until<T>(check: () => Promise<T | undefined | false>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(DIALECTS)('agent loop stopped during a tool call: $dialect', ({ dialect, path: urlPath }) => {
  const agentsFor = (modelUrl: string) => [
    {
      id: 'waiter',
      dialect,
      url: `${modelUrl}${urlPath}`,
      model: 'test-model',
      retry: { attempts: 1 },
      tools: [
        {
          type: 'http',
          name: 'wait',
          url: `${toolServer.base}/hang`,
          timeoutMs: 60_000,
          inputSchema: { type: 'object' },
        },
      ],
    },
  ];

  /** Starts a run of `waiter` and resolves once its tool call is in flight (its ToolCallCompleted committed). */
  async function runIntoToolCall(server: Awaited<ReturnType<typeof startSynapse>>): Promise<string> {
    const requested = toolServer.nextRequest('/hang');
    const started = await graphqlRequest(server.url, RUN_AGENT_ID, {
      input: { agentId: 'waiter', prompt: 'Wait for it' },
    });
    const id = started.data!.runAgent.workflow.id as string;
    await requested;
    await until(async () => {
      const workflow = (await graphqlRequest(server.url, TOOL_CALLS, { id })).data!.workflow;
      return workflow.toolCalls.length === 1 && workflow.toolCalls[0].status === 'CALLED';
    });
    return id;
  }

  /** The call's record is closed, and a thread's next turn leaves the unanswered call out. */
  async function expectClosedAndConsistent(
    server: Awaited<ReturnType<typeof startSynapse>>,
    model: FailingModel,
    id: string,
  ) {
    const workflow = (await graphqlRequest(server.url, TOOL_CALLS, { id })).data!.workflow;
    expect(workflow.status).toBe('INTERRUPTED');
    expect(workflow.error).toEqual({ code: 'INTERRUPTED' });
    expect(workflow.usage).toMatchObject({ inputTokens: 10, outputTokens: 2 });
    expect(workflow.toolCalls).toEqual([
      {
        id: 'call_wait',
        toolName: 'wait',
        isError: true,
        status: 'FAILED',
        error: UNFINISHED_TOOL_CALL_ERROR,
        result: null,
      },
    ]);

    const before = model.bodies.length;
    const next = await graphqlRequest(server.url, RUN_AGENT_ID, {
      input: { agentId: 'waiter', prompt: 'Again, without waiting', threadId: workflow.threadId },
    });
    const nextId = next.data!.runAgent.workflow.id as string;
    await until(async () => {
      const status = (await graphqlRequest(server.url, TOOL_CALLS, { id: nextId })).data!.workflow.status;
      return status !== 'RUNNING' && status !== 'QUEUED' && status;
    });
    const body = JSON.stringify(model.bodies[before]);
    expect(body).toContain('Wait for it');
    expect(body).toContain('Again, without waiting');
    // a call without a result would be refused by the vendor: it is not sent
    expect(body).not.toContain('call_wait');
  }

  it('shutdown closes the open tool-call record and the thread history stays consistent', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-runtime-stop-'));
    const model = await startFailingModel(dialect, (index) =>
      index === 0 ? hangScript(0) : { text: 'Fresh answer.' },
    );
    let server = await startSynapse({
      dataDir,
      config: { server: { port: 0, shutdownGraceMs: 200 }, agents: agentsFor(model.url) },
    });
    try {
      const id = await runIntoToolCall(server);
      await server.close();
      server = await startSynapse({ dataDir, config: { agents: agentsFor(model.url) } });
      await expectClosedAndConsistent(server, model, id);
    } finally {
      await server.close();
      await model.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a lease takeover during a tool call closes the open tool-call record and stops the run of its owner', async () => {
    const model = await startFailingModel(dialect, (index) =>
      index === 0 ? hangScript(0) : { text: 'Fresh answer.' },
    );
    const server = await startSynapse({ config: { agents: agentsFor(model.url) } });
    try {
      const id = await runIntoToolCall(server);
      const { store, pubsub, runs } = server.services;
      // Another instance sweeps every lease, as it does once the owner's lease has expired.
      const leases = new LeaseKeeper(
        { store, logger: silentLogger },
        { instanceId: 'other-instance', leaseMs: 60_000 },
      );
      const sweeper = new LeaseSweeper({ store, pubsub, logger: silentLogger, leases });
      expect(await sweeper.sweep({ everyLease: true })).toBe(1);
      await sweeper.stop();
      await leases.stop();
      // the owner notices at its next renewal or commit and stops the run, the tool call with it
      await until(async () => runs.activeCount === 0 || undefined, 10_000);
      await expectClosedAndConsistent(server, model, id);
    } finally {
      await server.stop();
      await model.close();
    }
  });
});

const RUN_AGENT_ID = /* GraphQL */ `
  mutation Run($input: RunAgentInput!) {
    runAgent(input: $input) { __typename ... on RunAgentPayload { workflow { id threadId } } ... on Error { code message } }
  }
`;
