import { z } from 'zod';
import { UsageSchema } from './usage.js';

/**
 * The canonical event model. Every upstream dialect produces `AgentEventBody` values; the bridge
 * stamps each with the envelope (`workflowId`, `sequence`, `at`) and that is an `AgentEvent`.
 *
 * `type` is the GraphQL typename of the member. A field name shared by several members has the
 * same type on every one of them (see docs/events.md), so one client operation can select it
 * through fragments on all members.
 */

const json = z.unknown();

export const LogLevelSchema = z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']);
export type LogLevel = z.infer<typeof LogLevelSchema>;

export const RunStartedBody = z.object({
  type: z.literal('RunStarted'),
  agentId: z.string(),
  input: json,
});
export const TextDeltaBody = z.object({
  type: z.literal('TextDelta'),
  messageId: z.string(),
  delta: z.string(),
});
export const MessageCompletedBody = z.object({
  type: z.literal('MessageCompleted'),
  messageId: z.string(),
  role: z.string(),
  text: z.string(),
});
export const ReasoningDeltaBody = z.object({
  type: z.literal('ReasoningDelta'),
  delta: z.string(),
});
export const ReasoningStepBody = z.object({
  type: z.literal('ReasoningStep'),
  title: z.string(),
  detail: json.optional(),
});
export const ToolCallStartedBody = z.object({
  type: z.literal('ToolCallStarted'),
  toolCallId: z.string(),
  toolName: z.string(),
});
export const ToolCallArgsDeltaBody = z.object({
  type: z.literal('ToolCallArgsDelta'),
  toolCallId: z.string(),
  delta: z.string(),
});
export const ToolCallCompletedBody = z.object({
  type: z.literal('ToolCallCompleted'),
  toolCallId: z.string(),
  toolName: z.string(),
  arguments: json,
  /** A subagent call of the agent runtime: the child workflow it runs (docs/runtime.md). */
  childWorkflowId: z.string().nullish(),
});
export const ToolResultBody = z.object({
  type: z.literal('ToolResult'),
  toolCallId: z.string(),
  result: json,
  isError: z.boolean(),
  /** A subagent call of the agent runtime: the child workflow that answered (docs/runtime.md). */
  childWorkflowId: z.string().nullish(),
});
export const StepStartedBody = z.object({
  type: z.literal('StepStarted'),
  name: z.string(),
});
export const StepFinishedBody = z.object({
  type: z.literal('StepFinished'),
  name: z.string(),
});
export const StateSnapshotBody = z.object({
  type: z.literal('StateSnapshot'),
  state: json,
});
/** `patch` holds RFC 6902 JSON Patch operations. */
export const StateDeltaBody = z.object({
  type: z.literal('StateDelta'),
  patch: z.array(z.record(z.string(), json)),
});
/** What a person is asked for (docs/human-in-the-loop.md). */
export const InterruptKindSchema = z.enum(['TOOL_APPROVAL', 'CLIENT_TOOL', 'INPUT']);
export type InterruptKind = z.infer<typeof InterruptKindSchema>;
/** How a person answers an interrupt. */
export const InterruptDecisionSchema = z.enum(['APPROVE', 'REJECT', 'RESPOND', 'CANCEL']);
export type InterruptDecision = z.infer<typeof InterruptDecisionSchema>;

/**
 * The run waits for a person. `message` is always set (the upstream's question, or one the
 * gateway writes); `tool` and `arguments` name the call to approve (TOOL_APPROVAL) or to run
 * (CLIENT_TOOL); `responseSchema` is what a RESPOND `value` must match; `expiresAt` (ISO-8601)
 * is when the run gives up waiting (the agent's `interruptTimeoutMs`). Events stored before these
 * fields existed lack `kind`, `message`, ...: readers default them (INPUT, a generic message).
 */
export const InterruptRequestedBody = z.object({
  type: z.literal('InterruptRequested'),
  interruptId: z.string(),
  kind: InterruptKindSchema,
  toolCallId: z.string().nullable(),
  tool: z.string().nullable(),
  arguments: json,
  message: z.string(),
  responseSchema: json,
  expiresAt: z.string().nullable(),
  value: json,
});
/** A person's answer to one interrupt, stored in history. `comment` is a REJECT's reason. */
export const InterruptResolvedBody = z.object({
  type: z.literal('InterruptResolved'),
  interruptId: z.string(),
  decision: InterruptDecisionSchema,
  value: json,
  arguments: json,
  comment: z.string().nullable(),
  /** The principal who answered (`apiKey:<id>`, `jwt:<sub>`, `anonymous`). */
  respondedBy: z.string().nullable(),
});
export const LogMessageBody = z.object({
  type: z.literal('LogMessage'),
  level: LogLevelSchema,
  message: z.string(),
});
/** `usage` is cumulative for the run: a later UsageUpdated replaces an earlier one. */
export const UsageUpdatedBody = z.object({
  type: z.literal('UsageUpdated'),
  usage: UsageSchema,
});
export const RunCompletedBody = z.object({
  type: z.literal('RunCompleted'),
  output: json,
  text: z.string(),
  usage: UsageSchema.nullable(),
});
export const RunFailedBody = z.object({
  type: z.literal('RunFailed'),
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
  recoverySuggestion: z.string().nullable(),
  usage: UsageSchema.nullable(),
});
export const RunCancelledBody = z.object({
  type: z.literal('RunCancelled'),
  reason: z.string().nullable(),
  usage: UsageSchema.nullable(),
});
/** Live only: never stored, and it repeats the sequence of the last stored event. */
export const HeartbeatBody = z.object({
  type: z.literal('Heartbeat'),
});
export const CustomEventBody = z.object({
  type: z.literal('CustomEvent'),
  name: z.string(),
  value: json,
});

export const AgentEventBodySchema = z.discriminatedUnion('type', [
  RunStartedBody,
  TextDeltaBody,
  MessageCompletedBody,
  ReasoningDeltaBody,
  ReasoningStepBody,
  ToolCallStartedBody,
  ToolCallArgsDeltaBody,
  ToolCallCompletedBody,
  ToolResultBody,
  StepStartedBody,
  StepFinishedBody,
  StateSnapshotBody,
  StateDeltaBody,
  InterruptRequestedBody,
  InterruptResolvedBody,
  LogMessageBody,
  UsageUpdatedBody,
  RunCompletedBody,
  RunFailedBody,
  RunCancelledBody,
  HeartbeatBody,
  CustomEventBody,
]);
export type AgentEventBody = z.infer<typeof AgentEventBodySchema>;
export type AgentEventType = AgentEventBody['type'];

/** The fields every stored or streamed event carries (the GraphQL `StreamEvent` interface). */
export const EventEnvelopeSchema = z.object({
  workflowId: z.string(),
  sequence: z.number().int().nonnegative(),
  at: z.iso.datetime(),
});
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;

export const AgentEventSchema = AgentEventBodySchema.and(EventEnvelopeSchema);
export type AgentEvent = AgentEventBody & EventEnvelope;

/** The member of the union for a given `type`. */
export type AgentEventOf<T extends AgentEventType> = Extract<AgentEvent, { type: T }>;
export type AgentEventBodyOf<T extends AgentEventType> = Extract<AgentEventBody, { type: T }>;

export const AGENT_EVENT_TYPES = AgentEventBodySchema.options.map(
  (option) => option.shape.type.value,
) as readonly AgentEventType[];

export const TERMINAL_EVENT_TYPES = ['RunCompleted', 'RunFailed', 'RunCancelled'] as const;
export type TerminalEventBody = AgentEventBodyOf<(typeof TERMINAL_EVENT_TYPES)[number]>;

export function isTerminal(event: { type: AgentEventType }): boolean {
  return event.type === 'RunCompleted' || event.type === 'RunFailed' || event.type === 'RunCancelled';
}
