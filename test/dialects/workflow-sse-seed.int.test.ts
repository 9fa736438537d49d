import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type RunningMock } from '../../src/mock-upstream/index.js';
import { ofType, startGateway, terminalOf, textOf } from './harness.js';

/** workflow-sse with streams shaped like the communications agent's own event models (seeds/002). */
const mocks: RunningMock[] = [];
let gateway: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  const agents: Record<string, unknown>[] = [];
  for (const scenario of ['metadata', 'error-partial']) {
    const mock = await startMockUpstream({ dialect: 'workflow-sse', scenario });
    mocks.push(mock);
    agents.push({ id: scenario, dialect: 'workflow-sse', url: `${mock.url}/chat` });
  }
  gateway = await startGateway(agents);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(mocks.map((mock) => mock.close()));
});

describe('workflow-sse, the communications agent’s shapes', () => {
  it('a titled reasoning step keeps its title and its content; the completion metadata gives usage, duration, tools and steps', async () => {
    const events = await gateway.runAndStream({ agentId: 'metadata', prompt: 'Find cases for John Smith' });
    const [step] = ofType(events, 'ReasoningStep');
    expect(step).toMatchObject({
      title: 'Search the CRM',
      detail: { content: 'The user wants cases for John Smith, so I search the CRM by name.', confidence: 0.9 },
    });
    const usage = { inputTokens: 812, outputTokens: 64, totalTokens: 876 };
    expect(ofType(events, 'UsageUpdated')).toHaveLength(1);
    expect(ofType(events, 'UsageUpdated')[0]).toMatchObject({ usage });
    const metadata = ofType(events, 'CustomEvent').find((event) => event.name === 'workflow_metadata');
    expect(metadata?.value).toMatchObject({ durationMs: 2450, toolsUsed: ['crm_search'], stepCount: 3, usage });
    expect(terminalOf(events)).toMatchObject({
      __typename: 'RunCompleted',
      text: 'John Smith has two open cases: C-1 and C-2.',
      usage,
    });
    expect(ofType(events, 'ToolResult')[0]).toMatchObject({
      toolCallId: 'run_1',
      result: { cases: ['C-1', 'C-2'] },
      isError: false,
    });
  });

  it('workflow_error keeps the partial response as the message, the frame as a CustomEvent, and the usage so far', async () => {
    const events = await gateway.runAndStream({ agentId: 'error-partial', prompt: 'Find cases' });
    expect(textOf(events)).toBe('I found the customer record for John Smith, but');
    expect(ofType(events, 'MessageCompleted').map((event) => event.text)).toEqual([
      'I found the customer record for John Smith, but',
    ]);
    const frame = ofType(events, 'CustomEvent').find((event) => event.name === 'workflow_error');
    expect(frame?.value).toMatchObject({ failed_step: 'crm_cases', error_type: 'ConnectionError' });
    expect(terminalOf(events)).toMatchObject({
      __typename: 'RunFailed',
      code: 'UPSTREAM_ERROR',
      message: 'the upstream reported an error: ConnectionError: CRM backend unavailable',
      recoverySuggestion: 'Retry in a minute. Check the CRM status page.',
      usage: { totalTokens: 312 },
    });
    expect(ofType(events, 'UsageUpdated')[0]).toMatchObject({
      usage: { inputTokens: 300, outputTokens: 12, totalTokens: 312 },
    });
  });
});
