import type { AgentEvent } from '../events/index.js';

/** One tool call of a workflow, folded from its ToolCall* and ToolResult events. */
export interface ToolCallView {
  id: string;
  toolName: string;
  arguments: unknown;
  result: unknown;
  isError: boolean;
  status: 'STARTED' | 'CALLED' | 'SUCCEEDED' | 'FAILED';
  startedAt: string | null;
  finishedAt: string | null;
}

/** The event types `toolCallsFromEvents` reads; a batch loader fetches only these. */
export const TOOL_CALL_EVENT_TYPES = ['ToolCallStarted', 'ToolCallCompleted', 'ToolResult'] as const;

/** Folds a workflow's events, in order, into its tool calls, in the order they started. */
export function toolCallsFromEvents(events: Iterable<AgentEvent>): ToolCallView[] {
  const calls = new Map<string, ToolCallView>();
  const callOf = (id: string, toolName: string, at: string) => {
    let call = calls.get(id);
    if (!call) {
      call = { id, toolName, arguments: null, result: null, isError: false, status: 'STARTED', startedAt: at, finishedAt: null };
      calls.set(id, call);
    }
    return call;
  };
  for (const event of events) {
    switch (event.type) {
      case 'ToolCallStarted':
        callOf(event.toolCallId, event.toolName, event.at);
        break;
      case 'ToolCallCompleted': {
        const call = callOf(event.toolCallId, event.toolName, event.at);
        call.arguments = event.arguments;
        call.status = 'CALLED';
        break;
      }
      case 'ToolResult': {
        const call = callOf(event.toolCallId, 'unknown', event.at);
        call.result = event.result;
        call.isError = event.isError;
        call.status = event.isError ? 'FAILED' : 'SUCCEEDED';
        call.finishedAt = event.at;
        break;
      }
      default:
        break;
    }
  }
  return [...calls.values()];
}
