import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';
import { collectSubscription, graphqlRequest, wsClient } from '../helpers/graphql-clients.js';
import { AGENT_STREAM, CANCEL, RUN_AGENT, WORKFLOW } from '../helpers/operations.js';
import { startSynapse } from '../helpers/synapse.js';
import { sleep } from '../helpers/async.js';
import type { WorkflowView } from '../helpers/shapes.js';

type Event = { __typename: string; sequence: number; [field: string]: unknown };
const TERMINAL = ['RunCompleted', 'RunFailed', 'RunCancelled'];

let server: Awaited<ReturnType<typeof startSynapse>>;
let client: Client;

beforeAll(async () => {
  server = await startSynapse();
  client = wsClient(server.url);
});

afterAll(async () => {
  await client.dispose();
  await server.stop();
});

async function runAgent(input: Record<string, unknown>) {
  const response = await graphqlRequest(server.url, RUN_AGENT, { input });
  expect(response.errors).toBeUndefined();
  return response.data!.runAgent;
}

async function stream(workflowId: string, afterSequence?: number): Promise<Event[]> {
  const data = await collectSubscription<{ agentStream: Event }>(client, AGENT_STREAM, { workflowId, afterSequence });
  return data.map((entry) => entry.agentStream);
}

async function workflow(id: string) {
  const response = await graphqlRequest(server.url, WORKFLOW, { id });
  expect(response.errors).toBeUndefined();
  return response.data!.workflow;
}

function expectWellFormed(events: Event[], from = 1) {
  expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => from + index));
  expect(events.filter((event) => TERMINAL.includes(event.__typename))).toHaveLength(1);
  expect(TERMINAL).toContain(events.at(-1)!.__typename);
}

describe('runAgent then agentStream over graphql-ws', () => {
  it('streams every event in order, once, matching the stored history field for field', async () => {
    const run = await runAgent({ agentId: 'demo', prompt: 'What is 12 * (3 + 4)?' });
    expect(run.__typename).toBe('RunAgentPayload');
    expect(run.workflow.status).toBe('RUNNING');

    const events = await stream(run.workflow.id, 0);
    expectWellFormed(events);
    const types = events.map((event) => event.__typename);
    expect(types[0]).toBe('RunStarted');
    expect(types).toEqual(
      expect.arrayContaining([
        'ReasoningStep',
        'ToolCallStarted',
        'ToolCallArgsDelta',
        'ToolCallCompleted',
        'ToolResult',
        'TextDelta',
        'MessageCompleted',
        'UsageUpdated',
      ]),
    );
    expect(types.at(-1)).toBe('RunCompleted');
    expect(events.find((event) => event.__typename === 'ToolResult')!.result).toEqual({ value: 84 });

    const text = events
      .filter((event) => event.__typename === 'TextDelta')
      .map((event) => event.delta)
      .join('');
    const stored = await workflow(run.workflow.id);
    expect(stored.status).toBe('SUCCEEDED');
    expect(stored.text).toBe(text);
    expect(text).toContain('12 * (3 + 4) = 84');
    expect(stored.events).toEqual(events);
    expect(stored.lastSequence).toBe(events.length);
    expect(stored.toolCalls).toEqual([
      {
        id: 'call_1',
        toolName: 'calculator',
        arguments: { expression: '12 * (3 + 4)' },
        result: { value: 84 },
        isError: false,
        status: 'SUCCEEDED',
      },
    ]);
    expect(stored.usage.totalTokens).toBeGreaterThan(0);
    expect(stored.agent).toEqual({ id: 'demo', dialect: 'demo' });
  });

  it('subscribing mid-stream with afterSequence delivers exactly the later events', async () => {
    const run = await runAgent({ agentId: 'slow', prompt: 'count the words in this sentence please' });
    const id = run.workflow.id;
    // Wait until some text has streamed, then join from the middle.
    let seen: Event[] = [];
    for (let attempt = 0; attempt < 100 && seen.length < 10; attempt++) {
      seen = (await workflow(id)).events;
      await sleep(30);
    }
    const k = seen.length;
    expect(k).toBeGreaterThanOrEqual(10);
    const [tail, full] = await Promise.all([stream(id, k), stream(id, 0)]);
    expect(tail[0]!.sequence).toBe(k + 1);
    expectWellFormed(tail, k + 1);
    expect(tail).toEqual(full.slice(k));
  });

  it('workflow.text of a running workflow is its committed deltas so far; the finished row keeps the whole text', async () => {
    const run = await runAgent({ agentId: 'slow', prompt: 'say a few words slowly' });
    const id = run.workflow.id;
    let running: (WorkflowView & { text: string }) | undefined;
    for (let attempt = 0; attempt < 100; attempt++) {
      const current = await workflow(id);
      if (current.status !== 'RUNNING') break;
      if (current.events.some((event: Event) => event.__typename === 'TextDelta')) {
        running = current;
        break;
      }
      await sleep(30);
    }
    expect(running, 'saw the workflow running with some text').toBeDefined();
    const deltas = (events: Event[]) =>
      events
        .filter((event) => event.__typename === 'TextDelta')
        .map((event) => event.delta)
        .join('');
    // One query, one snapshot: `events` and `text` may be a commit apart, never more.
    expect(deltas(running!.events).startsWith(running!.text) || running!.text.startsWith(deltas(running!.events))).toBe(
      true,
    );
    expect(running!.text.length).toBeGreaterThan(0);
    const events = await stream(id, 0);
    const finished = await workflow(id);
    expect(finished.status).toBe('SUCCEEDED');
    expect(finished.text).toBe(deltas(events));
    expect(finished.text.startsWith(running!.text)).toBe(true);
  });

  it('replays the whole history of a finished workflow and completes', async () => {
    const run = await runAgent({ agentId: 'demo', prompt: 'replay me', wait: true });
    expect(run.workflow.status).toBe('SUCCEEDED');
    const events = await stream(run.workflow.id);
    expectWellFormed(events);
    expect(events).toEqual((await workflow(run.workflow.id)).events);
    // Past the end: nothing more, and the subscription still completes.
    expect(await stream(run.workflow.id, events.length)).toEqual([]);
  });

  it('a reader that asks to start past the end of a running workflow still completes with it', async () => {
    const run = await runAgent({ agentId: 'slow', prompt: 'skip ahead' });
    const events = await stream(run.workflow.id, 10_000);
    expect(events).toEqual([]);
    expect((await workflow(run.workflow.id)).status).toBe('SUCCEEDED');
  });

  it('streams the same events over GraphQL over SSE', async () => {
    const run = await runAgent({ agentId: 'demo', prompt: 'What is 2 + 2?' });
    const sse = createSseClient({ url: server.url, retryAttempts: 0 });
    try {
      const events: Event[] = [];
      for await (const result of sse.iterate<{ agentStream: Event }>({
        query: AGENT_STREAM,
        variables: { workflowId: run.workflow.id },
      })) {
        expect(result.errors).toBeUndefined();
        events.push(result.data!.agentStream);
      }
      expectWellFormed(events);
      expect(events).toEqual((await workflow(run.workflow.id)).events);
    } finally {
      sse.dispose();
    }
  });

  it('cancelWorkflow ends a running workflow with RunCancelled and nothing after it', async () => {
    const run = await runAgent({ agentId: 'slow', prompt: 'a long answer please, as long as it takes' });
    const id = run.workflow.id;
    const streamed = stream(id, 0);
    await sleep(300);
    const cancel = await graphqlRequest(server.url, CANCEL, { id, reason: 'user pressed stop' });
    expect(cancel.data!.cancelWorkflow).toEqual({
      __typename: 'CancelWorkflowPayload',
      cancelled: true,
      workflow: { id, status: 'CANCELLED' },
    });

    const events = await streamed;
    expectWellFormed(events);
    expect(events.at(-1)).toMatchObject({ __typename: 'RunCancelled', reason: 'user pressed stop' });
    const stored = await workflow(id);
    expect(stored.status).toBe('CANCELLED');
    expect(stored.events).toEqual(events);
    // Nothing is written after the terminal event, even later.
    await sleep(200);
    expect((await workflow(id)).lastSequence).toBe(events.length);
    // Cancelling again is idempotent.
    const again = await graphqlRequest(server.url, CANCEL, { id });
    expect(again.data!.cancelWorkflow.cancelled).toBe(false);
  });

  it('runAgent with wait returns the finished workflow with output and usage', async () => {
    const run = await runAgent({ agentId: 'demo', prompt: 'What is 6 * 7?', wait: true });
    expect(run.workflow).toMatchObject({
      status: 'SUCCEEDED',
      output: { answer: 42, expression: '6 * 7' },
      usage: { inputTokens: 5 },
    });
    expect(run.workflow.usage.totalTokens).toBe(run.workflow.usage.inputTokens + run.workflow.usage.outputTokens);
    expect(run.workflow.text).toContain('6 * 7 = 42');
  });

  it('sends live Heartbeats while the upstream is silent, repeating the last sequence, never stored', async () => {
    const run = await runAgent({ agentId: 'pulse', prompt: 'slowly now' });
    const events = await stream(run.workflow.id, 0);
    const heartbeats = events.filter((event) => event.__typename === 'Heartbeat');
    expect(heartbeats.length).toBeGreaterThan(3);
    for (const [index, event] of events.entries()) {
      if (event.__typename !== 'Heartbeat') continue;
      const previous = events
        .slice(0, index)
        .filter((earlier) => earlier.__typename !== 'Heartbeat')
        .at(-1)!;
      expect(event.sequence).toBe(previous.sequence);
    }
    const stored = events.filter((event) => event.__typename !== 'Heartbeat');
    expectWellFormed(stored);
    expect((await workflow(run.workflow.id)).events).toEqual(stored);
  });

  it('continues a thread: the thread id is kept', async () => {
    const first = await runAgent({ agentId: 'demo', prompt: 'hello', wait: true });
    const second = await runAgent({ agentId: 'demo', prompt: 'again', threadId: first.workflow.threadId, wait: true });
    expect(second.workflow.threadId).toBe(first.workflow.threadId);
  });
});
