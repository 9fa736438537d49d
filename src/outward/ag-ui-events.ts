import type { AgentEvent, Usage } from '../events/index.js';

/**
 * One AG-UI 1.0 event as `@ag-ui/core` defines it (a `type` plus that type's fields). Kept as a
 * plain record here: the encoder writes it as JSON, and the tests validate every one against
 * `@ag-ui/core`'s own schemas.
 */
export interface AgUiEvent {
  type: string;
  [field: string]: unknown;
}

/** An AG-UI event and the workflow sequence of the stored event it comes from (its SSE `id`). */
export interface AgUiFrame {
  sequence: number;
  event: AgUiEvent;
}

export interface AgUiRunIds {
  /** The workflow's thread. */
  threadId: string;
  /** The workflow id (AG-UI's runId). */
  runId: string;
}

/**
 * The mirror image of a dialect: Synapse's event union out as AG-UI 1.0 events (docs/outward.md
 * has the table). Stateful per stream, because AG-UI brackets what Synapse streams flat: text
 * between TEXT_MESSAGE_START / END, reasoning between REASONING_START / END, tool-call arguments
 * between TOOL_CALL_START / END. The mapping is a pure function of the event sequence, so a
 * resumed stream rebuilds the same state by mapping the events before its cursor too.
 * Nothing is dropped: members AG-UI has no event for become CUSTOM events named `synapse.<Member>`.
 */
export class AgUiEventMapper {
  private openText: string | null = null;
  private openReasoning: string | null = null;
  private reasoningCount = 0;
  /** Tool calls whose TOOL_CALL_START went out, and whether their TOOL_CALL_END did too. */
  private readonly toolCalls = new Map<string, { ended: boolean }>();
  private lastUsage: Usage | null = null;
  /** Interrupts asked and not yet answered, in the order asked (AG-UI's `Interrupt` shape). */
  private readonly openInterrupts = new Map<string, Record<string, unknown>>();

  constructor(private readonly ids: AgUiRunIds) {}

  /** True while an interrupt is open: the workflow is about to pause, or has (docs/outward.md). */
  hasOpenInterrupts(): boolean {
    return this.openInterrupts.size > 0;
  }

  /**
   * How an AG-UI run ends when the workflow paused for a person: open brackets closed, then
   * `RUN_FINISHED` with the interrupt outcome listing every open interrupt. The next run of the
   * thread answers them with `resume` entries.
   */
  finishPaused(at: number = Date.now()): AgUiEvent[] {
    const out: AgUiEvent[] = [];
    const emit = (body: AgUiEvent) => {
      body.timestamp = at;
      out.push(body);
    };
    this.closeAll(emit);
    emit({
      type: 'RUN_FINISHED',
      threadId: this.ids.threadId,
      runId: this.ids.runId,
      outcome: { type: 'interrupt', interrupts: [...this.openInterrupts.values()] },
      ...usageField(this.lastUsage),
    });
    return out;
  }

  map(event: AgentEvent): AgUiEvent[] {
    const timestamp = Date.parse(event.at);
    const out: AgUiEvent[] = [];
    // Each body is a fresh literal: stamped in place rather than copied, once per frame.
    const emit = (body: AgUiEvent) => {
      if (!Number.isNaN(timestamp)) body.timestamp = timestamp;
      out.push(body);
    };
    switch (event.type) {
      case 'RunStarted':
        emit({ type: 'RUN_STARTED', threadId: this.ids.threadId, runId: this.ids.runId });
        break;
      case 'TextDelta':
        this.closeReasoning(emit);
        if (this.openText !== event.messageId) {
          this.closeText(emit);
          emit({ type: 'TEXT_MESSAGE_START', messageId: event.messageId, role: 'assistant' });
          this.openText = event.messageId;
        }
        if (event.delta.length > 0)
          emit({ type: 'TEXT_MESSAGE_CONTENT', messageId: event.messageId, delta: event.delta });
        break;
      case 'MessageCompleted':
        this.closeReasoning(emit);
        if (this.openText === event.messageId) {
          this.closeText(emit);
        } else {
          // A whole message without deltas (some upstreams send only the final text).
          this.closeText(emit);
          emit({ type: 'TEXT_MESSAGE_START', messageId: event.messageId, role: textRole(event.role) });
          if (event.text.length > 0)
            emit({ type: 'TEXT_MESSAGE_CONTENT', messageId: event.messageId, delta: event.text });
          emit({ type: 'TEXT_MESSAGE_END', messageId: event.messageId });
        }
        break;
      case 'ReasoningDelta':
        this.closeText(emit);
        if (this.openReasoning === null) {
          this.openReasoning = `${this.ids.runId}:reasoning-${++this.reasoningCount}`;
          emit({ type: 'REASONING_START', messageId: this.openReasoning });
          emit({ type: 'REASONING_MESSAGE_START', messageId: this.openReasoning, role: 'reasoning' });
        }
        if (event.delta.length > 0)
          emit({ type: 'REASONING_MESSAGE_CONTENT', messageId: this.openReasoning, delta: event.delta });
        break;
      case 'ReasoningStep': {
        // A discrete thinking step: one whole reasoning message, its title as the text.
        this.closeOpen(emit);
        const messageId = `${this.ids.runId}:reasoning-${++this.reasoningCount}`;
        const detail =
          event.detail === undefined || event.detail === null ? {} : { metadata: { detail: event.detail } };
        emit({ type: 'REASONING_START', messageId });
        emit({ type: 'REASONING_MESSAGE_START', messageId, role: 'reasoning' });
        if (event.title.length > 0)
          emit({ type: 'REASONING_MESSAGE_CONTENT', messageId, delta: event.title, ...detail });
        emit({ type: 'REASONING_MESSAGE_END', messageId });
        emit({ type: 'REASONING_END', messageId });
        break;
      }
      case 'ToolCallStarted':
        this.closeOpen(emit);
        this.toolCalls.set(event.toolCallId, { ended: false });
        emit({ type: 'TOOL_CALL_START', toolCallId: event.toolCallId, toolCallName: event.toolName });
        break;
      case 'ToolCallArgsDelta':
        if (!this.toolCalls.has(event.toolCallId)) {
          // Arguments of a call whose start Synapse never saw: AG-UI needs the bracket.
          this.closeOpen(emit);
          this.toolCalls.set(event.toolCallId, { ended: false });
          emit({ type: 'TOOL_CALL_START', toolCallId: event.toolCallId, toolCallName: 'unknown' });
        }
        emit({ type: 'TOOL_CALL_ARGS', toolCallId: event.toolCallId, delta: event.delta });
        break;
      case 'ToolCallCompleted': {
        const call = this.toolCalls.get(event.toolCallId);
        if (!call) {
          this.closeOpen(emit);
          emit({ type: 'TOOL_CALL_START', toolCallId: event.toolCallId, toolCallName: event.toolName });
          emit({ type: 'TOOL_CALL_ARGS', toolCallId: event.toolCallId, delta: JSON.stringify(event.arguments ?? {}) });
          this.toolCalls.set(event.toolCallId, { ended: true });
          emit({ type: 'TOOL_CALL_END', toolCallId: event.toolCallId });
        } else if (!call.ended) {
          call.ended = true;
          emit({ type: 'TOOL_CALL_END', toolCallId: event.toolCallId });
        }
        break;
      }
      case 'ToolResult':
        this.closeOpen(emit);
        this.endToolCall(event.toolCallId, emit);
        emit({
          type: 'TOOL_CALL_RESULT',
          messageId: `${event.toolCallId}:result`,
          toolCallId: event.toolCallId,
          content: typeof event.result === 'string' ? event.result : JSON.stringify(event.result ?? null),
          role: 'tool',
          ...(event.isError ? { metadata: { isError: true } } : {}),
        });
        break;
      case 'StepStarted':
        this.closeOpen(emit);
        emit({ type: 'STEP_STARTED', stepName: event.name });
        break;
      case 'StepFinished':
        this.closeOpen(emit);
        emit({ type: 'STEP_FINISHED', stepName: event.name });
        break;
      case 'StateSnapshot':
        emit({ type: 'STATE_SNAPSHOT', snapshot: event.state ?? {} });
        break;
      case 'StateDelta':
        emit({ type: 'STATE_DELTA', delta: event.patch });
        break;
      case 'UsageUpdated':
        this.lastUsage = event.usage;
        emit(custom('UsageUpdated', { usage: event.usage }));
        break;
      case 'RunCompleted':
        this.closeAll(emit);
        emit({
          type: 'RUN_FINISHED',
          threadId: this.ids.threadId,
          runId: this.ids.runId,
          result: event.output ?? event.text,
          outcome: { type: 'success' },
          ...usageField(event.usage ?? this.lastUsage),
        });
        break;
      case 'RunCancelled':
        this.closeAll(emit);
        emit({
          type: 'RUN_FINISHED',
          threadId: this.ids.threadId,
          runId: this.ids.runId,
          outcome: { type: 'cancelled' },
          ...(event.reason ? { metadata: { reason: event.reason } } : {}),
          ...usageField(event.usage ?? this.lastUsage),
        });
        break;
      case 'RunFailed':
        this.closeAll(emit);
        emit({
          type: 'RUN_ERROR',
          message: event.message,
          code: event.code,
          metadata: {
            retryable: event.retryable,
            ...(event.recoverySuggestion ? { recoverySuggestion: event.recoverySuggestion } : {}),
          },
          ...usageField(event.usage ?? this.lastUsage),
        });
        break;
      case 'InterruptRequested':
        // Said once the run pauses, as RUN_FINISHED's interrupt outcome (finishPaused).
        this.openInterrupts.set(event.interruptId, {
          id: event.interruptId,
          reason: event.kind.toLowerCase(),
          message: event.message,
          ...(event.toolCallId ? { toolCallId: event.toolCallId } : {}),
          ...(isObject(event.responseSchema) ? { responseSchema: event.responseSchema } : {}),
          ...(event.expiresAt ? { expiresAt: event.expiresAt } : {}),
          metadata: {
            kind: event.kind,
            ...(event.tool ? { tool: event.tool } : {}),
            ...(event.arguments != null ? { arguments: event.arguments } : {}),
            ...(event.value != null ? { value: event.value } : {}),
          },
        });
        break;
      case 'InterruptResolved': {
        this.openInterrupts.delete(event.interruptId);
        const { type, workflowId: _workflowId, sequence: _sequence, at: _at, ...fields } = event;
        emit(custom(type, fields));
        break;
      }
      case 'CustomEvent':
        emit({ type: 'CUSTOM', name: event.name, value: event.value ?? null });
        break;
      case 'Heartbeat':
        break; // live only: the SSE layer sends a comment line instead
      default: {
        // LogMessage, and any member added later.
        const { type, workflowId: _workflowId, sequence: _sequence, at: _at, ...fields } = event as AgentEvent;
        emit(custom(type, fields));
      }
    }
    return out;
  }

  private closeText(emit: (event: AgUiEvent) => void): void {
    if (this.openText === null) return;
    emit({ type: 'TEXT_MESSAGE_END', messageId: this.openText });
    this.openText = null;
  }

  private closeReasoning(emit: (event: AgUiEvent) => void): void {
    if (this.openReasoning === null) return;
    emit({ type: 'REASONING_MESSAGE_END', messageId: this.openReasoning });
    emit({ type: 'REASONING_END', messageId: this.openReasoning });
    this.openReasoning = null;
  }

  private endToolCall(toolCallId: string, emit: (event: AgUiEvent) => void): void {
    const call = this.toolCalls.get(toolCallId);
    if (call && !call.ended) {
      call.ended = true;
      emit({ type: 'TOOL_CALL_END', toolCallId });
    }
  }

  private closeOpen(emit: (event: AgUiEvent) => void): void {
    this.closeText(emit);
    this.closeReasoning(emit);
  }

  private closeAll(emit: (event: AgUiEvent) => void): void {
    this.closeOpen(emit);
    for (const [toolCallId] of this.toolCalls) this.endToolCall(toolCallId, emit);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function custom(member: string, value: unknown): AgUiEvent {
  return { type: 'CUSTOM', name: `synapse.${member}`, value };
}

function textRole(role: string): string {
  return role === 'developer' || role === 'system' || role === 'user' || role === 'assistant' ? role : 'assistant';
}

function usageField(usage: Usage | null): { usage?: Record<string, number>[] } {
  if (!usage) return {};
  const entry: Record<string, number> = {};
  for (const [key, value] of Object.entries(usage)) if (typeof value === 'number') entry[key] = value;
  return Object.keys(entry).length > 0 ? { usage: [entry] } : {};
}
