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
import { asRecord, count, isRecord, parseJsonFrame, textOf, type JsonObject } from './shared/json-frame.js';
import { ToolCallTracker } from './shared/tool-calls.js';
import { Transcript } from './shared/transcript.js';
import { conversationOf } from './conversation.js';
import type { DialectResume, DialectRunContext } from './types.js';

/**
 * The Vercel AI SDK UI message stream (`x-vercel-ai-ui-message-stream: v1`), as a route built
 * with `toUIMessageStreamResponse()` answers `useChat`: POST `{id, messages: UIMessage[]}`,
 * SSE `data: {"type": …}` chunks ending with `finish` and `data: [DONE]`.
 */
export const aiSdkDialect = defineHttpDialect('ai-sdk', {
  request: (context) => ({
    url: context.agent.url!,
    reader: 'sse',
    // after a pause the next request carries the paused assistant message with its approval
    // responses, as useChat sends it after addToolApprovalResponse (docs/human-in-the-loop.md)
    body: {
      id: context.threadId,
      messages: context.resume ? [...toUiMessages(context), approvedMessage(context.resume)] : toUiMessages(context),
      trigger: 'submit-message',
    },
  }),
  createMapper: (context) => new AiSdkMapper((state) => context.pause?.(state)),
});

/** What the dialect keeps across a pause: the assistant message as the client holds it. */
interface AiSdkPauseState {
  message: { id: string; role: 'assistant'; parts: JsonObject[] };
}

/**
 * The paused assistant message with each approval answered: `approval-responded` with
 * `approval: { id, approved, reason }` (AI SDK 6's `addToolApprovalResponse`); edited arguments
 * replace the part's `input`.
 */
function approvedMessage(resume: DialectResume): AiSdkPauseState['message'] {
  const state = resume.state as AiSdkPauseState;
  const byApproval = new Map(resume.answers.map((answer) => [answer.request.interruptId, answer]));
  return {
    ...state.message,
    parts: state.message.parts.map((part) => {
      const approval = asRecord(part.approval);
      const answer = part.state === 'approval-requested' ? byApproval.get(String(approval.id)) : undefined;
      if (!answer) return part;
      const approved = answer.decision === 'APPROVE';
      const edited = approved && isRecord(answer.arguments) ? { input: answer.arguments } : {};
      return {
        ...part,
        ...edited,
        state: 'approval-responded',
        approval: { ...approval, approved, ...(answer.comment ? { reason: answer.comment } : {}) },
      };
    }),
  };
}

function toUiMessages(context: DialectRunContext): Record<string, unknown>[] {
  const messages: { id: string; role: string; parts: Record<string, unknown>[] }[] = [];
  const results = new Map<string, { content: string; isError: boolean }>();
  const conversation = conversationOf(context);
  for (const message of conversation) if (message.role === 'tool') results.set(message.toolCallId, message);
  conversation.forEach((message, index) => {
    const id = `${context.workflowId}-${index}`;
    if (message.role === 'tool') return; // carried by the assistant's tool part
    if (message.role !== 'assistant') {
      messages.push({ id, role: message.role, parts: [{ type: 'text', text: message.content }] });
      return;
    }
    const parts: Record<string, unknown>[] = message.toolCalls.map((call) => {
      const result = results.get(call.id);
      return {
        type: 'dynamic-tool',
        toolName: call.name,
        toolCallId: call.id,
        input: call.arguments,
        ...(result === undefined
          ? { state: 'input-available' }
          : result.isError
            ? { state: 'output-error', errorText: result.content }
            : { state: 'output-available', output: parseMaybeJson(result.content) }),
      };
    });
    if (message.content) parts.push({ type: 'text', text: message.content });
    messages.push({ id, role: 'assistant', parts });
  });
  return messages;
}

class AiSdkMapper implements FrameMapper {
  private readonly transcript = new Transcript();
  private readonly tools = new ToolCallTracker();
  private usage: Usage | null = null;
  private step = 0;
  /** The assistant message being streamed, as a client's `readUIMessageStream` builds it (kept for a pause). */
  private messageId = 'assistant';
  private readonly parts: JsonObject[] = [];
  private readonly textParts = new Map<string, { type: string; text: string; state: string }>();
  private approvals = 0;

  constructor(private readonly onPause: (state: AiSdkPauseState) => void = () => {}) {}

  /** The stream finished with tool approvals pending: the run pauses (no RunCompleted). */
  paused(): boolean {
    return this.approvals > 0;
  }

  private toolPart(toolCallId: string): JsonObject | undefined {
    return this.parts.find((part) => part.toolCallId === toolCallId);
  }

  /** Mirrors the chunk into the message parts a client would hold. */
  private record(type: string, chunk: JsonObject): void {
    switch (type) {
      case 'start':
        if (typeof chunk.messageId === 'string') this.messageId = chunk.messageId;
        break;
      case 'start-step':
        this.parts.push({ type: 'step-start' });
        break;
      case 'text-start': {
        const part = { type: 'text', text: '', state: 'done' };
        this.textParts.set(textOf(chunk.id, 'text'), part);
        this.parts.push(part);
        break;
      }
      case 'text-delta': {
        const part = this.textParts.get(textOf(chunk.id, 'text'));
        if (part) part.text += textOf(chunk.delta, '');
        break;
      }
      case 'tool-input-available': {
        const name = textOf(chunk.toolName, '');
        const part = this.toolPart(String(chunk.toolCallId)) ?? {};
        Object.assign(
          part,
          chunk.dynamic === true ? { type: 'dynamic-tool', toolName: name } : { type: `tool-${name}` },
          {
            toolCallId: String(chunk.toolCallId),
            state: 'input-available',
            input: chunk.input ?? {},
          },
        );
        if (!this.parts.includes(part)) this.parts.push(part);
        break;
      }
      case 'tool-approval-request': {
        const part = this.toolPart(String(chunk.toolCallId));
        if (part) Object.assign(part, { state: 'approval-requested', approval: { id: String(chunk.approvalId) } });
        this.approvals += 1;
        break;
      }
      case 'tool-output-available': {
        const part = this.toolPart(String(chunk.toolCallId));
        if (part) Object.assign(part, { state: 'output-available', output: chunk.output ?? null });
        break;
      }
      default:
        break;
    }
  }

  mapInto(frame: UpstreamFrame, out: AgentEventBody[]): void {
    out.push(...this.bodiesOf(frame));
  }

  private bodiesOf(frame: UpstreamFrame): AgentEventBody[] {
    if (frame.data.trim() === '[DONE]') return [];
    const chunk = asRecord(parseJsonFrame(frame.data, 'chunk'));
    const type = textOf(chunk.type, 'unknown');
    this.record(type, chunk);
    if (type.startsWith('data-')) return [custom(type, chunk.data ?? null)];
    switch (type) {
      case 'start':
        return this.metadata(chunk.messageMetadata);
      case 'start-step':
        return [{ type: 'StepStarted', name: `step-${++this.step}` }];
      case 'finish-step':
        return [...this.tools.completeAll(), { type: 'StepFinished', name: `step-${this.step}` }];
      case 'text-start':
      case 'reasoning-start':
      case 'reasoning-end':
        return [];
      case 'text-delta':
        return this.transcript.delta(textOf(chunk.id, 'text'), textOf(chunk.delta, ''));
      case 'text-end':
        return this.transcript.complete(textOf(chunk.id, 'text'));
      case 'reasoning-delta':
        return chunk.delta ? [{ type: 'ReasoningDelta', delta: textOf(chunk.delta) }] : [];
      case 'tool-input-start':
        return this.tools.start(String(chunk.toolCallId), String(chunk.toolCallId), textOf(chunk.toolName, ''));
      case 'tool-input-delta':
        return this.tools.delta(String(chunk.toolCallId), textOf(chunk.inputTextDelta, ''));
      case 'tool-input-available':
      case 'tool-input-error': {
        const id = String(chunk.toolCallId);
        const events = [
          ...this.tools.start(id, id, textOf(chunk.toolName, '')),
          ...this.tools.complete(id, chunk.input ?? {}),
        ];
        if (type === 'tool-input-error')
          events.push({
            type: 'ToolResult',
            toolCallId: id,
            result: { error: textOf(chunk.errorText, '') },
            isError: true,
          });
        return events;
      }
      case 'tool-output-available':
        return [
          ...this.tools.complete(String(chunk.toolCallId)),
          { type: 'ToolResult', toolCallId: String(chunk.toolCallId), result: chunk.output ?? null, isError: false },
        ];
      case 'tool-output-error':
        return [
          ...this.tools.complete(String(chunk.toolCallId)),
          {
            type: 'ToolResult',
            toolCallId: String(chunk.toolCallId),
            result: { error: textOf(chunk.errorText, '') },
            isError: true,
          },
        ];
      case 'tool-approval-request':
        return this.approvalRequest(chunk);
      case 'message-metadata':
        return this.metadata(chunk.messageMetadata);
      case 'finish':
        if (this.approvals > 0) {
          this.onPause({ message: { id: this.messageId, role: 'assistant', parts: this.parts } });
          return [
            ...this.metadata(chunk.messageMetadata),
            ...this.tools.completeAll(),
            ...this.transcript.completeAll(),
          ];
        }
        return [
          ...this.metadata(chunk.messageMetadata),
          ...this.tools.completeAll(),
          ...this.transcript.completeAll(),
          runCompleted(this.transcript.text, this.transcript.text, this.usage),
        ];
      case 'error':
        return [...this.transcript.completeAll(), upstreamFailed(textOf(chunk.errorText, 'unknown error'), this.usage)];
      case 'abort':
        return [
          ...this.transcript.completeAll(),
          upstreamFailed('the upstream aborted the stream', this.usage, { retryable: true }),
        ];
      default:
        return [custom(type, chunk)];
    }
  }

  /** AI SDK 6 `tool-approval-request`: the call named by `toolCallId` waits for a person (TOOL_APPROVAL). */
  private approvalRequest(chunk: JsonObject): AgentEventBody[] {
    const toolCallId = typeof chunk.toolCallId === 'string' ? chunk.toolCallId : null;
    const call = toolCallId ? this.tools.call(toolCallId) : undefined;
    return [
      interruptRequested({
        interruptId: String(chunk.approvalId ?? chunk.toolCallId),
        kind: 'TOOL_APPROVAL',
        toolCallId,
        tool: call?.name ?? null,
        arguments: call?.arguments ?? null,
        value: chunk,
      }),
    ];
  }

  /**
   * Message metadata is the app's own; a `usage` / `totalUsage` in it (what `messageMetadata`
   * callbacks usually send from `finish`) is read as the run's cumulative usage.
   */
  private metadata(metadata: unknown): AgentEventBody[] {
    if (!isRecord(metadata)) return [];
    const raw = metadata.totalUsage ?? metadata.usage;
    if (!isRecord(raw)) return [custom('message-metadata', metadata)];
    this.usage = makeUsage({
      inputTokens: count(raw.inputTokens),
      outputTokens: count(raw.outputTokens),
      totalTokens: count(raw.totalTokens),
      // AI SDK 6 puts the breakdowns in *TokenDetails (the top-level names are its deprecated copies)
      reasoningTokens: count(raw.reasoningTokens) ?? count(asRecord(raw.outputTokenDetails).reasoningTokens),
      cachedInputTokens: count(raw.cachedInputTokens) ?? count(asRecord(raw.inputTokenDetails).cacheReadTokens),
    });
    return [usageUpdated(this.usage)];
  }
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
