import { execute, parse, validate, type GraphQLScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/events/index.js';
import { schema } from '../../src/schema/index.js';
import { compileAgentStreamPlan } from '../../src/subscription/agent-stream-plan.js';
import { batchMessages, HeldBatches, PreparedBatch } from '../../src/subscription/prepared-batch.js';
import { EVENT_FIELDS } from '../helpers/operations.js';

/**
 * The agentStream fast path renders each event with a compiled plan; its JSON must be byte for
 * byte what graphql-js's execute + JSON.stringify give for the same event and operation (the
 * executor runs a subscription event as `execute` with the event as root value).
 */

const usage = { inputTokens: 3, outputTokens: 5, totalTokens: 8, reasoningTokens: null, cachedInputTokens: 1 };
const bodies = [
  { type: 'RunStarted', agentId: 'demo', input: { prompt: 'hi', nested: { list: [1, 'two', null] } } },
  { type: 'RunStarted', agentId: 'demo', input: null },
  { type: 'TextDelta', messageId: 'm1', delta: 'héllo "quoted" \\ \n ✓ \u2028' },
  { type: 'MessageCompleted', messageId: 'm1', role: 'assistant', text: 'hello' },
  { type: 'ReasoningDelta', delta: 'think' },
  { type: 'ReasoningStep', title: 'plan', detail: { step: 1 } },
  { type: 'ReasoningStep', title: 'plan' },
  { type: 'ToolCallStarted', toolCallId: 'c1', toolName: 'calc' },
  { type: 'ToolCallArgsDelta', toolCallId: 'c1', delta: '{"a":' },
  { type: 'ToolCallCompleted', toolCallId: 'c1', toolName: 'calc', arguments: { a: 1 } },
  { type: 'ToolResult', toolCallId: 'c1', result: [1, 2], isError: false },
  { type: 'StepStarted', name: 'node' },
  { type: 'StepFinished', name: 'node' },
  { type: 'StateSnapshot', state: { count: 1, list: [], empty: {} } },
  { type: 'StateDelta', patch: [{ op: 'replace', path: '/count', value: 2 }] },
  { type: 'InterruptRequested', interruptId: 'i1', toolCallId: null, value: 42 },
  { type: 'LogMessage', level: 'WARN', message: 'careful' },
  { type: 'UsageUpdated', usage },
  { type: 'RunCompleted', output: { answer: 42 }, text: 'done', usage },
  { type: 'RunCompleted', output: null, text: '', usage: null },
  { type: 'RunFailed', code: 'UPSTREAM_TIMEOUT', message: 'slow', retryable: true, recoverySuggestion: null, usage },
  { type: 'RunCancelled', reason: null, usage: null },
  { type: 'RunCancelled', reason: 'user', usage },
  { type: 'Heartbeat' },
  { type: 'CustomEvent', name: 'custom', value: false },
];
const events = bodies.map((body, index) => ({
  workflowId: 'wf-1',
  sequence: index + 1,
  at: new Date(Date.UTC(2026, 10, 22, 6, 0, index)).toISOString(),
  ...body,
})) as AgentEvent[];

const operations: { name: string; query: string; variables?: Record<string, unknown> }[] = [
  {
    name: 'every field of every member',
    query: `subscription($id: ID!) { agentStream(workflowId: $id) { ${EVENT_FIELDS} } }`,
    variables: { id: 'wf-1' },
  },
  { name: 'only __typename', query: `subscription { agentStream(workflowId: "wf-1") { __typename } }` },
  {
    name: 'aliases, on the root field and below',
    query: `subscription { events: agentStream(workflowId: "wf-1") { kind: __typename ... on StreamEvent { seq: sequence } ... on TextDelta { text: delta d2: delta } ... on RunCompleted { u: usage { t: totalTokens } } } }`,
  },
  {
    name: 'named fragments, nested and repeated, on the union, the interface and members',
    query: `
      subscription S($id: ID!, $after: Int) { agentStream(workflowId: $id, afterSequence: $after) { ...OnUnion ...OnInterface ...OnUnion } }
      fragment OnUnion on AgentEvent { __typename ... on TextDelta { ...Text } ... on UsageUpdated { usage { ...Counts } } }
      fragment OnInterface on StreamEvent { sequence ... on RunFailed { code usage { inputTokens } } }
      fragment Text on TextDelta { messageId delta sequence }
      fragment Counts on Usage { totalTokens inputTokens }
    `,
    variables: { id: 'wf-1', after: 0 },
  },
  {
    name: 'merged sub-selections of one object field (usage) in field order of first appearance',
    query: `subscription { agentStream(workflowId: "wf-1") { ... on RunCompleted { usage { outputTokens } text } ... on RunCompleted { usage { inputTokens outputTokens } output } ... on StreamEvent { at } } }`,
  },
  {
    name: '@include / @skip with literals and variables',
    query: `subscription($yes: Boolean!, $no: Boolean!) { agentStream(workflowId: "wf-1") {
      __typename @include(if: $yes)
      ... on StreamEvent { sequence @skip(if: $yes) at @include(if: false) }
      ... on TextDelta @include(if: $no) { delta }
      ... on TextDelta @skip(if: $no) { messageId }
      ... on StreamEvent @include(if: true) { workflowId @skip(if: $no) }
    } }`,
    variables: { yes: true, no: false },
  },
  {
    name: 'the bench selection',
    query: `subscription($id: ID!) { agentStream(workflowId: $id) { __typename ... on StreamEvent { workflowId sequence at } ... on TextDelta { messageId delta } ... on ReasoningDelta { delta } ... on RunFailed { code message } } }`,
    variables: { id: 'wf-1' },
  },
  {
    name: 'interface fields selected directly on the union member fragments',
    query: `subscription { agentStream(workflowId: "wf-1") { ... on LogMessage { level message sequence } ... on Heartbeat { sequence __typename } ... on InterruptRequested { toolCallId value } } }`,
  },
];

describe('agentStream fast path: the compiled plan against graphql-js', () => {
  for (const operation of operations) {
    it(`${operation.name}: every event type, byte for byte`, async () => {
      const document = parse(operation.query);
      expect(validate(schema, document)).toEqual([]);
      const plan = compileAgentStreamPlan(schema, document, undefined, operation.variables);
      expect(plan).toBeDefined();
      for (const event of events) {
        const expected = await execute({
          schema,
          document,
          rootValue: event,
          variableValues: operation.variables ?? {},
          contextValue: {},
        });
        expect(expected.errors).toBeUndefined();
        const rendered = plan!.render(event, {});
        expect(rendered, `${event.type} #${event.sequence}`).toBe(JSON.stringify(expected));
        // The second call answers from the per-event cache: same text.
        expect(plan!.render(event, {})).toBe(rendered);
      }
    });
  }

  it('DateTime returns canonical ISO text as is and everything else as Date would', () => {
    const dateTime = schema.getType('DateTime') as GraphQLScalarType;
    const values = [
      '2026-11-22T06:00:00.000Z',
      '2026-02-28T23:59:59.999Z',
      '2026-04-31T00:00:00.000Z',
      '2024-02-29T12:00:00.000Z',
      '2026-11-22T06:00:00Z',
      '2026-11-22T07:00:00.000+01:00',
      0,
      1795329182511,
      new Date(5),
    ];
    for (const value of values) {
      expect(dateTime.serialize(value)).toBe((value instanceof Date ? value : new Date(value)).toISOString());
    }
  });

  it('a prepared batch expands only a graphql-ws next message with its null placeholder', () => {
    const batch = new PreparedBatch(['{"data":{"a":1}}', '{"data":{"a":2}}']);
    expect(JSON.stringify({ id: 'x', type: 'next', payload: batch })).toBe('{"id":"x","type":"next","payload":null}');
    // Held on the socket under its operation id (graphql-ws-socket.ts), taken once by its message.
    const held = new HeldBatches();
    held.hold('x', batch);
    expect(held.take('{"id":"y","type":"next","payload":null}')).toBeNull();
    expect(held.take('{"id":"x","type":"next","payload":null}')).toBe(batch);
    expect(held.take('{"id":"x","type":"next","payload":null}')).toBeNull();
    expect(batchMessages('{"id":"x","type":"next","payload":null}', batch)).toEqual([
      '{"id":"x","type":"next","payload":{"data":{"a":1}}}',
      '{"id":"x","type":"next","payload":{"data":{"a":2}}}',
    ]);
    expect(batchMessages('{"type":"pong"}', batch)).toBeNull();
  });

  it('covers all 21 event types', () => {
    expect(new Set(events.map((event) => event.type)).size).toBe(21);
  });

  it('leaves to the executor what it does not compile', () => {
    const noPlan = [
      `subscription { workflowUpdates { __typename } }`,
      `subscription { agentStream(workflowId: "a") { __typename } second: agentStream(workflowId: "b") { __typename } }`,
      `subscription { agentStream(workflowId: "a") { __typename @deprecated } }`,
      `subscription($v: Boolean) { agentStream(workflowId: "a") { __typename @include(if: $v) } }`,
      `query { __typename }`,
    ];
    for (const query of noPlan) {
      let document;
      try {
        document = parse(query);
      } catch {
        continue;
      }
      expect(compileAgentStreamPlan(schema, document, undefined, {}), query).toBeUndefined();
    }
  });

  it('hands an event it cannot complete without an error back to the executor (render is undefined)', async () => {
    const document = parse(`subscription { agentStream(workflowId: "wf-1") { ... on TextDelta { delta messageId } } }`);
    const plan = compileAgentStreamPlan(schema, document, undefined, {})!;
    const broken = { ...events[2]!, delta: null } as unknown as AgentEvent;
    expect(plan.render(broken, {})).toBeUndefined();
    const unknownType = { ...events[2]!, type: 'Nope' } as unknown as AgentEvent;
    expect(plan.render(unknownType, {})).toBeUndefined();
    const result = await execute({ schema, document, rootValue: broken, contextValue: {} });
    expect(result.errors?.length).toBe(1);
  });
});
