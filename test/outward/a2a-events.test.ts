import { describe, expect, it } from 'vitest';
import type { AgentEvent, AgentEventBody } from '../../src/events/index.js';
import { A2aTaskMapper, taskStateOf, type A2aStreamResponse } from '../../src/outward/a2a-events.js';

const at = '2026-12-07T10:00:00.000Z';
function events(bodies: AgentEventBody[]): AgentEvent[] {
  return bodies.map((body, index) => ({ ...body, workflowId: 'wf', sequence: index + 1, at }));
}

const RUN = events([
  { type: 'RunStarted', agentId: 'demo', input: {} },
  { type: 'ReasoningStep', title: 'think', detail: null },
  { type: 'TextDelta', messageId: 'm1', delta: 'Hello' },
  { type: 'ToolCallStarted', toolCallId: 'c1', toolName: 'calculator' },
  { type: 'TextDelta', messageId: 'm1', delta: ', world' },
  { type: 'MessageCompleted', messageId: 'm1', role: 'assistant', text: 'Hello, world' },
  { type: 'RunCompleted', output: { answer: 1 }, text: 'Hello, world', usage: null },
]);

const textOf = (responses: A2aStreamResponse[]) =>
  responses
    .map((item) =>
      'artifactUpdate' in item && item.artifactUpdate.artifact.name === 'answer'
        ? item.artifactUpdate.artifact.parts.map((part) => part.text ?? '').join('')
        : '',
    )
    .join('');

describe('A2aTaskMapper (src/outward/a2a-events.ts)', () => {
  it('maps text to appended artifact chunks, other events to WORKING data parts, the end to COMPLETED with the output artifact', () => {
    const mapper = new A2aTaskMapper({ taskId: 'wf', contextId: 't' });
    const out = RUN.flatMap((event) => mapper.map(event));
    const updates = out
      .filter((item) => 'artifactUpdate' in item)
      .map((item) => ('artifactUpdate' in item ? item.artifactUpdate : null)!);
    expect(updates.map((update) => [update.artifact.artifactId, update.append, update.lastChunk])).toEqual([
      ['text-m1', false, false],
      ['text-m1', true, false],
      ['text-m1', true, true],
      ['output', false, true],
    ]);
    const statuses = out
      .filter((item) => 'statusUpdate' in item)
      .map((item) => ('statusUpdate' in item ? item.statusUpdate.status : null)!);
    expect(statuses.map((status) => status.state)).toEqual([
      'TASK_STATE_WORKING',
      'TASK_STATE_WORKING',
      'TASK_STATE_WORKING',
      'TASK_STATE_COMPLETED',
    ]);
    expect(statuses[2]!.message!.parts[0]!.data).toMatchObject({
      type: 'ToolCallStarted',
      toolName: 'calculator',
      sequence: 4,
    });
    expect(mapper.snapshot().artifacts!.map((artifact) => artifact.artifactId)).toEqual(['text-m1', 'output']);
  });

  it('is lossless: the snapshot after any event N plus the updates after N have the whole text and the final state', () => {
    for (let split = 0; split <= RUN.length; split++) {
      const mapper = new A2aTaskMapper({ taskId: 'wf', contextId: 't' });
      for (const event of RUN.slice(0, split)) mapper.map(event);
      const snapshot = mapper.snapshot();
      expect(snapshot.metadata!['synapse.sequence']).toBe(split);
      const rest = RUN.slice(split).flatMap((event) => mapper.map(event));
      const snapshotText = (snapshot.artifacts ?? [])
        .filter((artifact) => artifact.name === 'answer')
        .map((artifact) => artifact.parts[0]!.text)
        .join('');
      expect(snapshotText + textOf(rest), `split ${split}`).toBe('Hello, world');
      expect(mapper.taskState).toBe('TASK_STATE_COMPLETED');
    }
  });

  it('an interrupt is INPUT_REQUIRED with the question as text; its answer goes back to WORKING; failures carry the code', () => {
    const mapper = new A2aTaskMapper({ taskId: 'wf', contextId: 't' });
    const paused = events([
      { type: 'RunStarted', agentId: 'demo', input: {} },
      {
        type: 'InterruptRequested',
        interruptId: 'i1',
        kind: 'INPUT',
        toolCallId: null,
        tool: null,
        arguments: null,
        message: 'Which one?',
        responseSchema: null,
        expiresAt: null,
        value: null,
      },
      {
        type: 'InterruptResolved',
        interruptId: 'i1',
        decision: 'RESPOND',
        value: 'that',
        arguments: null,
        comment: null,
        respondedBy: 'anonymous',
      },
      {
        type: 'RunFailed',
        code: 'UPSTREAM_ERROR',
        message: 'boom',
        retryable: false,
        recoverySuggestion: null,
        usage: null,
      },
    ]);
    const states = paused.map((event) => {
      const [item] = mapper.map(event);
      return item && 'statusUpdate' in item
        ? [item.statusUpdate.status.state, item.statusUpdate.status.message?.parts[0]?.text]
        : null;
    });
    expect(states).toEqual([
      ['TASK_STATE_WORKING', undefined],
      ['TASK_STATE_INPUT_REQUIRED', 'Which one?'],
      ['TASK_STATE_WORKING', undefined],
      ['TASK_STATE_FAILED', 'UPSTREAM_ERROR: boom'],
    ]);
    expect(
      ['QUEUED', 'RUNNING', 'INPUT_REQUIRED', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'].map(taskStateOf),
    ).toEqual([
      'TASK_STATE_SUBMITTED',
      'TASK_STATE_WORKING',
      'TASK_STATE_INPUT_REQUIRED',
      'TASK_STATE_COMPLETED',
      'TASK_STATE_FAILED',
      'TASK_STATE_CANCELED',
      'TASK_STATE_FAILED',
    ]);
  });
});
