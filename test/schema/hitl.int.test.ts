import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSubscription, graphqlRequest, wsClient } from '../helpers/graphql-clients.js';
import type { StreamEvent, WorkflowView } from '../helpers/shapes.js';
import { HITL_STREAM, PAUSED_WORKFLOW, RESPOND } from '../helpers/interrupt-operations.js';
import { CANCEL, RUN_AGENT } from '../helpers/operations.js';
import { startSynapse, TEST_AGENTS } from '../helpers/synapse.js';
import { sleep, untilStatus } from '../helpers/async.js';

type Event = StreamEvent;
type Fields = Record<string, unknown>;

/**
 * Human in the loop on the embedded store (docs/human-in-the-loop.md), driven by the built-in
 * demo agent with `askHuman`: it asks approval of its calculator call (TOOL_APPROVAL), or, with
 * no arithmetic in the prompt, asks for the expression (INPUT, with a responseSchema).
 */
const AGENTS = [
  ...TEST_AGENTS,
  { id: 'ask', dialect: 'demo', demo: { wordDelayMs: 0, askHuman: true } },
  { id: 'ask-briefly', dialect: 'demo', interruptTimeoutMs: 150, demo: { wordDelayMs: 0, askHuman: true } },
];

let gateway: Awaited<ReturnType<typeof startSynapse>>;

beforeAll(async () => {
  gateway = await startSynapse({
    config: { agents: AGENTS, server: { port: 0, shutdownGraceMs: 2_000, leaseSweepMs: 50 } },
  });
});
afterAll(async () => {
  await gateway?.stop();
});

async function run(url: string, agentId: string, prompt: string): Promise<string> {
  const started = await graphqlRequest(url, RUN_AGENT, { input: { agentId, prompt } });
  return started.data!.runAgent.workflow.id as string;
}

async function workflowOf(url: string, id: string): Promise<WorkflowView> {
  const result = await graphqlRequest(url, PAUSED_WORKFLOW, { id });
  expect(result.errors).toBeUndefined();
  return result.data!.workflow;
}

async function respond(url: string, workflowId: string, responses: Fields[]): Promise<Fields> {
  const result = await graphqlRequest(url, RESPOND, { workflowId, responses });
  expect(result.errors).toBeUndefined();
  return result.data!.respondToInterrupts;
}

const waitForStatus = (url: string, id: string, status: string, timeoutMs = 5_000): Promise<WorkflowView> =>
  untilStatus(() => workflowOf(url, id), status, timeoutMs);

function expectContiguous(events: Event[]): void {
  expect(events.map((event) => event.sequence)).toEqual(events.map((_event, index) => index + 1));
  const terminals = events.filter((event) => ['RunCompleted', 'RunFailed', 'RunCancelled'].includes(event.__typename));
  expect(terminals).toHaveLength(1);
  expect(events.at(-1)).toBe(terminals[0]);
}

describe('a workflow paused for a person (SQLite)', () => {
  it('pauses INPUT_REQUIRED holding nothing, keeps the stream open, and resumes in the same stream on APPROVE with edited arguments', async () => {
    const client = wsClient(gateway.url);
    try {
      const id = await run(gateway.url, 'ask', 'what is 2 + 3');
      let answered = null as Promise<Fields> | null; // set in a callback: not narrowed to null
      const streamed = collectSubscription<{ agentStream: Event }>(client, HITL_STREAM, { workflowId: id }, (data) => {
        if (data.agentStream.__typename === 'InterruptRequested') {
          answered = (async () => {
            const paused = await waitForStatus(gateway.url, id, 'INPUT_REQUIRED');
            // no upstream, no lease, no run in memory
            expect(gateway.services.runs.activeCount).toBe(0);
            expect(paused.pendingInterrupts).toEqual([
              expect.objectContaining({
                __typename: 'InterruptRequested',
                interruptId: 'approve_call_1',
                kind: 'TOOL_APPROVAL',
                toolCallId: 'call_1',
                tool: 'calculator',
                arguments: { expression: '2 + 3' },
                message: 'May the calculator evaluate 2 + 3?',
                expiresAt: null,
              }),
            ]);
            // wrong decision for the kind, then arguments that fail the tool's schema: nothing committed
            const wrongDecision = await respond(gateway.url, id, [
              { interruptId: 'approve_call_1', decision: 'RESPOND', value: 1 },
            ]);
            expect(wrongDecision).toMatchObject({
              __typename: 'InvalidInputError',
              code: 'INVALID_INPUT',
              field: 'responses[0].decision',
            });
            const badArguments = await respond(gateway.url, id, [
              { interruptId: 'approve_call_1', decision: 'APPROVE', arguments: { expression: 5 } },
            ]);
            expect(badArguments).toMatchObject({
              __typename: 'InvalidInputError',
              field: 'responses[0].arguments.expression',
            });
            expect((await workflowOf(gateway.url, id)).lastSequence).toBe(paused.lastSequence);
            return respond(gateway.url, id, [
              { interruptId: 'approve_call_1', decision: 'APPROVE', arguments: { expression: '4 * 5' } },
            ]);
          })();
        }
      });
      const events = (await streamed).map((data) => data.agentStream);
      expect(await answered).toMatchObject({ __typename: 'RespondToInterruptsPayload', resumed: true });
      expectContiguous(events);
      const types = events.map((event) => event.__typename);
      expect(types.slice(0, 7)).toEqual([
        'RunStarted',
        'ReasoningStep',
        'ToolCallStarted',
        'ToolCallArgsDelta',
        'ToolCallArgsDelta',
        'ToolCallCompleted',
        'InterruptRequested',
      ]);
      expect(events[7]).toMatchObject({
        __typename: 'InterruptResolved',
        interruptId: 'approve_call_1',
        decision: 'APPROVE',
        arguments: { expression: '4 * 5' },
        comment: null,
        respondedBy: 'anonymous',
      });
      expect(events.find((event) => event.__typename === 'ToolResult')).toMatchObject({
        result: { value: 20 },
        isError: false,
      });
      expect(events.at(-1)).toMatchObject({ __typename: 'RunCompleted', output: { answer: 20, expression: '4 * 5' } });
      const finished = await workflowOf(gateway.url, id);
      expect(finished).toMatchObject({ status: 'SUCCEEDED', pendingInterrupts: [] });
      expect(finished.events).toEqual(events);

      // the same answer again is accepted once (nothing new); a different one is refused
      expect(
        await respond(gateway.url, id, [
          { interruptId: 'approve_call_1', decision: 'APPROVE', arguments: { expression: '4 * 5' } },
        ]),
      ).toMatchObject({
        __typename: 'RespondToInterruptsPayload',
        resumed: false,
        workflow: { status: 'SUCCEEDED', lastSequence: finished.lastSequence },
      });
      expect(
        await respond(gateway.url, id, [{ interruptId: 'approve_call_1', decision: 'REJECT', message: 'no' }]),
      ).toMatchObject({
        __typename: 'InterruptNotOpenError',
        code: 'INTERRUPT_NOT_OPEN',
        interruptId: 'approve_call_1',
        status: 'SUCCEEDED',
      });
    } finally {
      await client.dispose();
    }
  });

  it('asks for an input checked against its responseSchema; a reconnecting client gets the interrupt again from history', async () => {
    const id = await run(gateway.url, 'ask', 'hello there');
    const paused = await waitForStatus(gateway.url, id, 'INPUT_REQUIRED');
    const [interrupt] = paused.pendingInterrupts;
    expect(interrupt).toMatchObject({
      kind: 'INPUT',
      interruptId: 'ask_expression',
      message: 'Which expression should the calculator evaluate?',
      tool: null,
    });
    expect(interrupt!.responseSchema).toMatchObject({ required: ['expression'] });

    // a client that had seen sequence 1 comes back during the pause: history gives it the interrupt
    const client = wsClient(gateway.url);
    try {
      const replay: Event[] = [];
      const streamed = collectSubscription<{ agentStream: Event }>(
        client,
        HITL_STREAM,
        { workflowId: id, afterSequence: 1 },
        (data) => {
          replay.push(data.agentStream);
        },
      );
      await expect.poll(() => replay.map((event) => event.__typename)).toEqual(['ReasoningStep', 'InterruptRequested']);

      expect(
        await respond(gateway.url, id, [{ interruptId: 'ask_expression', decision: 'RESPOND', value: {} }]),
      ).toMatchObject({
        __typename: 'InvalidInputError',
        field: 'responses[0].value.expression',
      });
      expect(await respond(gateway.url, id, [{ interruptId: 'ask_expression', decision: 'APPROVE' }])).toMatchObject({
        field: 'responses[0].decision',
      });
      expect(await respond(gateway.url, id, [{ interruptId: 'nope', decision: 'RESPOND', value: {} }])).toMatchObject({
        __typename: 'InterruptNotOpenError',
        interruptId: 'nope',
        status: 'INPUT_REQUIRED',
      });
      expect(
        await respond(gateway.url, id, [
          { interruptId: 'ask_expression', decision: 'RESPOND', value: { expression: '6 * 7' } },
        ]),
      ).toMatchObject({ resumed: true });
      const events = (await streamed).map((data) => data.agentStream);
      expect(events[0]!.sequence).toBe(2);
      expect(events.at(-1)).toMatchObject({ __typename: 'RunCompleted', output: { answer: 42 } });
      expect(events.find((event) => event.__typename === 'InterruptResolved')).toMatchObject({
        decision: 'RESPOND',
        value: { expression: '6 * 7' },
      });
    } finally {
      await client.dispose();
    }
  });

  it('answers arriving together resume the run exactly once', async () => {
    const id = await run(gateway.url, 'ask', 'what is 1 + 1');
    await waitForStatus(gateway.url, id, 'INPUT_REQUIRED');
    const answer = [{ interruptId: 'approve_call_1', decision: 'APPROVE' }];
    const results = await Promise.all(Array.from({ length: 6 }, () => respond(gateway.url, id, answer)));
    expect(results.filter((result) => result.resumed === true)).toHaveLength(1);
    expect(results.every((result) => result.__typename === 'RespondToInterruptsPayload')).toBe(true);
    const done = await waitForStatus(gateway.url, id, 'SUCCEEDED');
    expectContiguous(done.events);
    expect(done.events.filter((event: Event) => event.__typename === 'InterruptResolved')).toHaveLength(1);
    expect(done.output).toEqual({ answer: 2, expression: '1 + 1' });
  });

  it('REJECT goes back to the agent as the tool result, with the reason as the comment', async () => {
    const id = await run(gateway.url, 'ask', 'what is 9 - 1');
    await waitForStatus(gateway.url, id, 'INPUT_REQUIRED');
    await respond(gateway.url, id, [{ interruptId: 'approve_call_1', decision: 'REJECT', message: 'not today' }]);
    const done = await waitForStatus(gateway.url, id, 'SUCCEEDED');
    expect(done.events.find((event: Event) => event.__typename === 'InterruptResolved')).toMatchObject({
      decision: 'REJECT',
      comment: 'not today',
    });
    expect(done.events.find((event: Event) => event.__typename === 'ToolResult')).toMatchObject({
      isError: true,
      result: { error: 'rejected: not today' },
    });
  });

  it('CANCEL and cancelWorkflow end a paused workflow with RunCancelled', async () => {
    const first = await run(gateway.url, 'ask', 'what is 3 + 3');
    await waitForStatus(gateway.url, first, 'INPUT_REQUIRED');
    expect(
      await respond(gateway.url, first, [
        { interruptId: 'approve_call_1', decision: 'CANCEL', message: 'changed my mind' },
      ]),
    ).toMatchObject({ resumed: true });
    const cancelled = await waitForStatus(gateway.url, first, 'CANCELLED');
    expectContiguous(cancelled.events);
    expect(cancelled.events.at(-1)).toMatchObject({ __typename: 'RunCancelled', reason: 'changed my mind' });

    const second = await run(gateway.url, 'ask', 'what is 4 + 4');
    await waitForStatus(gateway.url, second, 'INPUT_REQUIRED');
    const result = await graphqlRequest(gateway.url, CANCEL, { id: second, reason: 'no longer needed' });
    expect(result.data!.cancelWorkflow).toMatchObject({ cancelled: true, workflow: { status: 'CANCELLED' } });
    const after = await workflowOf(gateway.url, second);
    expectContiguous(after.events);
    expect(after.events.at(-1)).toMatchObject({ __typename: 'RunCancelled', reason: 'no longer needed' });
    // answering it now is refused
    expect(await respond(gateway.url, second, [{ interruptId: 'approve_call_1', decision: 'APPROVE' }])).toMatchObject({
      __typename: 'InterruptNotOpenError',
      status: 'CANCELLED',
    });
  });

  it('interruptTimeoutMs sets expiresAt; past it the run fails INTERRUPT_EXPIRED', async () => {
    const id = await run(gateway.url, 'ask-briefly', 'what is 5 + 5');
    const paused = await waitForStatus(gateway.url, id, 'INPUT_REQUIRED');
    const expiresAt = Date.parse(paused.pendingInterrupts[0]!.expiresAt as string);
    expect(expiresAt).toBeGreaterThan(Date.now() - 1_000);
    const failed = await waitForStatus(gateway.url, id, 'FAILED');
    expect(failed.error).toEqual({ code: 'INTERRUPT_EXPIRED', message: expect.any(String), retryable: false });
    expectContiguous(failed.events);
    expect(Date.parse(failed.events.at(-1)!.at as string)).toBeGreaterThanOrEqual(expiresAt);
  });

  it('is counted: paused workflows gauge, answers counter, expiries', async () => {
    const scrape = async () => (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
    const sample = (text: string, series: string) => {
      const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
      return line === undefined ? 0 : Number(line.slice(series.length + 1));
    };
    const id = await run(gateway.url, 'ask', 'what is 2 * 4');
    await waitForStatus(gateway.url, id, 'INPUT_REQUIRED');
    const before = await scrape();
    expect(sample(before, 'synapse_paused_workflows')).toBeGreaterThanOrEqual(1);
    // the expiry test above ended one paused workflow on this instance
    expect(sample(before, 'synapse_interrupts_expired_total')).toBeGreaterThanOrEqual(1);
    await respond(gateway.url, id, [{ interruptId: 'approve_call_1', decision: 'APPROVE' }]);
    await waitForStatus(gateway.url, id, 'SUCCEEDED');
    const after = await scrape();
    expect(
      sample(after, 'synapse_interrupt_answers_total{resumed="true"}') -
        sample(before, 'synapse_interrupt_answers_total{resumed="true"}'),
    ).toBe(1);
    expect(sample(after, 'synapse_paused_workflows')).toBe(sample(before, 'synapse_paused_workflows') - 1);
  });

  it('workflowUpdates tells dashboards about the pause and the resume', async () => {
    const client = wsClient(gateway.url);
    const statuses: string[] = [];
    let id = '';
    try {
      const done = new Promise<void>((resolve, reject) => {
        client.subscribe<{ workflowUpdates: { id: string; status: string } }>(
          { query: 'subscription { workflowUpdates(filter: { agentId: "ask" }) { id status } }' },
          {
            next: (result) => {
              const update = result.data?.workflowUpdates;
              if (!update || update.id !== id) return;
              statuses.push(update.status);
              if (update.status === 'SUCCEEDED') resolve();
            },
            error: reject,
            complete: () => resolve(),
          },
        );
      });
      await sleep(100);
      id = await run(gateway.url, 'ask', 'what is 3 * 3');
      await waitForStatus(gateway.url, id, 'INPUT_REQUIRED');
      await respond(gateway.url, id, [{ interruptId: 'approve_call_1', decision: 'APPROVE' }]);
      await done;
      const changes = statuses.filter((status, index) => status !== statuses[index - 1]);
      // the first RUNNING (RunStarted) may be published before the test knows the id
      expect(changes[0] === 'RUNNING' ? changes.slice(1) : changes).toEqual(['INPUT_REQUIRED', 'RUNNING', 'SUCCEEDED']);
    } finally {
      await client.dispose();
    }
  });

  it('a workflow of unknown id is NotFoundError', async () => {
    expect(
      await respond(gateway.url, '00000000-0000-4000-8000-000000000000', [{ interruptId: 'x', decision: 'CANCEL' }]),
    ).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
    });
  });
});

describe('a paused workflow across a restart (SQLite)', () => {
  it('is still INPUT_REQUIRED after a graceful restart, answerable, and resumes', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-hitl-'));
    try {
      const config = { agents: AGENTS };
      const before = await startSynapse({ dataDir, config });
      const id = await run(before.url, 'ask', 'what is 7 + 8');
      await waitForStatus(before.url, id, 'INPUT_REQUIRED');
      await before.stop();

      const after = await startSynapse({ dataDir, config });
      try {
        const paused = await workflowOf(after.url, id);
        expect(paused.status).toBe('INPUT_REQUIRED');
        expect(paused.pendingInterrupts).toHaveLength(1);
        expect(await respond(after.url, id, [{ interruptId: 'approve_call_1', decision: 'APPROVE' }])).toMatchObject({
          resumed: true,
        });
        const done = await waitForStatus(after.url, id, 'SUCCEEDED');
        expectContiguous(done.events);
        expect(done.output).toEqual({ answer: 15, expression: '7 + 8' });
      } finally {
        await after.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
