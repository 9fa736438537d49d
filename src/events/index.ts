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
// The run failure codes belong to the error family (src/errors/codes.ts); RunFailed.code carries them.
export { RunErrorCode, RUN_ERROR_CODES } from '../errors/index.js';
export { TextParts } from './text-parts.js';
