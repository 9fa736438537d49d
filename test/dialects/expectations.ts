import { expect } from 'vitest';
import type { MockDialectName, RunningMock } from '../../src/mock-upstream/index.js';
import { ofType, terminalOf, textOf, typesOf, type StreamedEvent } from './harness.js';

/**
 * Per dialect: how an agent points at its mock upstream, and what the `full` recorded stream
 * must come out as through the gateway.
 */
/** Event types in order, TextDeltas left out (the gateway may merge them; their text is checked apart). */
export const withoutText = (events: StreamedEvent[]) => typesOf(events).filter((type) => type !== 'TextDelta');

const WEATHER_TEXT = 'Checking the café ☕ weather in Zürich and 東京 🚀.';

export interface DialectCase {
  agent(mockUrl: string): Record<string, unknown>;
  check(events: StreamedEvent[], mock: RunningMock): void;
}

export const DIALECT_CASES: Partial<Record<MockDialectName, DialectCase>> = {
  'openai-chat': {
    agent: (url) => ({ url: `${url}/v1/chat/completions`, model: 'gpt-4o-mini' }),
    check(events, mock) {
      expect(mock.requests[0]!.body).toMatchObject({
        model: 'gpt-4o-mini',
        stream: true,
        stream_options: { include_usage: true },
      });
      expect(withoutText(events)).toEqual([
        'RunStarted',
        'ReasoningDelta',
        'ReasoningDelta',
        'ToolCallStarted',
        'ToolCallArgsDelta',
        'ToolCallStarted',
        'ToolCallArgsDelta',
        'ToolCallArgsDelta',
        'ToolCallCompleted',
        'ToolCallCompleted',
        'MessageCompleted',
        'UsageUpdated',
        'RunCompleted',
      ]);
      expect(
        ofType(events, 'ReasoningDelta')
          .map((event) => event.delta)
          .join(''),
      ).toBe('The user wants weather in two cities.');
      expect(textOf(events)).toBe('Checking the café ☕ weather in Zürich and 東京 🚀.');
      expect(ofType(events, 'ToolCallStarted').map((event) => [event.toolCallId, event.toolName])).toEqual([
        ['call_zrh', 'get_weather'],
        ['call_tyo', 'get_weather'],
      ]);
      // arguments streamed interleaved by index, each call's pieces kept apart
      expect(
        ofType(events, 'ToolCallArgsDelta')
          .filter((event) => event.toolCallId === 'call_zrh')
          .map((event) => event.delta)
          .join(''),
      ).toBe('{"city":"Zürich"}');
      expect(ofType(events, 'ToolCallCompleted').map((event) => event.arguments)).toEqual([
        { city: 'Zürich' },
        { city: '東京' },
      ]);
      expect(ofType(events, 'UsageUpdated')).toHaveLength(1);
      expect(terminalOf(events)).toMatchObject({
        __typename: 'RunCompleted',
        text: 'Checking the café ☕ weather in Zürich and 東京 🚀.',
        usage: { inputTokens: 42, outputTokens: 31, totalTokens: 73, reasoningTokens: 5, cachedInputTokens: 10 },
      });
    },
  },
  'openai-responses': {
    agent: (url) => ({ url: `${url}/v1/responses`, model: 'o4-mini' }),
    check(events, mock) {
      expect(mock.requests[0]!.body).toMatchObject({
        model: 'o4-mini',
        stream: true,
        input: [{ role: 'user', content: 'What is the weather in Zürich and Tokyo?' }],
      });
      expect(withoutText(events)).toEqual([
        'RunStarted',
        'ReasoningDelta',
        'ReasoningDelta',
        'MessageCompleted',
        'ToolCallStarted',
        'ToolCallStarted',
        'ToolCallArgsDelta',
        'ToolCallArgsDelta',
        'ToolCallArgsDelta',
        'ToolCallCompleted',
        'ToolCallCompleted',
        'UsageUpdated',
        'RunCompleted',
      ]);
      expect(textOf(events)).toBe(WEATHER_TEXT);
      expect(ofType(events, 'ToolCallCompleted').map((event) => [event.toolCallId, event.arguments])).toEqual([
        ['call_tyo', { city: '東京' }],
        ['call_zrh', { city: 'Zürich' }],
      ]);
      expect(terminalOf(events)).toMatchObject({
        __typename: 'RunCompleted',
        text: WEATHER_TEXT,
        usage: { inputTokens: 80, outputTokens: 120, totalTokens: 200, reasoningTokens: 64, cachedInputTokens: 16 },
      });
    },
  },
  'anthropic-messages': {
    agent: (url) => ({ url: `${url}/v1/messages`, model: 'claude-sonnet-4-5', headers: { 'x-api-key': 'test-key' } }),
    check(events, mock) {
      expect(mock.requests[0]!.headers).toMatchObject({ 'anthropic-version': '2023-06-01', 'x-api-key': 'test-key' });
      expect(mock.requests[0]!.body).toMatchObject({
        model: 'claude-sonnet-4-5',
        stream: true,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the weather in Zürich and Tokyo?' }] }],
      });
      expect(withoutText(events)).toEqual([
        'RunStarted',
        'UsageUpdated',
        'ReasoningDelta',
        'ReasoningDelta',
        'ToolCallStarted',
        'ToolCallArgsDelta',
        'ToolCallArgsDelta',
        'ToolCallCompleted',
        'ToolCallStarted',
        'ToolCallArgsDelta',
        'ToolCallCompleted',
        'UsageUpdated',
        'MessageCompleted',
        'RunCompleted',
      ]);
      expect(textOf(events)).toBe(WEATHER_TEXT);
      expect(ofType(events, 'ToolCallCompleted').map((event) => [event.toolCallId, event.arguments])).toEqual([
        ['toolu_zrh', { city: 'Zürich' }],
        ['toolu_tyo', { city: '東京' }],
      ]);
      // cumulative upstream counts: the last report replaces the first, never adds to it
      expect(ofType(events, 'UsageUpdated').map((event) => event.usage.outputTokens)).toEqual([2, 89]);
      expect(terminalOf(events)).toMatchObject({
        __typename: 'RunCompleted',
        usage: { inputTokens: 572, outputTokens: 89, totalTokens: 661, cachedInputTokens: 100 },
      });
    },
  },
  'synapse-ws': {
    agent: (url) => ({ url: `${url}/ws/support` }),
    check(events, mock) {
      expect(mock.requests[0]!.path).toBe('/ws/support');
      expect(mock.requests[0]!.body).toMatchObject({
        action: 'run_stream',
        prompt: 'What is the weather in Zürich and Tokyo?',
      });
      expect(withoutText(events)).toEqual([
        'RunStarted',
        'LogMessage',
        'ToolCallStarted',
        'ToolCallCompleted',
        'ToolCallStarted',
        'ToolCallCompleted',
        'ToolResult',
        'ToolResult',
        'LogMessage',
        'CustomEvent',
        'MessageCompleted',
        'UsageUpdated',
        'RunCompleted',
      ]);
      expect(ofType(events, 'LogMessage').map((event) => [event.level, event.message])).toEqual([
        ['INFO', 'agent support started run'],
        ['WARN', 'weather cache miss'],
      ]);
      expect(ofType(events, 'CustomEvent')[0]).toMatchObject({
        name: 'synapse-ws.progress',
        value: { status: 'progress', percent: 90 },
      });
      expect(ofType(events, 'ToolResult').map((event) => event.result)).toEqual([
        { temperature: 4 },
        { temperature: 12 },
      ]);
      expect(textOf(events)).toBe(WEATHER_TEXT);
      expect(terminalOf(events)).toMatchObject({
        __typename: 'RunCompleted',
        output: WEATHER_TEXT,
        usage: { inputTokens: 120, outputTokens: 45, totalTokens: 165 },
      });
    },
  },
  'chat-ws': {
    agent: (url) => ({ url: `${url}/ws/{threadId}` }),
    check(events, mock) {
      expect(mock.requests[0]!.path).toMatch(/^\/ws\/[0-9a-f-]{36}$/);
      expect(mock.requests[0]!.body).toEqual({ content: 'What is the weather in Zürich and Tokyo?' });
      expect(withoutText(events)).toEqual([
        'RunStarted',
        'CustomEvent',
        'ToolCallStarted',
        'ToolCallCompleted',
        'ToolResult',
        'MessageCompleted',
        'RunCompleted',
      ]);
      expect(ofType(events, 'CustomEvent')[0]).toMatchObject({
        name: 'chat-ws.user',
        value: { type: 'user', content: 'What is the weather in Zürich and Tokyo?' },
      });
      // cumulative partials became deltas: concatenated they are the final answer, once
      expect(textOf(events)).toBe('Here are the café ☕ tables:\n\n1. fact_bs_purchase 🚀 (FACT)');
      expect(ofType(events, 'ToolResult')[0]).toMatchObject({
        result: [{ name: 'fact_bs_purchase', type: 'FACT' }],
        isError: false,
      });
      expect(terminalOf(events)).toMatchObject({
        __typename: 'RunCompleted',
        text: 'Here are the café ☕ tables:\n\n1. fact_bs_purchase 🚀 (FACT)',
      });
    },
  },
  'ag-ui': {
    agent: (url) => ({ url: `${url}/agent` }),
    check(events, mock) {
      expect(mock.requests[0]!.body).toMatchObject({
        threadId: expect.any(String),
        runId: expect.any(String),
        messages: [{ role: 'user', content: 'What is the weather in Zürich and Tokyo?' }],
        state: {},
        tools: [],
      });
      expect(withoutText(events)).toEqual([
        'RunStarted',
        'StepStarted',
        'ReasoningDelta',
        'StateSnapshot',
        'StepFinished',
        'MessageCompleted',
        'ToolCallStarted',
        'ToolCallStarted',
        'ToolCallArgsDelta',
        'ToolCallArgsDelta',
        'ToolCallArgsDelta',
        'ToolCallCompleted',
        'ToolCallCompleted',
        'ToolResult',
        'ToolResult',
        'StateDelta',
        'CustomEvent',
        'CustomEvent',
        'UsageUpdated',
        'RunCompleted',
      ]);
      expect(textOf(events)).toBe(WEATHER_TEXT);
      expect(ofType(events, 'ToolCallCompleted').map((event) => event.arguments)).toEqual([
        { city: 'Zürich' },
        { city: '東京' },
      ]);
      expect(ofType(events, 'ToolResult').map((event) => event.result)).toEqual([
        { temperature: 4 },
        { temperature: 12 },
      ]);
      expect(ofType(events, 'StateSnapshot')[0]!.state).toEqual({ cities: [], units: 'metric' });
      expect(ofType(events, 'StateDelta')[0]!.patch).toEqual([
        { op: 'add', path: '/cities/-', value: 'Zürich' },
        { op: 'add', path: '/cities/-', value: '東京' },
      ]);
      expect(ofType(events, 'CustomEvent').map((event) => event.name)).toEqual(['weather.cache', 'ag-ui.raw']);
      // AG-UI 1.0 usage: one entry per model, summed
      expect(terminalOf(events)).toMatchObject({
        __typename: 'RunCompleted',
        text: WEATHER_TEXT,
        usage: { inputTokens: 150, outputTokens: 50, totalTokens: 200, reasoningTokens: 4, cachedInputTokens: 20 },
      });
    },
  },
  'ai-sdk': {
    agent: (url) => ({ url: `${url}/api/chat` }),
    check(events, mock) {
      expect(mock.requests[0]!.body).toMatchObject({
        messages: [{ role: 'user', parts: [{ type: 'text', text: 'What is the weather in Zürich and Tokyo?' }] }],
      });
      expect(withoutText(events)).toEqual([
        'RunStarted',
        'StepStarted',
        'ReasoningDelta',
        'ToolCallStarted',
        'ToolCallStarted',
        'ToolCallArgsDelta',
        'ToolCallArgsDelta',
        'ToolCallArgsDelta',
        'ToolCallCompleted',
        'ToolCallCompleted',
        'ToolResult',
        'ToolResult',
        'StepFinished',
        'StepStarted',
        'MessageCompleted',
        'CustomEvent',
        'CustomEvent',
        'StepFinished',
        'UsageUpdated',
        'RunCompleted',
      ]);
      expect(textOf(events)).toBe(WEATHER_TEXT);
      expect(ofType(events, 'ToolResult').map((event) => [event.result, event.isError])).toEqual([
        [{ temperature: 4 }, false],
        [{ error: 'weather service timed out' }, true],
      ]);
      expect(ofType(events, 'CustomEvent')[0]).toMatchObject({
        name: 'data-weather',
        value: { city: 'Zürich', temperature: 4 },
      });
      expect(terminalOf(events)).toMatchObject({
        __typename: 'RunCompleted',
        usage: { inputTokens: 150, outputTokens: 60, totalTokens: 210, reasoningTokens: 8, cachedInputTokens: 30 },
      });
    },
  },
  langgraph: {
    agent: (url) => ({ url, assistantId: 'agent' }),
    check(events, mock) {
      const [create, stream] = mock.requests;
      expect(create).toMatchObject({ path: '/threads', body: { if_exists: 'do_nothing' } });
      const threadId = (create!.body as { thread_id: string }).thread_id;
      expect(stream).toMatchObject({
        path: `/threads/${threadId}/runs/stream`,
        body: {
          assistant_id: 'agent',
          input: { messages: [{ role: 'human', content: 'What is the weather in Zürich and Tokyo?' }] },
          stream_mode: ['messages-tuple', 'updates', 'values', 'custom'],
        },
      });
      expect(withoutText(events)).toEqual([
        'RunStarted',
        'StateSnapshot',
        'ToolCallStarted',
        'ToolCallStarted',
        'ToolCallArgsDelta',
        'ToolCallArgsDelta',
        'UsageUpdated',
        'ToolCallCompleted',
        'ToolCallCompleted',
        'MessageCompleted',
        'StepFinished',
        'ToolResult',
        'ToolResult',
        'StepFinished',
        'CustomEvent',
        'UsageUpdated',
        'MessageCompleted',
        'StepFinished',
        'StateSnapshot',
        'RunCompleted',
      ]);
      expect(ofType(events, 'ToolCallCompleted').map((event) => [event.toolCallId, event.arguments])).toEqual([
        ['call_zrh', { city: 'Zürich' }],
        ['call_tyo', { city: '東京' }],
      ]);
      // the interrupt moved to its own scenario (a run that stops there pauses): test/langgraph-server.test.ts
      // two model calls: their usage adds up across messages
      expect(terminalOf(events)).toMatchObject({
        __typename: 'RunCompleted',
        usage: { inputTokens: 300, outputTokens: 60, totalTokens: 360 },
      });
      expect(terminalOf(events).output.messages).toHaveLength(2);
    },
  },
  'workflow-sse': {
    agent: (url) => ({ url: `${url}/chat` }),
    check(events, mock) {
      expect(mock.requests[0]!.body).toMatchObject({ message: 'What is the weather in Zürich and Tokyo?' });
      expect(withoutText(events)).toEqual([
        'RunStarted',
        'CustomEvent',
        'ReasoningStep',
        'StepStarted',
        'ToolCallStarted',
        'ToolCallCompleted',
        'ToolCallStarted',
        'ToolCallCompleted',
        'ToolResult',
        'ToolResult',
        'ReasoningDelta',
        'MessageCompleted',
        'CustomEvent',
        'StepFinished',
        'MessageCompleted',
        'RunCompleted',
      ]);
      expect(ofType(events, 'ReasoningStep')[0]).toMatchObject({
        title: 'I should look up the weather for both cities',
        detail: { step_number: 1 },
      });
      expect(ofType(events, 'ToolResult').map((event) => [event.toolCallId, event.result])).toEqual([
        ['tool_1', { temperature: 4 }],
        ['tool_2', { temperature: 12 }],
      ]);
      expect(ofType(events, 'MessageCompleted').map((event) => event.text)).toEqual([
        WEATHER_TEXT,
        'Zürich 4 °C, 東京 12 °C.',
      ]);
      expect(terminalOf(events)).toMatchObject({
        __typename: 'RunCompleted',
        text: 'Zürich 4 °C, 東京 12 °C.',
        output: { final_response: 'Zürich 4 °C, 東京 12 °C.', tools_used: ['get_weather'] },
      });
    },
  },
};
