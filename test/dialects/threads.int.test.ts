import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upstreamThreadId } from '../../src/dialects/langgraph.js';
import { startMockUpstream, type MockDialectName, type RunningMock } from '../../src/mock-upstream/index.js';
import { RUN_ID } from '../../src/mock-upstream/fixtures/langgraph.js';
import { startGateway, terminalOf } from './harness.js';

/**
 * Threads: stateless upstreams receive the earlier turns rebuilt from the store (tool calls and
 * results included); LangGraph gets the same upstream thread every turn.
 */
const mocks: Record<string, RunningMock> = {};
let gateway: Awaited<ReturnType<typeof startGateway>>;

const PATHS: Partial<Record<MockDialectName, string>> = {
  'synapse-ws': '/ws/support',
  'openai-chat': '/v1/chat/completions',
  'anthropic-messages': '/v1/messages',
  'openai-responses': '/v1/responses',
  'ag-ui': '/agent',
  'ai-sdk': '/api/chat',
  langgraph: '',
};

beforeAll(async () => {
  const agents: Record<string, unknown>[] = [];
  for (const [dialect, path] of Object.entries(PATHS) as [MockDialectName, string][]) {
    mocks[dialect] = await startMockUpstream({ dialect });
    agents.push({
      id: dialect,
      dialect,
      url: `${mocks[dialect].url}${path}`,
      ...(dialect === 'langgraph' ? { assistantId: 'agent' } : {}),
    });
  }
  mocks.langgraphCancel = await startMockUpstream({ dialect: 'langgraph', fault: { stallAfterFrames: 3 } });
  agents.push({ id: 'langgraph-cancel', dialect: 'langgraph', url: mocks.langgraphCancel.url, assistantId: 'agent' });
  gateway = await startGateway(agents);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(Object.values(mocks).map((mock) => mock.close()));
});

const lastBody = (dialect: string) => mocks[dialect]!.requests.at(-1)!.body as Record<string, unknown>;

describe('stateless upstreams get the earlier turns', () => {
  let threadId: string;

  beforeAll(async () => {
    // turn 1: an agent that calls two tools and reports their results
    const first = await gateway.run({ agentId: 'synapse-ws', prompt: 'Weather in Zürich and Tokyo?' });
    threadId = first.threadId;
    expect(terminalOf(await gateway.stream(first.id)).__typename).toBe('RunCompleted');
  });

  const continueThread = async (agentId: string) => {
    const run = await gateway.run({ agentId, threadId, prompt: 'And tomorrow?' });
    expect(run.threadId).toBe(threadId);
    expect(terminalOf(await gateway.stream(run.id)).__typename).toBe('RunCompleted');
  };

  it('openai-chat: user, assistant with tool_calls, tool results, assistant text, then the new prompt', async () => {
    await continueThread('openai-chat');
    expect(lastBody('openai-chat').messages).toEqual([
      { role: 'user', content: 'Weather in Zürich and Tokyo?' },
      {
        role: 'assistant',
        content: 'Checking the café ☕ ',
        tool_calls: [
          { id: 'call_zrh', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Zürich"}' } },
          { id: 'call_tyo', type: 'function', function: { name: 'get_weather', arguments: '{"city":"東京"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_zrh', content: '{"temperature":4}' },
      { role: 'tool', tool_call_id: 'call_tyo', content: '{"temperature":12}' },
      { role: 'assistant', content: 'weather in Zürich and 東京 🚀.' },
      { role: 'user', content: 'And tomorrow?' },
    ]);
  });

  it('anthropic-messages: tool_use blocks, tool_result blocks in a user turn, alternating roles', async () => {
    await continueThread('anthropic-messages');
    const messages = lastBody('anthropic-messages').messages as { role: string; content: Record<string, unknown>[] }[];
    // roles alternate (the openai-chat turn before is part of the thread; its unanswered tool calls are left out)
    expect(messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
    ]);
    expect(JSON.stringify(messages.slice(3))).not.toContain('tool_use');
    expect(messages[1]!.content).toEqual([
      { type: 'text', text: 'Checking the café ☕ ' },
      { type: 'tool_use', id: 'call_zrh', name: 'get_weather', input: { city: 'Zürich' } },
      { type: 'tool_use', id: 'call_tyo', name: 'get_weather', input: { city: '東京' } },
    ]);
    expect(messages[2]!.content).toEqual([
      { type: 'tool_result', tool_use_id: 'call_zrh', content: '{"temperature":4}' },
      { type: 'tool_result', tool_use_id: 'call_tyo', content: '{"temperature":12}' },
    ]);
    // the openai-chat turn before it is part of the thread too
    expect(messages.at(-1)!.content).toEqual([{ type: 'text', text: 'And tomorrow?' }]);
  });

  it('openai-responses, ag-ui and ai-sdk carry the tool calls in their own shapes', async () => {
    await continueThread('openai-responses');
    expect(lastBody('openai-responses').input).toEqual(
      expect.arrayContaining([
        { type: 'function_call', call_id: 'call_zrh', name: 'get_weather', arguments: '{"city":"Zürich"}' },
        { type: 'function_call_output', call_id: 'call_zrh', output: '{"temperature":4}' },
      ]),
    );
    await continueThread('ag-ui');
    expect(lastBody('ag-ui').threadId).toBe(threadId);
    expect(lastBody('ag-ui').messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'tool', toolCallId: 'call_tyo', content: '{"temperature":12}' }),
        expect.objectContaining({
          role: 'assistant',
          toolCalls: expect.arrayContaining([expect.objectContaining({ id: 'call_zrh' })]),
        }),
      ]),
    );
    await continueThread('ai-sdk');
    const parts = (lastBody('ai-sdk').messages as { parts: Record<string, unknown>[] }[]).flatMap(
      (message) => message.parts,
    );
    expect(parts).toEqual(
      expect.arrayContaining([
        {
          type: 'dynamic-tool',
          toolName: 'get_weather',
          toolCallId: 'call_zrh',
          input: { city: 'Zürich' },
          state: 'output-available',
          output: { temperature: 4 },
        },
      ]),
    );
  });

  it('a new thread sends only its own input', async () => {
    await gateway.runAndStream({ agentId: 'openai-chat', prompt: 'Fresh start' });
    expect(lastBody('openai-chat').messages).toEqual([{ role: 'user', content: 'Fresh start' }]);
  });
});

describe('langgraph threads', () => {
  it('maps the Synapse thread to one upstream thread and sends only the new messages', async () => {
    const threadId = 'support-case-42';
    for (const prompt of ['first', 'second']) {
      const events = await gateway.runAndStream({ agentId: 'langgraph', threadId, prompt });
      expect(terminalOf(events).__typename).toBe('RunCompleted');
    }
    const upstream = upstreamThreadId(threadId);
    expect(upstream).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const streams = mocks.langgraph!.requests.filter((request) => request.path.endsWith('/runs/stream'));
    expect(streams.map((request) => request.path)).toEqual([
      `/threads/${upstream}/runs/stream`,
      `/threads/${upstream}/runs/stream`,
    ]);
    expect(streams.map((request) => (request.body as { input: { messages: unknown } }).input.messages)).toEqual([
      [{ role: 'human', content: 'first' }],
      [{ role: 'human', content: 'second' }],
    ]);
  });

  it('cancel closes the stream and calls the run cancel endpoint', async () => {
    const run = await gateway.run({ agentId: 'langgraph-cancel', prompt: 'long task' });
    let cancelled = null as Promise<unknown> | null; // set in a callback: not narrowed to null
    const events = await gateway.stream(run.id, (event) => {
      if (event.__typename === 'TextDelta' && !cancelled) cancelled = gateway.cancel(run.id);
    });
    expect(terminalOf(events).__typename).toBe('RunCancelled');
    await cancelled;
    await mocks.langgraphCancel!.waitForClientDisconnect();
    const upstream = upstreamThreadId(run.threadId);
    await mocks.langgraphCancel!.waitForRequests(3);
    expect(mocks.langgraphCancel!.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: `/threads/${upstream}/runs/${RUN_ID}/cancel`,
    });
  });
});
