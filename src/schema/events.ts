import type { AgentEvent, AgentEventOf, AgentEventType, Usage } from '../events/index.js';
import { InterruptDecisionSchema, InterruptKindSchema, LogLevelSchema } from '../events/index.js';
import { builder } from './builder.js';

/**
 * The AgentEvent union. A field name shared by several members has one type on all of them
 * (`toolCallId: ID`, `usage: Usage`, `delta: String!`, ...), so a client can select it through
 * fragments on every member in one operation (docs/events.md).
 */

export const UsageRef = builder.objectRef<Usage>('Usage').implement({
  description: 'Token counts, cumulative for the run. A count the upstream does not report is null.',
  fields: (t) => ({
    inputTokens: t.exposeInt('inputTokens', { nullable: true }),
    outputTokens: t.exposeInt('outputTokens', { nullable: true }),
    totalTokens: t.exposeInt('totalTokens', { nullable: true }),
    reasoningTokens: t.exposeInt('reasoningTokens', { nullable: true }),
    cachedInputTokens: t.exposeInt('cachedInputTokens', { nullable: true }),
  }),
});

const LogLevel = builder.enumType('LogLevel', { values: LogLevelSchema.options });
export const InterruptKindEnum = builder.enumType('InterruptKind', {
  description: 'What a person is asked: approve a tool call, run a client tool, or give an input.',
  values: InterruptKindSchema.options,
});
export const InterruptDecisionEnum = builder.enumType('InterruptDecision', {
  description: 'How a person answers an interrupt (docs/human-in-the-loop.md).',
  values: InterruptDecisionSchema.options,
});

/** The question of an InterruptRequested stored before `message` existed. */
export const DEFAULT_INTERRUPT_MESSAGE = 'The agent is waiting for your input.';

export const StreamEvent = builder.interfaceRef<AgentEvent>('StreamEvent').implement({
  description:
    'What every event carries. `sequence` starts at 1 and grows by one per stored event of a workflow; resume with `afterSequence`.',
  fields: (t) => ({
    workflowId: t.exposeID('workflowId'),
    sequence: t.exposeInt('sequence'),
    at: t.field({ type: 'DateTime', resolve: (event) => event.at }),
  }),
});

type FieldsOf<T extends AgentEventType> = Parameters<
  Parameters<ReturnType<typeof builder.objectRef<AgentEventOf<T>>>['implement']>[0]['fields'] & {}
>[0];

/** Declares one member of the union; `fields` adds what it carries beyond the interface. */
function member<T extends AgentEventType>(
  type: T,
  description: string,
  fields: (t: FieldsOf<T>) => Record<string, unknown> = () => ({}),
) {
  return builder.objectRef<AgentEventOf<T>>(type).implement({
    description,
    interfaces: [StreamEvent],
    isTypeOf: (value) => (value as AgentEvent).type === type,
    fields: fields as never,
  });
}

/** Its own ref: `Workflow.pendingInterrupts` lists this member alone (docs/human-in-the-loop.md). */
export const InterruptRequestedRef = member(
  'InterruptRequested',
  'The agent waits for a person: answer with `respondToInterrupts`.',
  (t) => ({
    interruptId: t.exposeID('interruptId'),
    // events stored before these fields existed lack them
    kind: t.field({ type: InterruptKindEnum, resolve: (event) => event.kind ?? 'INPUT' }),
    toolCallId: t.exposeID('toolCallId', { nullable: true }),
    tool: t.string({
      nullable: true,
      description: 'The tool to approve or run.',
      resolve: (event) => event.tool ?? null,
    }),
    arguments: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The tool call’s arguments.',
      resolve: (event) => event.arguments ?? null,
    }),
    message: t.string({
      description: 'What the person is asked: the upstream’s question, or one the gateway writes.',
      resolve: (event) => event.message ?? DEFAULT_INTERRUPT_MESSAGE,
    }),
    responseSchema: t.field({
      type: 'JSON',
      nullable: true,
      description: 'A JSON Schema the answer’s `value` must match (RESPOND).',
      resolve: (event) => event.responseSchema ?? null,
    }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the run stops waiting and fails with INTERRUPT_EXPIRED; null: it waits for ever.',
      resolve: (event) => event.expiresAt ?? null,
    }),
    value: t.field({
      type: 'JSON',
      nullable: true,
      description: 'What the upstream sent with the interrupt.',
      resolve: (event) => event.value ?? null,
    }),
  }),
);

const members = [
  member('RunStarted', 'The first event of every workflow.', (t) => ({
    agentId: t.exposeID('agentId'),
    input: t.field({ type: 'JSON', resolve: (event) => event.input ?? {} }),
  })),
  member('TextDelta', 'A piece of assistant text.', (t) => ({
    messageId: t.exposeID('messageId'),
    delta: t.exposeString('delta'),
  })),
  member('MessageCompleted', 'An assistant message is complete.', (t) => ({
    messageId: t.exposeID('messageId'),
    role: t.exposeString('role'),
    text: t.exposeString('text'),
  })),
  member('ReasoningDelta', 'A piece of the model’s reasoning text.', (t) => ({
    delta: t.exposeString('delta'),
  })),
  member('ReasoningStep', 'A discrete reasoning step of an agent framework.', (t) => ({
    title: t.exposeString('title'),
    detail: t.field({ type: 'JSON', nullable: true, resolve: (event) => event.detail ?? null }),
  })),
  member('ToolCallStarted', 'The agent begins a tool call.', (t) => ({
    toolCallId: t.exposeID('toolCallId', { nullable: true }),
    toolName: t.exposeString('toolName'),
  })),
  member('ToolCallArgsDelta', 'A piece of a tool call’s argument JSON.', (t) => ({
    toolCallId: t.exposeID('toolCallId', { nullable: true }),
    delta: t.exposeString('delta'),
  })),
  member('ToolCallCompleted', 'A tool call’s arguments are complete and parsed.', (t) => ({
    toolCallId: t.exposeID('toolCallId', { nullable: true }),
    toolName: t.exposeString('toolName'),
    arguments: t.field({ type: 'JSON', nullable: true, resolve: (event) => event.arguments ?? null }),
    childWorkflowId: t.id({
      nullable: true,
      description: 'A subagent call: the child workflow it runs.',
      resolve: (event) => event.childWorkflowId ?? null,
    }),
  })),
  member('ToolResult', 'A tool’s output.', (t) => ({
    toolCallId: t.exposeID('toolCallId', { nullable: true }),
    result: t.field({ type: 'JSON', nullable: true, resolve: (event) => event.result ?? null }),
    isError: t.exposeBoolean('isError'),
    childWorkflowId: t.id({
      nullable: true,
      description: 'A subagent call: the child workflow that answered.',
      resolve: (event) => event.childWorkflowId ?? null,
    }),
  })),
  member('StepStarted', 'A graph node or agent step begins.', (t) => ({ name: t.exposeString('name') })),
  member('StepFinished', 'A graph node or agent step ends.', (t) => ({ name: t.exposeString('name') })),
  member('StateSnapshot', 'The agent’s whole state.', (t) => ({
    state: t.field({ type: 'JSON', nullable: true, resolve: (event) => event.state ?? null }),
  })),
  member('StateDelta', 'A change to the agent’s state as RFC 6902 JSON Patch operations.', (t) => ({
    patch: t.field({ type: 'JSON', resolve: (event) => event.patch }),
  })),
  InterruptRequestedRef,
  member('InterruptResolved', 'A person’s answer to an interrupt.', (t) => ({
    interruptId: t.exposeID('interruptId'),
    decision: t.field({ type: InterruptDecisionEnum, resolve: (event) => event.decision }),
    value: t.field({
      type: 'JSON',
      nullable: true,
      description: 'RESPOND: the answer, or the client tool’s result.',
      resolve: (event) => event.value ?? null,
    }),
    arguments: t.field({
      type: 'JSON',
      nullable: true,
      description: 'APPROVE: the edited tool arguments, when edited.',
      resolve: (event) => event.arguments ?? null,
    }),
    comment: t.string({
      nullable: true,
      description: 'REJECT: why (the answer’s `message`).',
      resolve: (event) => event.comment ?? null,
    }),
    respondedBy: t.string({
      nullable: true,
      description: 'The principal who answered (`apiKey:<id>`, `jwt:<sub>`).',
      resolve: (event) => event.respondedBy ?? null,
    }),
  })),
  member('LogMessage', 'A log line from the upstream.', (t) => ({
    level: t.field({ type: LogLevel, resolve: (event) => event.level }),
    message: t.exposeString('message'),
  })),
  member('UsageUpdated', 'Token counts so far, cumulative for the run.', (t) => ({
    usage: t.field({ type: UsageRef, nullable: true, resolve: (event) => event.usage }),
  })),
  member('RunCompleted', 'Terminal: the run succeeded.', (t) => ({
    output: t.field({ type: 'JSON', nullable: true, resolve: (event) => event.output ?? null }),
    text: t.exposeString('text'),
    usage: t.field({ type: UsageRef, nullable: true, resolve: (event) => event.usage }),
  })),
  member('RunFailed', 'Terminal: the run failed; `code` is stable (docs/errors.md).', (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
    retryable: t.exposeBoolean('retryable'),
    recoverySuggestion: t.exposeString('recoverySuggestion', { nullable: true }),
    usage: t.field({ type: UsageRef, nullable: true, resolve: (event) => event.usage }),
  })),
  member('RunCancelled', 'Terminal: the run was cancelled.', (t) => ({
    reason: t.exposeString('reason', { nullable: true }),
    usage: t.field({ type: UsageRef, nullable: true, resolve: (event) => event.usage }),
  })),
  member('Heartbeat', 'Live only, while the upstream is silent: never stored; repeats the last sequence.'),
  member('CustomEvent', 'Anything the upstream sends that has no better home.', (t) => ({
    name: t.exposeString('name'),
    value: t.field({ type: 'JSON', nullable: true, resolve: (event) => event.value ?? null }),
  })),
];

export const AgentEventUnion = builder.unionType('AgentEvent', {
  description: 'Everything that happens in a workflow, in `sequence` order.',
  types: members,
  resolveType: (event) => event.type,
});
