import { expect } from 'vitest';
import type { MockDialectName, RunningMock } from '../../src/mock-upstream/index.js';
import { ofType, terminalOf, textOf, typesOf, type StreamedEvent } from './harness.js';

/**
 * Per dialect: how an agent points at its mock upstream, and what the `full` recorded stream
 * must come out as through the gateway.
 */
/** Event types in order, TextDeltas left out (the gateway may merge them; their text is checked apart). */
export const withoutText = (events: StreamedEvent[]) => typesOf(events).filter((type) => type !== 'TextDelta');

export interface DialectCase {
  agent(mockUrl: string): Record<string, unknown>;
  check(events: StreamedEvent[], mock: RunningMock): void;
}

export const DIALECT_CASES: Partial<Record<MockDialectName, DialectCase>> = {
  'openai-chat': {
    agent: (url) => ({ url: `${url}/v1/chat/completions`, model: 'gpt-4o-mini' }),
    check(events, mock) {
      expect(mock.requests[0]!.body).toMatchObject({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true } });
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
      expect(ofType(events, 'ReasoningDelta').map((event) => event.delta).join('')).toBe('The user wants weather in two cities.');
      expect(textOf(events)).toBe('Checking the café ☕ weather in Zürich and 東京 🚀.');
      expect(ofType(events, 'ToolCallStarted').map((event) => [event.toolCallId, event.toolName])).toEqual([
        ['call_zrh', 'get_weather'],
        ['call_tyo', 'get_weather'],
      ]);
      // arguments streamed interleaved by index, each call's pieces kept apart
      expect(ofType(events, 'ToolCallArgsDelta').filter((event) => event.toolCallId === 'call_zrh').map((event) => event.delta).join('')).toBe('{"city":"Zürich"}');
      expect(ofType(events, 'ToolCallCompleted').map((event) => event.arguments)).toEqual([{ city: 'Zürich' }, { city: '東京' }]);
      expect(ofType(events, 'UsageUpdated')).toHaveLength(1);
      expect(terminalOf(events)).toMatchObject({
        __typename: 'RunCompleted',
        text: 'Checking the café ☕ weather in Zürich and 東京 🚀.',
        usage: { inputTokens: 42, outputTokens: 31, totalTokens: 73, reasoningTokens: 5, cachedInputTokens: 10 },
      });
    },
  },
};
