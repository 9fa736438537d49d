import type { StudioEventFragment, StudioUsageFragment } from '../generated/graphql.js';

export type StudioEvent = StudioEventFragment;

export interface ToolCallView {
  id: string;
  name: string;
  /** The arguments as they stream (ToolCallArgsDelta), until ToolCallCompleted gives them parsed. */
  argumentsText: string;
  arguments: unknown;
  hasArguments: boolean;
  result: unknown;
  hasResult: boolean;
  isError: boolean;
}

export interface StepView {
  name: string;
  finished: boolean;
}

export interface ReasoningView {
  title: string | null;
  text: string;
}

/** A row of the timeline: one event, or a run of deltas of the same kind folded into one. */
export interface TimelineRow {
  sequence: number;
  lastSequence: number;
  at: string;
  type: string;
  count: number;
  summary: string;
}

/** What the page shows of one workflow, folded from its events in sequence order (live or replayed). */
export interface WorkflowView {
  /**
   * `connecting` until the first event, `RUNNING` until a terminal event, `INPUT_REQUIRED` while
   * an interrupt is open (docs/human-in-the-loop.md: the stream stays open through the pause).
   */
  phase: 'connecting' | 'RUNNING' | 'INPUT_REQUIRED' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  /** Interrupts asked and not yet answered, by id. */
  openInterrupts: string[];
  agentId: string | null;
  text: string;
  reasoning: ReasoningView[];
  toolCalls: ToolCallView[];
  steps: StepView[];
  usage: StudioUsageFragment | null;
  error: string | null;
  output: unknown;
  lastSequence: number;
  timeline: TimelineRow[];
}

export const emptyView: WorkflowView = {
  phase: 'connecting',
  agentId: null,
  text: '',
  reasoning: [],
  toolCalls: [],
  steps: [],
  usage: null,
  error: null,
  output: null,
  lastSequence: 0,
  timeline: [],
  openInterrupts: [],
};

const FOLDED = new Set(['TextDelta', 'ReasoningDelta', 'ToolCallArgsDelta']);

/** Folds one event into the view; pure, so React state updates stay simple. */
export function applyEvent(view: WorkflowView, event: StudioEvent): WorkflowView {
  if (event.__typename === 'Heartbeat') return view;
  const next: WorkflowView = { ...view, phase: view.phase === 'connecting' ? 'RUNNING' : view.phase };
  if ('sequence' in event) {
    next.lastSequence = event.sequence;
    next.timeline = addToTimeline(view.timeline, event);
  }
  switch (event.__typename) {
    case 'RunStarted':
      return { ...next, agentId: event.agentId };
    case 'TextDelta':
      return { ...next, text: next.text + event.delta };
    case 'MessageCompleted':
      // The deltas already built the text; a message without deltas still shows.
      return event.role === 'assistant' && !next.text.includes(event.text)
        ? { ...next, text: next.text + event.text }
        : next;
    case 'ReasoningStep':
      return { ...next, reasoning: [...next.reasoning, { title: event.title, text: '' }] };
    case 'ReasoningDelta': {
      const reasoning = [...next.reasoning];
      const last = reasoning.at(-1);
      // Deltas after a titled step belong to it; otherwise they make an untitled paragraph.
      if (last) reasoning[reasoning.length - 1] = { ...last, text: last.text + event.delta };
      else reasoning.push({ title: null, text: event.delta });
      return { ...next, reasoning };
    }
    case 'StepStarted':
      return { ...next, steps: [...next.steps, { name: event.name, finished: false }] };
    case 'StepFinished': {
      const index = next.steps.findLastIndex((step) => step.name === event.name && !step.finished);
      const steps = [...next.steps];
      if (index >= 0) steps[index] = { name: event.name, finished: true };
      else steps.push({ name: event.name, finished: true });
      return { ...next, steps };
    }
    case 'ToolCallStarted':
      return {
        ...next,
        toolCalls: [
          ...next.toolCalls,
          {
            id: event.toolCallId ?? `call@${event.sequence}`,
            name: event.toolName,
            argumentsText: '',
            arguments: null,
            hasArguments: false,
            result: null,
            hasResult: false,
            isError: false,
          },
        ],
      };
    case 'ToolCallArgsDelta':
      return updateCall(next, event.toolCallId, (call) => ({
        ...call,
        argumentsText: call.argumentsText + event.delta,
      }));
    case 'ToolCallCompleted':
      return updateCall(
        next,
        event.toolCallId,
        (call) => ({ ...call, name: event.toolName, arguments: event.arguments, hasArguments: true }),
        event.toolName,
      );
    case 'ToolResult':
      return updateCall(next, event.toolCallId, (call) => ({
        ...call,
        result: event.result,
        hasResult: true,
        isError: event.isError,
      }));
    case 'InterruptRequested': {
      const openInterrupts = [...next.openInterrupts.filter((id) => id !== event.interruptId), event.interruptId];
      return { ...next, openInterrupts, phase: 'INPUT_REQUIRED' };
    }
    case 'InterruptResolved': {
      const openInterrupts = next.openInterrupts.filter((id) => id !== event.interruptId);
      return { ...next, openInterrupts, phase: openInterrupts.length > 0 ? 'INPUT_REQUIRED' : 'RUNNING' };
    }
    case 'UsageUpdated':
      return { ...next, usage: event.usage ?? next.usage };
    case 'RunCompleted':
      return {
        ...next,
        phase: 'SUCCEEDED',
        usage: event.usage ?? next.usage,
        output: event.output,
        text: next.text || event.text,
      };
    case 'RunFailed':
      return {
        ...next,
        phase: 'FAILED',
        usage: event.usage ?? next.usage,
        error: `${event.code}: ${event.message}${event.recoverySuggestion ? ` (${event.recoverySuggestion})` : ''}`,
      };
    case 'RunCancelled':
      return {
        ...next,
        phase: 'CANCELLED',
        usage: event.usage ?? next.usage,
        error: event.reason ? `cancelled: ${event.reason}` : 'cancelled',
      };
    default:
      return next;
  }
}

/** The call a tool event names (by id, else the last one started), updated; a call never seen is added. */
function updateCall(
  view: WorkflowView,
  id: string | null,
  update: (call: ToolCallView) => ToolCallView,
  name = 'tool',
): WorkflowView {
  let index = id === null ? view.toolCalls.length - 1 : view.toolCalls.findIndex((call) => call.id === id);
  const toolCalls = [...view.toolCalls];
  if (index < 0) {
    toolCalls.push({
      id: id ?? `call@${view.lastSequence}`,
      name,
      argumentsText: '',
      arguments: null,
      hasArguments: false,
      result: null,
      hasResult: false,
      isError: false,
    });
    index = toolCalls.length - 1;
  }
  toolCalls[index] = update(toolCalls[index]!);
  return { ...view, toolCalls };
}

function addToTimeline(
  timeline: TimelineRow[],
  event: Exclude<StudioEvent, { __typename: 'Heartbeat' }>,
): TimelineRow[] {
  const last = timeline.at(-1);
  const piece = deltaText(event);
  if (last && FOLDED.has(event.__typename) && last.type === event.__typename && piece !== null) {
    const merged = {
      ...last,
      lastSequence: event.sequence,
      count: last.count + 1,
      summary: clip(last.summary + piece),
    };
    return [...timeline.slice(0, -1), merged];
  }
  return [
    ...timeline,
    {
      sequence: event.sequence,
      lastSequence: event.sequence,
      at: event.at,
      type: event.__typename,
      count: 1,
      summary: clip(summarize(event)),
    },
  ];
}

function deltaText(event: StudioEvent): string | null {
  return event.__typename === 'TextDelta' ||
    event.__typename === 'ReasoningDelta' ||
    event.__typename === 'ToolCallArgsDelta'
    ? event.delta
    : null;
}

/** One line about an event for the timeline. */
export function summarize(event: StudioEvent): string {
  switch (event.__typename) {
    case 'RunStarted':
      return `agent ${event.agentId}`;
    case 'TextDelta':
    case 'ReasoningDelta':
    case 'ToolCallArgsDelta':
      return event.delta;
    case 'MessageCompleted':
      return `${event.role}: ${event.text}`;
    case 'ReasoningStep':
      return event.title;
    case 'StepStarted':
    case 'StepFinished':
      return event.name;
    case 'ToolCallStarted':
      return event.toolName;
    case 'ToolCallCompleted':
      return `${event.toolName}(${compactJson(event.arguments)})`;
    case 'ToolResult':
      return `${event.isError ? 'error ' : ''}${compactJson(event.result)}`;
    case 'StateSnapshot':
      return compactJson(event.state);
    case 'StateDelta':
      return compactJson(event.patch);
    case 'CustomEvent':
      return `${event.name} ${compactJson(event.value)}`;
    case 'LogMessage':
      return `${event.level}: ${event.message}`;
    case 'InterruptRequested':
      return `${event.kind.toLowerCase().replace('_', ' ')}: ${event.message}`;
    case 'InterruptResolved':
      return `${event.decision.toLowerCase()}${event.comment ? `: ${event.comment}` : ''}${event.respondedBy ? ` (by ${event.respondedBy})` : ''}`;
    case 'UsageUpdated':
      return usageText(event.usage);
    case 'RunCompleted':
      return usageText(event.usage) || 'completed';
    case 'RunFailed':
      return `${event.code}: ${event.message}`;
    case 'RunCancelled':
      return event.reason ?? 'cancelled';
    default:
      return '';
  }
}

export function usageText(usage: StudioUsageFragment | null | undefined): string {
  if (!usage) return '';
  const parts = [
    usage.inputTokens !== null ? `${usage.inputTokens} in` : null,
    usage.outputTokens !== null ? `${usage.outputTokens} out` : null,
    usage.reasoningTokens ? `${usage.reasoningTokens} reasoning` : null,
    usage.totalTokens !== null ? `${usage.totalTokens} total` : null,
  ].filter(Boolean);
  return parts.length > 0 ? `${parts.join(' · ')} tokens` : '';
}

export function compactJson(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    // A BigInt, or an object JSON cannot write (a cycle): not what a GraphQL response holds.
    return typeof value === 'bigint' ? value.toString() : '[unserialisable value]';
  }
}

function clip(text: string): string {
  return text.length > 240 ? `${text.slice(0, 239)}…` : text;
}
