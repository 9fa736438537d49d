import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startMockUpstream,
  type Chunking,
  type MockDialectName,
  type RunningMock,
} from '../../src/mock-upstream/index.js';
import { DIALECT_CASES } from './expectations.js';
import { ofType, startGateway, terminalOf, textOf } from './harness.js';

/**
 * One suite, every dialect: each mock upstream replays its recorded `full` stream through the
 * real gateway, cut into random TCP writes (inside UTF-8 characters too) and one byte per write;
 * the events a graphql-ws client receives must be the mapped ones.
 */
const CHUNKINGS: Chunking[] = ['random', 'byte'];
const dialects = Object.keys(DIALECT_CASES) as MockDialectName[];
const mocks = new Map<string, RunningMock>();
let gateway: Awaited<ReturnType<typeof startGateway>>;

const agentId = (dialect: string, chunking: Chunking) => `${dialect}-${chunking}`;

beforeAll(async () => {
  const agents: Record<string, unknown>[] = [];
  for (const dialect of dialects) {
    for (const chunking of CHUNKINGS) {
      const mock = await startMockUpstream({ dialect, chunking, seed: 11 });
      mocks.set(agentId(dialect, chunking), mock);
      agents.push({ id: agentId(dialect, chunking), dialect, ...DIALECT_CASES[dialect]!.agent(mock.url) });
    }
    const failing = await startMockUpstream({ dialect, scenario: 'error', chunking: 'random' });
    mocks.set(`${dialect}-error`, failing);
    agents.push({ id: `${dialect}-error`, dialect, ...DIALECT_CASES[dialect]!.agent(failing.url) });
  }
  gateway = await startGateway(agents);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([...mocks.values()].map((mock) => mock.close()));
});

describe.each(dialects)('%s', (dialect) => {
  it.each(CHUNKINGS)('maps the recorded stream, cut %s', async (chunking) => {
    const id = agentId(dialect, chunking);
    const run = await gateway.run({ agentId: id, prompt: 'What is the weather in Zürich and Tokyo?' });
    const events = await gateway.stream(run.id);
    DIALECT_CASES[dialect]!.check(events, mocks.get(id)!);
    // the stored workflow agrees with the stream: final usage taken once, never summed
    const stored = await gateway.workflow(run.id);
    expect(stored.status).toBe('SUCCEEDED');
    expect(stored.events).toHaveLength(events.length);
    // the workflow's tool calls are folded from the same events
    expect(stored.toolCalls.map((call: { id: string }) => call.id)).toEqual(
      ofType(events, 'ToolCallStarted').map((event) => event.toolCallId),
    );
    for (const result of ofType(events, 'ToolResult')) {
      expect(stored.toolCalls.find((call: { id: string }) => call.id === result.toolCallId)).toMatchObject({
        result: result.result,
        isError: result.isError,
      });
    }
    const usage = terminalOf(events).usage;
    if (usage)
      expect(stored.usage).toEqual({
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        totalTokens: usage.totalTokens,
      });
  });

  it('turns an error reported mid-stream into RunFailed UPSTREAM_ERROR, keeping the text before it', async () => {
    const events = await gateway.runAndStream({ agentId: `${dialect}-error`, prompt: 'Fail halfway, please.' });
    expect(textOf(events)).toBe('Partial ');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_ERROR' });
  });
});
