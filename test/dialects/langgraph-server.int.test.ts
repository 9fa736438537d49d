import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSubscription, graphqlRequest, wsClient } from '../helpers/graphql-clients.js';
import type { StreamEvent, WorkflowView } from '../helpers/shapes.js';
import { HITL_STREAM, PAUSED_WORKFLOW, RESPOND } from '../helpers/interrupt-operations.js';
import { RUN_AGENT } from '../helpers/operations.js';
import { startMockUpstream, type RunningMock } from '../../src/mock-upstream/index.js';
import { startSynapse } from '../helpers/synapse.js';
import { untilStatus } from '../helpers/async.js';

type Event = StreamEvent;
type Fields = Record<string, unknown>;

/**
 * The langgraph dialect against a real LangGraph API server (@langchain/langgraph-api's
 * startServer, in this process, on loopback) running the graphs of
 * test/fixtures/langgraph/graphs.mjs: interrupt() pauses the workflow, `respondToInterrupts`
 * resumes the same thread with `command: { resume }` (a map by interrupt id when several are
 * open), and streamed tool call chunks keep their arguments.
 */
const GRAPHS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'langgraph', 'graphs.mjs');

let langgraphDir: string;
let langgraphUrl: string;
let gateway: Awaited<ReturnType<typeof startSynapse>>;
let recorded: RunningMock;

beforeAll(async () => {
  process.env.LOG_LEVEL ??= 'error';
  langgraphDir = mkdtempSync(path.join(tmpdir(), 'synapse-langgraph-'));
  const { startServer } = await import('@langchain/langgraph-api/server');
  const { host } = await startServer({
    port: 0,
    nWorkers: 2,
    host: '127.0.0.1',
    cwd: langgraphDir,
    graphs: { ask: `${GRAPHS}:ask`, two: `${GRAPHS}:two`, tools: `${GRAPHS}:tools` },
  });
  langgraphUrl = `http://${host}`;
  // the recorded stream of a run that stops at an interrupt (src/mock-upstream/fixtures/langgraph.ts)
  recorded = await startMockUpstream({ dialect: 'langgraph', scenario: 'interrupt', chunking: 'random', seed: 3 });
  gateway = await startSynapse({
    config: {
      agents: [
        ...['ask', 'two', 'tools'].map((graph) => ({
          id: `lg-${graph}`,
          dialect: 'langgraph',
          url: langgraphUrl,
          assistantId: graph,
        })),
        { id: 'lg-recorded', dialect: 'langgraph', url: recorded.url, assistantId: 'agent' },
      ],
    },
  });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await recorded?.close();
  rmSync(langgraphDir, { recursive: true, force: true });
});

async function run(agentId: string, prompt: string): Promise<string> {
  const started = await graphqlRequest(gateway.url, RUN_AGENT, { input: { agentId, prompt } });
  expect(started.errors).toBeUndefined();
  return started.data!.runAgent.workflow.id as string;
}

async function workflowOf(id: string): Promise<WorkflowView> {
  const result = await graphqlRequest(gateway.url, PAUSED_WORKFLOW, { id });
  expect(result.errors).toBeUndefined();
  return result.data!.workflow;
}

const waitForStatus = (id: string, status: string, timeoutMs = 15_000): Promise<WorkflowView> =>
  untilStatus(() => workflowOf(id), status, timeoutMs);

async function respond(workflowId: string, responses: Fields[]): Promise<Fields> {
  const result = await graphqlRequest(gateway.url, RESPOND, { workflowId, responses });
  expect(result.errors).toBeUndefined();
  return result.data!.respondToInterrupts;
}

function expectContiguousWithOneTerminal(events: Event[]): void {
  expect(events.map((event) => event.sequence)).toEqual(events.map((_event, index) => index + 1));
  expect(
    events.filter((event) => ['RunCompleted', 'RunFailed', 'RunCancelled'].includes(event.__typename)),
  ).toHaveLength(1);
}

describe('langgraph: a real LangGraph API server', () => {
  it('interrupt() pauses the workflow; the answer resumes the same thread with command.resume, in the same stream', async () => {
    const client = wsClient(gateway.url);
    try {
      const id = await run('lg-ask', 'hi');
      let answer = null as Promise<Fields> | null; // set in a callback: not narrowed to null
      const streamed = collectSubscription<{ agentStream: Event }>(client, HITL_STREAM, { workflowId: id }, (data) => {
        if (data.agentStream.__typename !== 'InterruptRequested') return;
        answer = (async () => {
          const paused = await waitForStatus(id, 'INPUT_REQUIRED');
          expect(gateway.services.runs.activeCount).toBe(0);
          expect(paused.pendingInterrupts).toEqual([
            expect.objectContaining({
              kind: 'INPUT',
              message: 'What is your name?',
              value: { question: 'What is your name?' },
              toolCallId: null,
            }),
          ]);
          return respond(id, [
            { interruptId: paused.pendingInterrupts[0]!.interruptId, decision: 'RESPOND', value: 'Ada' },
          ]);
        })();
      });
      const events = (await streamed).map((data) => data.agentStream);
      expect(await answer).toMatchObject({ resumed: true });
      expectContiguousWithOneTerminal(events);
      const types = events.map((event) => event.__typename);
      expect(types.indexOf('InterruptResolved')).toBeGreaterThan(types.indexOf('InterruptRequested'));
      expect(types.filter((type) => type === 'RunStarted')).toHaveLength(1);
      const terminal = events.at(-1)!;
      expect(terminal.__typename).toBe('RunCompleted');
      // the graph got the answer: its reply is in the thread's final state
      expect(JSON.stringify(terminal.output)).toContain('Hello Ada');
      expect((await workflowOf(id)).status).toBe('SUCCEEDED');
    } finally {
      await client.dispose();
    }
  });

  it('two interrupts open at once are answered in two calls and resumed with a map by interrupt id', async () => {
    const id = await run('lg-two', 'go');
    const paused = await waitForStatus(id, 'INPUT_REQUIRED');
    const pending = paused.pendingInterrupts;
    expect(pending.map((interrupt) => interrupt.message).sort()).toEqual(['Left or right?', 'Up or down?']);
    const left = pending.find((interrupt) => interrupt.message === 'Left or right?')!;
    const right = pending.find((interrupt) => interrupt.message === 'Up or down?')!;

    expect(await respond(id, [{ interruptId: left.interruptId, decision: 'RESPOND', value: 'L' }])).toMatchObject({
      resumed: false,
      workflow: { status: 'INPUT_REQUIRED' },
    });
    const half = await workflowOf(id);
    expect(half.pendingInterrupts.map((interrupt) => interrupt.interruptId)).toEqual([right.interruptId]);

    expect(await respond(id, [{ interruptId: right.interruptId, decision: 'RESPOND', value: 'D' }])).toMatchObject({
      resumed: true,
    });
    const done = await waitForStatus(id, 'SUCCEEDED');
    expectContiguousWithOneTerminal(done.events);
    expect((done.output as { answers: unknown }).answers).toEqual(['left:"L"', 'right:"D"']);
    expect(done.events.filter((event: Event) => event.__typename === 'InterruptResolved')).toHaveLength(2);
  });

  it('keeps the arguments of tool calls streamed as tool_call_chunks: split across chunks, several per message, interleaved', async () => {
    const id = await run('lg-tools', 'weather and time please');
    const done = await waitForStatus(id, 'SUCCEEDED');
    const completed = done.events.filter((event: Event) => event.__typename === 'ToolCallCompleted');
    expect(completed.map((event: Event) => [event.toolCallId, event.toolName, event.arguments])).toEqual([
      ['call_weather', 'get_weather', { city: 'Zürich', days: 2 }],
      ['call_time', 'get_time', { tz: 'Asia/Tokyo' }],
      ['call_note', 'take_note', { text: 'both asked' }],
    ]);
    const deltas = (callId: string) =>
      done.events
        .filter((event: Event) => event.__typename === 'ToolCallArgsDelta' && event.toolCallId === callId)
        .map((event: Event) => event.delta)
        .join('');
    expect(deltas('call_weather')).toBe('{"city": "Zürich", "days": 2}');
    expect(deltas('call_time')).toBe('{"tz": "Asia/Tokyo"}');
  });

  it('the recorded interrupt stream maps its interrupt as before, and pauses', async () => {
    const id = await run('lg-recorded', 'What is the weather in Zürich and Tokyo?');
    const paused = await waitForStatus(id, 'INPUT_REQUIRED');
    expect(paused.events.filter((event: Event) => event.__typename === 'InterruptRequested')[0]).toMatchObject({
      interruptId: 'int-1',
      toolCallId: null,
      value: { question: 'Book a trip?' },
      kind: 'INPUT',
      message: 'Book a trip?',
    });
    expect(paused.events.some((event: Event) => ['RunCompleted', 'RunFailed'].includes(event.__typename))).toBe(false);
  });
});
