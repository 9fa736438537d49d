import type { AgentEvent, Usage } from '../events/index.js';

/** One chunk of the AI SDK UI message stream (`ai` 6's `uiMessageChunkSchema`). */
export interface UiMessageChunk {
  type: string;
  [field: string]: unknown;
}

export interface AiSdkStreamIds {
  /** The chat (the workflow's thread). */
  chatId: string;
  /** The workflow id: the assistant message's id. */
  workflowId: string;
}

/**
 * The mirror image of a dialect: Synapse's event union out as the AI SDK's UI message stream
 * (docs/outward.md has the table). Stateful per stream for the start / end brackets of text and
 * reasoning parts; a pure function of the event sequence, so a replayed stream maps the same.
 * Synapse's tools are not the client's tools, so tool parts are `dynamic`. Members the stream
 * has no chunk for become `data-synapse-<member>` parts; nothing is dropped.
 */
export class AiSdkChunkMapper {
  private openText: string | null = null;
  private openReasoning: string | null = null;
  private reasoningCount = 0;
  private lastUsage: Usage | null = null;
  /** Interrupts asked and not yet answered. */
  private readonly openInterrupts = new Set<string>();

  constructor(private readonly ids: AiSdkStreamIds) {}

  /** True while an interrupt is open: the workflow is about to pause, or has (docs/outward.md). */
  hasOpenInterrupts(): boolean {
    return this.openInterrupts.size > 0;
  }

  /**
   * How the stream ends when the workflow paused for a person: open parts closed, then `finish`
   * (`finishReason: "tool-calls"`, `messageMetadata.status: "INPUT_REQUIRED"`). The client's next
   * request carries the approval responses.
   */
  finishPaused(): UiMessageChunk[] {
    const out: UiMessageChunk[] = [];
    this.closeOpen((chunk) => out.push(chunk));
    out.push({
      type: 'finish',
      finishReason: 'tool-calls',
      messageMetadata: this.finalMetadata(null, {
        status: 'INPUT_REQUIRED',
        pendingInterrupts: [...this.openInterrupts],
      }),
    });
    return out;
  }

  map(event: AgentEvent): UiMessageChunk[] {
    const out: UiMessageChunk[] = [];
    const emit = (chunk: UiMessageChunk) => out.push(chunk);
    switch (event.type) {
      case 'RunStarted':
        emit({
          type: 'start',
          messageId: this.ids.workflowId,
          messageMetadata: { workflowId: this.ids.workflowId, threadId: this.ids.chatId, agentId: event.agentId },
        });
        break;
      case 'StepStarted':
        this.closeOpen(emit);
        emit({ type: 'start-step' });
        break;
      case 'StepFinished':
        this.closeOpen(emit);
        emit({ type: 'finish-step' });
        break;
      case 'TextDelta':
        this.closeReasoning(emit);
        if (this.openText !== event.messageId) {
          this.closeText(emit);
          emit({ type: 'text-start', id: event.messageId });
          this.openText = event.messageId;
        }
        if (event.delta.length > 0) emit({ type: 'text-delta', id: event.messageId, delta: event.delta });
        break;
      case 'MessageCompleted':
        this.closeReasoning(emit);
        if (this.openText === event.messageId) {
          this.closeText(emit);
        } else {
          this.closeText(emit);
          emit({ type: 'text-start', id: event.messageId });
          if (event.text.length > 0) emit({ type: 'text-delta', id: event.messageId, delta: event.text });
          emit({ type: 'text-end', id: event.messageId });
        }
        break;
      case 'ReasoningDelta':
        this.closeText(emit);
        if (this.openReasoning === null) {
          this.openReasoning = `reasoning-${++this.reasoningCount}`;
          emit({ type: 'reasoning-start', id: this.openReasoning });
        }
        if (event.delta.length > 0) emit({ type: 'reasoning-delta', id: this.openReasoning, delta: event.delta });
        break;
      case 'ReasoningStep': {
        this.closeOpen(emit);
        const id = `reasoning-${++this.reasoningCount}`;
        emit({ type: 'reasoning-start', id });
        if (event.title.length > 0) emit({ type: 'reasoning-delta', id, delta: event.title });
        emit({ type: 'reasoning-end', id });
        break;
      }
      case 'ToolCallStarted':
        this.closeOpen(emit);
        emit({ type: 'tool-input-start', toolCallId: event.toolCallId, toolName: event.toolName, dynamic: true });
        break;
      case 'ToolCallArgsDelta':
        emit({ type: 'tool-input-delta', toolCallId: event.toolCallId, inputTextDelta: event.delta });
        break;
      case 'ToolCallCompleted':
        this.closeOpen(emit);
        emit({
          type: 'tool-input-available',
          toolCallId: event.toolCallId,
          toolName: event.toolName,
          input: event.arguments ?? {},
          dynamic: true,
        });
        break;
      case 'ToolResult':
        this.closeOpen(emit);
        emit(
          event.isError
            ? {
                type: 'tool-output-error',
                toolCallId: event.toolCallId,
                errorText: typeof event.result === 'string' ? event.result : JSON.stringify(event.result ?? null),
                dynamic: true,
              }
            : {
                type: 'tool-output-available',
                toolCallId: event.toolCallId,
                output: event.result ?? null,
                dynamic: true,
              },
        );
        break;
      case 'UsageUpdated':
        this.lastUsage = event.usage;
        emit({ type: 'message-metadata', messageMetadata: { usage: event.usage } });
        break;
      case 'RunCompleted':
        this.closeOpen(emit);
        emit({
          type: 'finish',
          finishReason: 'stop',
          messageMetadata: this.finalMetadata(event.usage, { status: 'SUCCEEDED' }),
        });
        break;
      case 'RunFailed':
        this.closeOpen(emit);
        emit({ type: 'error', errorText: `${event.code}: ${event.message}` });
        emit({
          type: 'finish',
          finishReason: 'error',
          messageMetadata: this.finalMetadata(event.usage, {
            status: 'FAILED',
            error: { code: event.code, message: event.message, retryable: event.retryable },
          }),
        });
        break;
      case 'RunCancelled':
        this.closeOpen(emit);
        emit({ type: 'abort', ...(event.reason ? { reason: event.reason } : {}) });
        emit({ type: 'finish', messageMetadata: this.finalMetadata(event.usage, { status: 'CANCELLED' }) });
        break;
      case 'InterruptRequested':
        this.openInterrupts.add(event.interruptId);
        this.closeOpen(emit);
        if (event.kind === 'TOOL_APPROVAL' && event.toolCallId) {
          // AI SDK 6's own approval: useChat's addToolApprovalResponse answers it.
          emit({ type: 'tool-approval-request', approvalId: event.interruptId, toolCallId: event.toolCallId });
        } else {
          emit(dataPart(this.ids.workflowId, event));
        }
        break;
      case 'InterruptResolved':
        this.openInterrupts.delete(event.interruptId);
        emit(dataPart(this.ids.workflowId, event));
        break;
      case 'Heartbeat':
        break;
      default: {
        // StateSnapshot, StateDelta, LogMessage, CustomEvent, and any later member.
        emit(dataPart(this.ids.workflowId, event));
      }
    }
    return out;
  }

  private finalMetadata(usage: Usage | null, extra: Record<string, unknown>): Record<string, unknown> {
    return { workflowId: this.ids.workflowId, threadId: this.ids.chatId, usage: usage ?? this.lastUsage, ...extra };
  }

  private closeText(emit: (chunk: UiMessageChunk) => void): void {
    if (this.openText === null) return;
    emit({ type: 'text-end', id: this.openText });
    this.openText = null;
  }

  private closeReasoning(emit: (chunk: UiMessageChunk) => void): void {
    if (this.openReasoning === null) return;
    emit({ type: 'reasoning-end', id: this.openReasoning });
    this.openReasoning = null;
  }

  private closeOpen(emit: (chunk: UiMessageChunk) => void): void {
    this.closeText(emit);
    this.closeReasoning(emit);
  }
}

/** A member the stream has no chunk for, as `data-synapse-<member>` with its fields. */
function dataPart(workflowId: string, event: AgentEvent): UiMessageChunk {
  const { type, workflowId: _workflowId, sequence, at: _at, ...fields } = event;
  return { type: `data-synapse-${kebab(type)}`, id: `${workflowId}:${sequence}`, data: fields };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter, index: number) => `${index === 0 ? '' : '-'}${letter.toLowerCase()}`);
}
