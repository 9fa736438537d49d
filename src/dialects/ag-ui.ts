import { randomUUID } from 'node:crypto';
import type { AgentEventBody, Usage } from '../events/index.js';
import type { UpstreamFrame } from '../transport/frames.js';
import type { FrameMapper } from '../transport/run-upstream.js';
import {
  custom,
  interruptRequested,
  makeUsage,
  runCompleted,
  upstreamFailed,
  usageUpdated,
} from './shared/completion.js';
import { defineHttpDialect } from './shared/define-dialect.js';
import { asRecord, count, isList, isRecord, parseJsonFrame, textOf } from './shared/json-frame.js';
import { ToolCallTracker } from './shared/tool-calls.js';
import { Transcript } from './shared/transcript.js';
import { conversationOf, type ConversationMessage } from './conversation.js';
import type { DialectResume, DialectRunContext } from './types.js';

/**
 * AG-UI (what pydantic-ai, LangGraph and Mastra expose): POST a RunAgentInput, read SSE
 * `data: {"type": "…"}` events from RUN_STARTED to RUN_FINISHED or RUN_ERROR. Stateless: the
 * thread's earlier turns go in `messages`.
 */
export const agUiDialect = defineHttpDialect('ag-ui', {
  request: (context) => ({
    url: context.agent.url!,
    reader: 'sse',
    body: {
      threadId: context.threadId,
      // a resume is a new run of the thread (AG-UI 1.0), under the workflow's run
      ...(context.resume ? { runId: randomUUID(), parentRunId: context.workflowId } : { runId: context.workflowId }),
      state: {},
      messages: toAgUiMessages(context),
      tools: [],
      context: [],
      forwardedProps: {},
      // AG-UI 1.0: a paused run goes on as a new run of the thread whose `resume` entries answer
      // the interrupts (docs/human-in-the-loop.md)
      ...(context.resume ? { resume: resumeEntriesOf(context.resume) } : {}),
    },
  }),
  createMapper: (context) => new AgUiMapper((interrupts) => context.pause?.({ interrupts })),
});

/**
 * One `ResumeEntry` per answered interrupt: `resolved` with the answer as `payload` (RESPOND: the
 * value; APPROVE: `{ approved: true, arguments? }`; REJECT: `{ approved: false, reason? }`).
 */
export function resumeEntriesOf(resume: DialectResume): Record<string, unknown>[] {
  return resume.answers.map((answer) => {
    const payload =
      answer.decision === 'RESPOND'
        ? answer.value
        : answer.decision === 'APPROVE'
          ? { approved: true, ...(answer.arguments != null ? { arguments: answer.arguments } : {}) }
          : answer.decision === 'REJECT'
            ? { approved: false, ...(answer.comment ? { reason: answer.comment } : {}) }
            : undefined;
    return {
      interruptId: answer.request.interruptId,
      status: answer.decision === 'CANCEL' ? 'cancelled' : 'resolved',
      ...(payload === undefined || payload === null ? {} : { payload }),
    };
  });
}

function toAgUiMessages(context: DialectRunContext): Record<string, unknown>[] {
  return conversationOf(context).map((message: ConversationMessage, index) => {
    const id = `${context.workflowId}-${index}`;
    switch (message.role) {
      case 'assistant':
        return {
          id,
          role: 'assistant',
          content: message.content,
          ...(message.toolCalls.length > 0
            ? {
                toolCalls: message.toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function',
                  function: {
                    name: call.name,
                    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
                  },
                })),
              }
            : {}),
        };
      case 'tool':
        return { id, role: 'tool', content: message.content, toolCallId: message.toolCallId };
      default:
        return { id, role: message.role, content: message.content };
    }
  });
}

/** Events that only bracket what the content events carry. */
const BRACKETS = new Set([
  'RUN_STARTED',
  'TEXT_MESSAGE_START',
  'THINKING_END',
  'THINKING_TEXT_MESSAGE_START',
  'THINKING_TEXT_MESSAGE_END',
  'REASONING_START',
  'REASONING_END',
  'REASONING_MESSAGE_START',
  'REASONING_MESSAGE_END',
]);

class AgUiMapper implements FrameMapper {
  private readonly transcript = new Transcript();
  private readonly tools = new ToolCallTracker();
  private lastMessageId = 'message';
  private lastToolCallId: string | null = null;
  private interrupted = false;

  constructor(private readonly onPause: (interrupts: readonly string[]) => void = () => {}) {}

  /** RUN_FINISHED with an interrupt outcome: the run pauses instead of completing. */
  paused(): boolean {
    return this.interrupted;
  }

  mapInto(frame: UpstreamFrame, out: AgentEventBody[]): void {
    out.push(...this.bodiesOf(frame));
  }

  private bodiesOf(frame: UpstreamFrame): AgentEventBody[] {
    const event = asRecord(parseJsonFrame(frame.data, 'event'));
    const type = textOf(event.type ?? (frame.kind === 'sse' ? frame.event : undefined), 'UNKNOWN');
    if (BRACKETS.has(type)) return [];
    switch (type) {
      case 'TEXT_MESSAGE_CONTENT':
      case 'TEXT_MESSAGE_CHUNK':
        if (typeof event.messageId === 'string') this.lastMessageId = event.messageId;
        return this.transcript.delta(this.lastMessageId, textOf(event.delta, ''));
      case 'TEXT_MESSAGE_END':
        return this.transcript.complete(textOf(event.messageId, this.lastMessageId));
      case 'THINKING_START':
        return event.title ? [{ type: 'ReasoningStep', title: textOf(event.title), detail: null }] : [];
      case 'THINKING_TEXT_MESSAGE_CONTENT':
      case 'REASONING_MESSAGE_CONTENT':
      case 'REASONING_MESSAGE_CHUNK':
        return event.delta ? [{ type: 'ReasoningDelta', delta: textOf(event.delta) }] : [];
      case 'TOOL_CALL_START':
        return this.tools.start(String(event.toolCallId), String(event.toolCallId), textOf(event.toolCallName, ''));
      case 'TOOL_CALL_ARGS':
        return this.tools.delta(String(event.toolCallId), textOf(event.delta, ''));
      case 'TOOL_CALL_END':
        return this.tools.complete(String(event.toolCallId));
      case 'TOOL_CALL_CHUNK': {
        const id = typeof event.toolCallId === 'string' ? event.toolCallId : this.lastToolCallId;
        if (!id) return [custom('TOOL_CALL_CHUNK', event)];
        const started =
          id !== this.lastToolCallId && !this.tools.has(id)
            ? this.tools.start(id, id, textOf(event.toolCallName, ''))
            : [];
        this.lastToolCallId = id;
        return [...started, ...this.tools.delta(id, textOf(event.delta, ''))];
      }
      case 'TOOL_CALL_RESULT':
        return [
          ...this.tools.complete(String(event.toolCallId)),
          {
            type: 'ToolResult',
            toolCallId: String(event.toolCallId),
            result: parseContent(event.content),
            isError: event.isError === true,
          },
        ];
      case 'STEP_STARTED':
        return [{ type: 'StepStarted', name: textOf(event.stepName, '') }];
      case 'STEP_FINISHED':
        return [{ type: 'StepFinished', name: textOf(event.stepName, '') }];
      case 'STATE_SNAPSHOT':
        return [{ type: 'StateSnapshot', state: event.snapshot ?? null }];
      case 'STATE_DELTA':
        return isList(event.delta) && event.delta.every(isRecord)
          ? [{ type: 'StateDelta', patch: event.delta }]
          : [custom('STATE_DELTA', event)];
      case 'CUSTOM':
        return [custom(textOf(event.name, 'CUSTOM'), event.value)];
      case 'RAW':
        return [custom('ag-ui.raw', { event: event.event ?? null, source: event.source ?? null })];
      case 'RUN_FINISHED': {
        const closing = [...this.tools.completeAll(), ...this.transcript.completeAll()];
        const usage = runUsage(event.usage);
        const outcome = outcomeEvents(event.outcome, this.tools);
        const interrupts = outcome.flatMap((body) => (body.type === 'InterruptRequested' ? [body.interruptId] : []));
        if (interrupts.length > 0) {
          this.interrupted = true;
          this.onPause(interrupts);
          return [...closing, ...(usage ? [usageUpdated(usage)] : []), ...outcome];
        }
        return [
          ...closing,
          ...(usage ? [usageUpdated(usage)] : []),
          ...outcome,
          runCompleted(event.result ?? this.transcript.text, this.transcript.text, usage),
        ];
      }
      case 'RUN_ERROR': {
        const usage = runUsage(event.usage);
        const closing = [
          ...this.tools.completeAll(),
          ...this.transcript.completeAll(),
          ...(usage ? [usageUpdated(usage)] : []),
        ];
        return [
          ...closing,
          upstreamFailed(`${event.code ? `${textOf(event.code)}: ` : ''}${textOf(event.message, 'run error')}`, usage),
        ];
      }
      default:
        return [custom(type, event)];
    }
  }
}

/**
 * AG-UI 1.0 `usage` on RUN_FINISHED / RUN_ERROR: one TokenUsage per provider and model, each
 * input count already including cache reads and writes; the run's usage is their sum.
 */
function runUsage(entries: unknown): Usage | null {
  if (!isList(entries) || entries.length === 0) return null;
  const sum = (key: string) => {
    const counts = entries
      .map((entry) => count(asRecord(entry)[key]))
      .filter((value): value is number => value !== null);
    return counts.length ? counts.reduce((total, value) => total + value, 0) : null;
  };
  return makeUsage({
    inputTokens: sum('inputTokens'),
    outputTokens: sum('outputTokens'),
    totalTokens: sum('totalTokens'),
    reasoningTokens: sum('reasoningTokens'),
    cachedInputTokens: sum('cachedInputTokens'),
  });
}

/** AG-UI 1.0 RUN_FINISHED `outcome`: interrupts become InterruptRequested; a cancelled run says so. */
function outcomeEvents(outcome: unknown, tools: ToolCallTracker): AgentEventBody[] {
  if (!isRecord(outcome) || outcome.type === 'success') return [];
  if (outcome.type === 'interrupt' && isList(outcome.interrupts)) {
    return outcome.interrupts.filter(isRecord).map((interrupt) => {
      const toolCallId = typeof interrupt.toolCallId === 'string' ? interrupt.toolCallId : null;
      const call = toolCallId ? tools.call(toolCallId) : undefined;
      return interruptRequested({
        interruptId: textOf(interrupt.id, ''),
        // AG-UI 1.0: an interrupt that names a tool call asks for its approval; any other for an input
        kind: toolCallId ? 'TOOL_APPROVAL' : 'INPUT',
        toolCallId,
        tool: call?.name ?? null,
        arguments: call?.arguments ?? null,
        message:
          typeof interrupt.message === 'string'
            ? interrupt.message
            : typeof interrupt.reason === 'string'
              ? interrupt.reason
              : null,
        responseSchema: isRecord(interrupt.responseSchema) ? interrupt.responseSchema : null,
        expiresAt:
          typeof interrupt.expiresAt === 'string' && Number.isFinite(Date.parse(interrupt.expiresAt))
            ? new Date(interrupt.expiresAt).toISOString()
            : null,
        value: interrupt,
      });
    });
  }
  return [custom(`ag-ui.${textOf(outcome.type, 'outcome')}`, outcome)];
}

/** A tool message's content is a string; JSON inside it is kept as JSON. */
function parseContent(content: unknown): unknown {
  if (typeof content !== 'string') return content ?? null;
  try {
    return JSON.parse(content);
  } catch {
    return content;
  }
}
