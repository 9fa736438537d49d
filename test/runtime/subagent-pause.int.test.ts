import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelDialectName, ScriptedTurn } from '../../src/mock-upstream/model-script.js';
import { graphqlRequest } from '../helpers/graphql-clients.js';
import { PAUSED_WORKFLOW, RESPOND } from '../helpers/interrupt-operations.js';
import { MODEL_DIALECTS, ORDER_SCHEMA, startScriptedModel, type ScriptedModel } from '../helpers/scripted-model.js';
import { startToolServer, type ToolServer } from '../helpers/tool-server.js';
import { ofType, startGateway, terminalOf, typesOf } from '../dialects/harness.js';
import type { ModelRequestBody, StreamEvent, WorkflowView } from '../helpers/shapes.js';

/**
 * A subagent's child that pauses for a person pauses its parent too (docs/runtime.md,
 * "Subagents"), on every model dialect: the parent's pending interrupts mirror the child's,
 * an answer through `respondToInterrupts` on the parent or on the child resumes the child, and
 * the child's answer becomes the parent's tool result, after which the parent's loop goes on.
 */
const DIALECTS = MODEL_DIALECTS;

const CLIENT_TOOLS = [
  {
    name: 'pick_color',
    description: 'Asks the user for a colour.',
    inputSchema: { type: 'object', properties: { palette: { type: 'string' } } },
  },
];

/** Scenarios: how the child pauses and where the answer is given. */
const SCENARIOS = {
  approveOnParent: { childCall: { id: 'call_refund', name: 'refund', arguments: { order: 'A1' } } },
  approveOnChild: { childCall: { id: 'call_refund', name: 'refund', arguments: { order: 'A1' } } },
  clientTool: { childCall: { id: 'call_color', name: 'pick_color', arguments: { palette: 'warm' } } },
  cancelParent: { childCall: { id: 'call_refund', name: 'refund', arguments: { order: 'A1' } } },
} as const;
type Scenario = keyof typeof SCENARIOS;

const parentId = (dialect: string, scenario: Scenario) => `${dialect}-${scenario}-parent`;
const childAgentId = (dialect: string, scenario: Scenario) => `${dialect}-${scenario}-child`;

const LINKS = /* GraphQL */ `
  query Links($id: ID!) {
    workflow(id: $id) {
      id status parentId
      children { id status }
      events { __typename ... on ToolResult { toolCallId isError childWorkflowId result } ... on InterruptResolved { interruptId decision value arguments respondedBy } }
    }
  }
`;

let toolServer: ToolServer;
let gateway: Awaited<ReturnType<typeof startGateway>>;
const models: Record<string, ScriptedModel> = {};

beforeAll(async () => {
  toolServer = await startToolServer();
  const agents: Record<string, unknown>[] = [];
  for (const { dialect, path } of DIALECTS) {
    for (const [scenario, { childCall }] of Object.entries(SCENARIOS) as [Scenario, (typeof SCENARIOS)[Scenario]][]) {
      const child = childAgentId(dialect, scenario);
      const parentScript = (index: number): ScriptedTurn =>
        index === 0
          ? {
              toolCalls: [{ id: 'call_delegate', name: child, arguments: { prompt: 'Handle order A1' } }],
              usage: { inputTokens: 10, outputTokens: 2 },
            }
          : { text: 'The child is done.', usage: { inputTokens: 20, outputTokens: 3 } };
      const childScript = (index: number): ScriptedTurn =>
        index === 0 ? { toolCalls: [childCall] } : { text: 'Child done: handled.' };
      models[parentId(dialect, scenario)] = await startScriptedModel(dialect, parentScript);
      models[child] = await startScriptedModel(dialect, childScript);
      agents.push({
        id: parentId(dialect, scenario),
        dialect,
        url: `${models[parentId(dialect, scenario)]!.url}${path}`,
        model: 'test-model',
        retry: { attempts: 1 },
        tools: [{ type: 'subagent', agentId: child }],
      });
      agents.push({
        id: child,
        dialect,
        description: 'Handles orders.',
        url: `${models[child].url}${path}`,
        model: 'test-model',
        retry: { attempts: 1 },
        tools: [
          {
            type: 'http',
            name: 'refund',
            url: `${toolServer.base}/lookup`,
            inputSchema: ORDER_SCHEMA,
            requireApproval: true,
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

async function waitForStatus(id: string, status: string): Promise<WorkflowView> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const workflow = (await graphqlRequest(gateway.server.url, PAUSED_WORKFLOW, { id })).data!.workflow;
    if (workflow.status === status) return workflow;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`workflow ${id} never reached ${status}`);
}

/** The tool results of a request, normalised to [callId, content]. */
function resultsOf(dialect: ModelDialectName, body: ModelRequestBody): [string, string][] {
  if (dialect === 'openai-chat')
    return body.messages
      .filter((message) => message.role === 'tool')
      .map((message): [string, string] => [message.tool_call_id, message.content as string]);
  if (dialect === 'openai-responses')
    return body.input
      .filter((item) => item.type === 'function_call_output')
      .map((item): [string, string] => [item.call_id, item.output]);
  return body.messages.flatMap((message) =>
    (Array.isArray(message.content) ? message.content : [])
      .filter((block) => block.type === 'tool_result')
      .map((block): [string, string] => [block.tool_use_id, block.content as string]),
  );
}

/** Starts the parent, waits until it and its child are paused, and returns both with their pending interrupts. */
async function runUntilBothPause(dialect: ModelDialectName, scenario: Scenario, input: Record<string, unknown> = {}) {
  const run = await gateway.run({ agentId: parentId(dialect, scenario), prompt: 'Handle A1', ...input });
  const parent = await waitForStatus(run.id, 'INPUT_REQUIRED');
  const links = (await graphqlRequest(gateway.server.url, LINKS, { id: run.id })).data!.workflow;
  expect(links.children).toHaveLength(1);
  const child = await waitForStatus(links.children[0].id, 'INPUT_REQUIRED');
  return { parent, child };
}

/** After the answer: the parent completes with the child's answer as its tool result, the child completed. */
async function expectParentGoesOn(
  dialect: ModelDialectName,
  scenario: Scenario,
  parentWorkflowId: string,
  childWorkflowId: string,
) {
  const events = await gateway.stream(parentWorkflowId);
  expect(terminalOf(events)).toMatchObject({ __typename: 'RunCompleted', text: 'The child is done.' });
  expect(terminalOf(events).usage).toBeTruthy();
  expect(ofType(events, 'StepStarted').map((event) => event.name)).toEqual(['step-1', 'step-2']);
  expect(typesOf(events)).toContain('InterruptResolved');
  expect(ofType(events, 'ToolResult').map((event) => [event.toolCallId, event.isError])).toEqual([
    ['call_delegate', false],
  ]);

  const childEvents = await gateway.stream(childWorkflowId);
  expect(terminalOf(childEvents)).toMatchObject({ __typename: 'RunCompleted', text: 'Child done: handled.' });
  const parent = (await graphqlRequest(gateway.server.url, LINKS, { id: parentWorkflowId })).data!.workflow;
  expect(parent.status).toBe('SUCCEEDED');
  expect(parent.children).toEqual([{ id: childWorkflowId, status: 'SUCCEEDED' }]);
  expect(parent.events.find((event: StreamEvent) => event.__typename === 'ToolResult')).toMatchObject({
    childWorkflowId,
    isError: false,
  });

  // the parent's next model turn got the child's answer as the subagent call's result
  const parentModel = models[parentId(dialect, scenario)]!;
  expect(parentModel.bodies).toHaveLength(2);
  const results = resultsOf(dialect, parentModel.bodies[1]!);
  expect(results.map(([id]) => id)).toEqual(['call_delegate']);
  expect(results[0]![1]).toContain('Child done: handled.');
}

describe.each(DIALECTS)('subagent pause: $dialect', ({ dialect }) => {
  it("a child waiting for an approval pauses the parent; approving the parent's mirrored interrupt resumes the child, and its answer is the parent's tool result", async () => {
    const scenario = 'approveOnParent';
    const { parent, child } = await runUntilBothPause(dialect, scenario);
    expect(child.pendingInterrupts).toEqual([
      expect.objectContaining({ interruptId: 'approve_call_refund', kind: 'TOOL_APPROVAL', tool: 'refund' }),
    ]);
    // the parent waits on the child's interrupt: same kind, tool and arguments, on its subagent call, naming the child
    expect(parent.pendingInterrupts).toHaveLength(1);
    const mirrored = parent.pendingInterrupts[0]!;
    expect(mirrored).toMatchObject({
      interruptId: `subagent_${child.id}_approve_call_refund`,
      kind: 'TOOL_APPROVAL',
      tool: 'refund',
      arguments: { order: 'A1' },
      toolCallId: 'call_delegate',
    });
    expect(mirrored.message).toContain(child.id);
    // the call has no result yet: it waits
    expect(parent.events.filter((event: StreamEvent) => event.__typename === 'ToolResult')).toHaveLength(0);

    const before = toolServer.requests.length;
    const answer = await graphqlRequest(gateway.server.url, RESPOND, {
      workflowId: parent.id,
      responses: [{ interruptId: mirrored.interruptId, decision: 'APPROVE', arguments: { order: 'B2' } }],
    });
    expect(answer.data!.respondToInterrupts).toMatchObject({ __typename: 'RespondToInterruptsPayload', resumed: true });
    await expectParentGoesOn(dialect, scenario, parent.id, child.id);
    // the child ran its tool with the edited arguments, and its model got the result
    expect(toolServer.requests.slice(before).map((request) => request.body)).toContainEqual({ order: 'B2' });
    const childModel = models[childAgentId(dialect, scenario)]!;
    expect(resultsOf(dialect, childModel.bodies[1]!).map(([id, content]) => [id, JSON.parse(content)])).toEqual([
      ['call_refund', { found: true, query: { order: 'B2' } }],
    ]);
    const childLinks = (await graphqlRequest(gateway.server.url, LINKS, { id: child.id })).data!.workflow;
    expect(childLinks.events.find((event: StreamEvent) => event.__typename === 'InterruptResolved')).toMatchObject({
      interruptId: 'approve_call_refund',
      decision: 'APPROVE',
      arguments: { order: 'B2' },
      respondedBy: `workflow:${parent.id}`,
    });
  });

  it("answering the child's own interrupt resumes the child through the parent, and the parent goes on", async () => {
    const scenario = 'approveOnChild';
    const { parent, child } = await runUntilBothPause(dialect, scenario);
    const answer = await graphqlRequest(gateway.server.url, RESPOND, {
      workflowId: child.id,
      responses: [{ interruptId: 'approve_call_refund', decision: 'APPROVE' }],
    });
    expect(answer.data!.respondToInterrupts).toMatchObject({
      __typename: 'RespondToInterruptsPayload',
      resumed: true,
      workflow: { id: child.id },
    });
    await expectParentGoesOn(dialect, scenario, parent.id, child.id);
    const parentLinks = (await graphqlRequest(gateway.server.url, LINKS, { id: parent.id })).data!.workflow;
    expect(parentLinks.events.find((event: StreamEvent) => event.__typename === 'InterruptResolved')).toMatchObject({
      interruptId: `subagent_${child.id}_approve_call_refund`,
      decision: 'APPROVE',
    });
  });

  it("a child calling one of the run's client tools pauses the parent as CLIENT_TOOL; the RESPOND value is the child's tool result", async () => {
    const scenario = 'clientTool';
    const { parent, child } = await runUntilBothPause(dialect, scenario, { clientTools: CLIENT_TOOLS });
    const childModel = models[childAgentId(dialect, scenario)]!;
    expect(JSON.stringify(childModel.bodies[0]!.tools)).toContain('pick_color');
    expect(parent.pendingInterrupts).toEqual([
      expect.objectContaining({
        interruptId: `subagent_${child.id}_client_call_color`,
        kind: 'CLIENT_TOOL',
        tool: 'pick_color',
        arguments: { palette: 'warm' },
      }),
    ]);
    await graphqlRequest(gateway.server.url, RESPOND, {
      workflowId: parent.id,
      responses: [
        { interruptId: parent.pendingInterrupts[0]!.interruptId, decision: 'RESPOND', value: { color: 'amber' } },
      ],
    });
    await expectParentGoesOn(dialect, scenario, parent.id, child.id);
    expect(resultsOf(dialect, childModel.bodies[1]!).map(([id, content]) => [id, JSON.parse(content)])).toEqual([
      ['call_color', { color: 'amber' }],
    ]);
  });

  it('cancelling the paused parent cancels the paused child', async () => {
    const { parent, child } = await runUntilBothPause(dialect, 'cancelParent');
    expect((await gateway.cancel(parent.id)).cancelled).toBe(true);
    expect(terminalOf(await gateway.stream(parent.id)).__typename).toBe('RunCancelled');
    const childEvents = await gateway.stream(child.id);
    expect(terminalOf(childEvents)).toMatchObject({ __typename: 'RunCancelled' });
    expect(childEvents.at(-1)!.reason).toContain(parent.id);
  });
});
