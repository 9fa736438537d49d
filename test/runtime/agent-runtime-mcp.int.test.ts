import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ScriptedTurn } from '../../src/mock-upstream/model-script.js';
import { startMcpHttpServer } from '../fixtures/mcp/http-server.mjs';
import { graphqlRequest } from '../helpers/graphql-clients.js';
import { RESPOND, waitForWorkflowStatus } from '../helpers/interrupt-operations.js';
import { startScriptedModel, type ScriptedModel } from '../helpers/scripted-model.js';
import { startGateway, terminalOf } from '../dialects/harness.js';
import type { ModelRequestBody } from '../helpers/shapes.js';

/**
 * MCP tools in the agent loop (docs/runtime.md): a real MCP server (the official SDK, over
 * streamable HTTP) and a scripted openai-chat model server, both on loopback. `requireApproval`
 * lists one of the server's tools: that call waits for a person, the other runs at once.
 */
const TURNS: ScriptedTurn[] = [
  { toolCalls: [{ id: 'call_echo', name: 'echo', arguments: { text: 'hello' } }] },
  { toolCalls: [{ id: 'call_add', name: 'add', arguments: { a: 2, b: 3 } }] },
  { text: 'Two plus three is five.' },
];

let mcp: Awaited<ReturnType<typeof startMcpHttpServer>>;
let model: ScriptedModel;
let gateway: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  mcp = await startMcpHttpServer();
  model = await startScriptedModel('openai-chat', (index) => TURNS[Math.min(index, TURNS.length - 1)]!);
  gateway = await startGateway([
    {
      id: 'mcp-agent',
      dialect: 'openai-chat',
      url: `${model.url}/v1/chat/completions`,
      model: 'test-model',
      maxSteps: 5,
      retry: { attempts: 1 },
      tools: [{ type: 'mcp', url: mcp.url, timeoutMs: 5_000, requireApproval: ['add'] }],
    },
  ]);
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await model?.close();
  await mcp?.close();
});

/** The tool results an openai-chat request carries: [toolCallId, content]. */
const resultsOf = (body: ModelRequestBody): [string, string][] =>
  body.messages
    .filter((message) => message.role === 'tool')
    .map((message): [string, string] => [message.tool_call_id, message.content as string]);

it('MCP tools run in the loop; the one in requireApproval waits, and once approved its result reaches the next turn', async () => {
  const run = await gateway.run({ agentId: 'mcp-agent', prompt: 'Echo hello, then add 2 and 3' });
  const paused = await waitForWorkflowStatus(gateway.server.url, run.id, 'INPUT_REQUIRED');
  // the MCP tools were offered to the model in its format
  const offered = model.bodies[0]!.tools!.map((tool) => tool.function.name);
  expect(offered).toEqual(expect.arrayContaining(['echo', 'add']));
  // echo is not in the list: it ran at once, its result in the second turn
  expect(resultsOf(model.bodies[1]!)).toEqual([['call_echo', expect.stringContaining('hello')]]);
  // add is: the run waits before it runs
  expect(model.bodies).toHaveLength(2);
  expect(paused.pendingInterrupts).toHaveLength(1);
  const interrupt = paused.pendingInterrupts[0];
  expect(interrupt).toMatchObject({
    kind: 'TOOL_APPROVAL',
    tool: 'add',
    toolCallId: 'call_add',
    arguments: { a: 2, b: 3 },
  });
  const answer = await graphqlRequest(gateway.server.url, RESPOND, {
    workflowId: run.id,
    responses: [{ interruptId: interrupt.interruptId, decision: 'APPROVE' }],
  });
  expect(answer.data!.respondToInterrupts.__typename).toBe('RespondToInterruptsPayload');
  const events = await gateway.stream(run.id);
  expect(terminalOf(events).__typename).toBe('RunCompleted');
  // the MCP server's answer (5) is the result the model's third turn sees
  expect(model.bodies).toHaveLength(3);
  const results = resultsOf(model.bodies[2]!);
  expect(results.map(([id]) => id)).toEqual(['call_echo', 'call_add']);
  expect(results[1]![1]).toContain('5');
});
