import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockDialectName, type RunningMock } from '../../src/mock-upstream/index.js';
import { DIALECT_CASES } from './expectations.js';
import { ofType, startGateway, terminalOf, textOf } from './harness.js';

/** Less common frames of the home-grown protocols, through the gateway. */
const CASES: [string, MockDialectName, string][] = [
  ['rewrite', 'chat-ws', 'rewrite'],
  ['bad-request', 'synapse-ws', 'bad-request'],
  ['result', 'synapse-ws', 'result'],
  ['tool-ids', 'workflow-sse', 'tool-ids'],
  ['workflow-error', 'workflow-sse', 'error'],
];

const mocks: RunningMock[] = [];
let gateway: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  const agents: Record<string, unknown>[] = [];
  for (const [id, dialect, scenario] of CASES) {
    const mock = await startMockUpstream({ dialect, scenario });
    mocks.push(mock);
    agents.push({
      id,
      dialect,
      ...DIALECT_CASES[dialect]!.agent(mock.url),
      ...(id === 'result' ? { outputSchema: { type: 'object', required: ['answer'] } } : {}),
    });
  }
  gateway = await startGateway(agents);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(mocks.map((mock) => mock.close()));
});

const run = (agentId: string) => gateway.runAndStream({ agentId, prompt: 'go' });

describe('edge cases', () => {
  it('chat-ws: a partial that rewrites the text starts a new message instead of corrupting the old one', async () => {
    const events = await run('rewrite');
    expect(ofType(events, 'MessageCompleted').map((event) => event.text)).toEqual([
      'Draft one',
      'Better answer, final.',
    ]);
    expect(terminalOf(events)).toMatchObject({
      __typename: 'RunCompleted',
      text: 'Better answer, final.',
      output: 'Better answer, final.',
    });
  });

  it('synapse-ws: the bare {error} answer is UPSTREAM_ERROR', async () => {
    const events = await run('bad-request');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_ERROR' });
    expect(terminalOf(events).message).toContain('Invalid JSON format');
  });

  it('synapse-ws: a structured result is the output, validated against the outputSchema', async () => {
    const events = await run('result');
    expect(textOf(events)).toBe('{"answer": 42}');
    expect(terminalOf(events)).toMatchObject({
      __typename: 'RunCompleted',
      output: { answer: 42 },
      usage: { inputTokens: 7, outputTokens: 3, totalTokens: 10 },
    });
  });

  it('workflow-sse: tool ends are matched to their starts by run id, failures flagged', async () => {
    const events = await run('tool-ids');
    const started = ofType(events, 'ToolCallStarted').map((event) => event.toolCallId);
    expect(started).toEqual(['r1', 'r2']);
    expect(ofType(events, 'ToolResult').map((event) => [event.toolCallId, event.isError, event.result])).toEqual([
      ['r2', true, 'index offline'],
      ['r1', false, ['hit']],
    ]);
  });

  it('workflow-sse: workflow_error carries the upstream recovery suggestions', async () => {
    const events = await run('workflow-error');
    expect(terminalOf(events)).toMatchObject({
      __typename: 'RunFailed',
      code: 'UPSTREAM_ERROR',
      message: 'the upstream reported an error: ConnectionError: CRM backend unavailable',
      recoverySuggestion: 'Retry in a minute.',
    });
  });
});
