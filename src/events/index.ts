export {
  AgentEventBodySchema,
  AgentEventSchema,
  EventEnvelopeSchema,
  LogLevelSchema,
  InterruptKindSchema,
  InterruptDecisionSchema,
  AGENT_EVENT_TYPES,
  TERMINAL_EVENT_TYPES,
  isTerminal,
} from './agent-event.js';
export type {
  AgentEvent,
  AgentEventBody,
  AgentEventBodyOf,
  AgentEventOf,
  AgentEventType,
  EventEnvelope,
  InterruptDecision,
  InterruptKind,
  LogLevel,
  TerminalEventBody,
} from './agent-event.js';
export { UsageSchema, makeUsage } from './usage.js';
export type { Usage } from './usage.js';
export { RunErrorCode, RUN_ERROR_CODES } from './error-codes.js';
export { TextParts } from './text-parts.js';
