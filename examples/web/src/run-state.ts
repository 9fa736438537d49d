import type { StreamedEventFragment } from '../../generated/graphql.js';

export interface ToolCallView {
  id: string;
  name: string;
  arguments: unknown;
  result?: unknown;
  isError?: boolean;
}

/** What the page shows of one live run, folded from its events in sequence order. */
export interface RunView {
  workflowId: string | null;
  status: 'idle' | 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  text: string;
  reasoning: string[];
  toolCalls: ToolCallView[];
  error: string | null;
  totalTokens: number | null;
  lastSequence: number;
}

export const idleRun: RunView = {
  workflowId: null,
  status: 'idle',
  text: '',
  reasoning: [],
  toolCalls: [],
  error: null,
  totalTokens: null,
  lastSequence: 0,
};

/** Folds one event into the view; the switch is exhaustive over what the operation selects. */
export function applyEvent(view: RunView, event: StreamedEventFragment): RunView {
  const next = { ...view, status: view.status === 'starting' ? ('running' as const) : view.status };
  if ('sequence' in event) next.lastSequence = event.sequence;
  switch (event.__typename) {
    case 'TextDelta':
      return { ...next, text: next.text + event.delta };
    case 'ReasoningStep':
      return { ...next, reasoning: [...next.reasoning, event.title] };
    case 'ReasoningDelta': {
      const reasoning = [...next.reasoning];
      reasoning[Math.max(reasoning.length - 1, 0)] = (reasoning.at(-1) ?? '') + event.delta;
      return { ...next, reasoning };
    }
    case 'ToolCallStarted':
      return {
        ...next,
        toolCalls: [
          ...next.toolCalls,
          { id: event.toolCallId ?? `call_${event.sequence}`, name: event.toolName, arguments: null },
        ],
      };
    case 'ToolCallCompleted':
      return {
        ...next,
        toolCalls: next.toolCalls.map((call) =>
          call.id === event.toolCallId ? { ...call, arguments: event.arguments } : call,
        ),
      };
    case 'ToolResult':
      return {
        ...next,
        toolCalls: next.toolCalls.map((call) =>
          call.id === event.toolCallId ? { ...call, result: event.result, isError: event.isError } : call,
        ),
      };
    case 'UsageUpdated':
      return { ...next, totalTokens: event.usage?.totalTokens ?? next.totalTokens };
    case 'RunCompleted':
      return { ...next, status: 'succeeded', totalTokens: event.usage?.totalTokens ?? next.totalTokens };
    case 'RunFailed':
      return { ...next, status: 'failed', error: `${event.code}: ${event.message}` };
    case 'RunCancelled':
      return { ...next, status: 'cancelled', error: event.reason ? `cancelled: ${event.reason}` : 'cancelled' };
    default:
      return next;
  }
}
