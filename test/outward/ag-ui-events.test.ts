import { EventSchemas } from '@ag-ui/core/schemas';
import { describe, expect, it } from 'vitest';
import type { AgentEvent, AgentEventBody } from '../../src/events/index.js';
import { AgUiEventMapper } from '../../src/outward/ag-ui-events.js';

const usage = { inputTokens: 3, outputTokens: 5, totalTokens: 8, reasoningTokens: null, cachedInputTokens: null };

function stamp(bodies: AgentEventBody[]): AgentEvent[] {
  return bodies.map((body, index) => ({
    ...body,
    workflowId: 'wf',
    sequence: index + 1,
    at: '2026-12-07T09:00:00.000Z',
  }));
}

function mapAll(bodies: AgentEventBody[]) {
  const mapper = new AgUiEventMapper({ threadId: 't', runId: 'wf' });
  return stamp(bodies).flatMap((event) => mapper.map(event));
}

describe('the AG-UI mapping of the event union', () => {
  it('brackets text, reasoning and tool calls, and every event is valid AG-UI 1.0', () => {
    const events = mapAll([
      { type: 'RunStarted', agentId: 'a', input: {} },
      { type: 'StepStarted', name: 'plan' },
      { type: 'ReasoningDelta', delta: 'Think' },
      { type: 'ReasoningDelta', delta: 'ing.' },
      { type: 'TextDelta', messageId: 'm1', delta: 'Hel' },
      { type: 'TextDelta', messageId: 'm1', delta: 'lo' },
      { type: 'MessageCompleted', messageId: 'm1', role: 'assistant', text: 'Hello' },
      { type: 'ToolCallStarted', toolCallId: 'c1', toolName: 'lookup' },
      { type: 'ToolCallArgsDelta', toolCallId: 'c1', delta: '{"q":' },
      { type: 'ToolCallArgsDelta', toolCallId: 'c1', delta: '1}' },
      { type: 'ToolCallCompleted', toolCallId: 'c1', toolName: 'lookup', arguments: { q: 1 } },
      { type: 'ToolResult', toolCallId: 'c1', result: { ok: true }, isError: false },
      { type: 'ToolCallCompleted', toolCallId: 'c2', toolName: 'whole', arguments: { x: 2 } },
      { type: 'StateSnapshot', state: { n: 1 } },
      { type: 'StateDelta', patch: [{ op: 'replace', path: '/n', value: 2 }] },
      { type: 'StepFinished', name: 'plan' },
      { type: 'MessageCompleted', messageId: 'm2', role: 'assistant', text: 'Only final' },
      { type: 'UsageUpdated', usage },
      { type: 'RunCompleted', output: 'Hello', text: 'Hello', usage },
    ]);
    for (const event of events) expect(EventSchemas.safeParse(event).success, JSON.stringify(event)).toBe(true);
    expect(events.map((event) => event.type)).toEqual([
      'RUN_STARTED',
      'STEP_STARTED',
      'REASONING_START',
      'REASONING_MESSAGE_START',
      'REASONING_MESSAGE_CONTENT',
      'REASONING_MESSAGE_CONTENT',
      'REASONING_MESSAGE_END',
      'REASONING_END',
      'TEXT_MESSAGE_START',
      'TEXT_MESSAGE_CONTENT',
      'TEXT_MESSAGE_CONTENT',
      'TEXT_MESSAGE_END',
      'TOOL_CALL_START',
      'TOOL_CALL_ARGS',
      'TOOL_CALL_ARGS',
      'TOOL_CALL_END',
      'TOOL_CALL_RESULT',
      'TOOL_CALL_START',
      'TOOL_CALL_ARGS',
      'TOOL_CALL_END',
      'STATE_SNAPSHOT',
      'STATE_DELTA',
      'STEP_FINISHED',
      'TEXT_MESSAGE_START',
      'TEXT_MESSAGE_CONTENT',
      'TEXT_MESSAGE_END',
      'CUSTOM',
      'RUN_FINISHED',
    ]);
    expect(events.at(-1)).toMatchObject({
      outcome: { type: 'success' },
      usage: [{ inputTokens: 3, outputTokens: 5, totalTokens: 8 }],
    });
  });

  it('passes what AG-UI has no event for as CUSTOM synapse.<Member>, never dropping it', () => {
    const events = mapAll([
      { type: 'RunStarted', agentId: 'a', input: {} },
      { type: 'LogMessage', level: 'WARN', message: 'slow' },
      {
        type: 'InterruptResolved',
        interruptId: 'i1',
        decision: 'RESPOND',
        value: 'yes',
        arguments: null,
        comment: null,
        respondedBy: 'anonymous',
      },
      { type: 'CustomEvent', name: 'progress', value: 3 },
    ]);
    for (const event of events) expect(EventSchemas.safeParse(event).success).toBe(true);
    expect(events.slice(1)).toEqual([
      expect.objectContaining({
        type: 'CUSTOM',
        name: 'synapse.LogMessage',
        value: { level: 'WARN', message: 'slow' },
      }),
      expect.objectContaining({
        type: 'CUSTOM',
        name: 'synapse.InterruptResolved',
        value: {
          interruptId: 'i1',
          decision: 'RESPOND',
          value: 'yes',
          arguments: null,
          comment: null,
          respondedBy: 'anonymous',
        },
      }),
      expect.objectContaining({ type: 'CUSTOM', name: 'progress', value: 3 }),
    ]);
  });

  it('closes open brackets before a failure or a cancel', () => {
    const failed = mapAll([
      { type: 'RunStarted', agentId: 'a', input: {} },
      { type: 'TextDelta', messageId: 'm', delta: 'par' },
      { type: 'ToolCallStarted', toolCallId: 'c', toolName: 't' },
      {
        type: 'RunFailed',
        code: 'UPSTREAM_DISCONNECTED',
        message: 'gone',
        retryable: true,
        recoverySuggestion: null,
        usage: null,
      },
    ]);
    expect(failed.map((event) => event.type)).toEqual([
      'RUN_STARTED',
      'TEXT_MESSAGE_START',
      'TEXT_MESSAGE_CONTENT',
      'TEXT_MESSAGE_END',
      'TOOL_CALL_START',
      'TOOL_CALL_END',
      'RUN_ERROR',
    ]);
    expect(failed.at(-1)).toMatchObject({ code: 'UPSTREAM_DISCONNECTED', message: 'gone' });
    for (const event of failed) expect(EventSchemas.safeParse(event).success).toBe(true);
    const cancelled = mapAll([
      { type: 'RunStarted', agentId: 'a', input: {} },
      { type: 'ReasoningDelta', delta: 'hmm' },
      { type: 'RunCancelled', reason: 'stop', usage: null },
    ]);
    expect(cancelled.map((event) => event.type)).toEqual([
      'RUN_STARTED',
      'REASONING_START',
      'REASONING_MESSAGE_START',
      'REASONING_MESSAGE_CONTENT',
      'REASONING_MESSAGE_END',
      'REASONING_END',
      'RUN_FINISHED',
    ]);
    expect(cancelled.at(-1)).toMatchObject({ outcome: { type: 'cancelled' } });
  });
});
