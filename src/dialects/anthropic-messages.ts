import type { AgentEventBody, Usage } from '../events/index.js';
import type { UpstreamFrame } from '../transport/frames.js';
import type { FrameMapper } from '../transport/run-upstream.js';
import { custom, makeUsage, runCompleted, upstreamFailed, usageUpdated } from './shared/completion.js';
import { defineHttpDialect } from './shared/define-dialect.js';
import { asRecord, count, parseJsonFrame, textOf, type JsonObject } from './shared/json-frame.js';
import { ToolCallTracker } from './shared/tool-calls.js';
import { Transcript } from './shared/transcript.js';
import type { ConversationMessage } from './conversation.js';
import { instructionsOf, offeredTools, turnConversation, withModelSettings } from './shared/model-request.js';

const DEFAULT_MAX_TOKENS = 4_096;

/**
 * Anthropic Messages streaming: SSE named events `message_start`, `content_block_start|delta|stop`,
 * `message_delta`, `message_stop`, `ping`, `error`. Usage is cumulative upstream (input at
 * message_start, output growing in message_delta): each report replaces the previous one.
 */
export const anthropicMessagesDialect = defineHttpDialect('anthropic-messages', {
  request: (context) => {
    const conversation = turnConversation(context);
    const instructions = instructionsOf(context);
    const system = [
      ...(instructions ? [instructions] : []),
      ...conversation.filter((message) => message.role === 'system').map((message) => message.content),
    ];
    const tools = offeredTools(context);
    const outputSchema = context.modelTurn?.outputSchema;
    const body = {
      ...(context.agent.model ? { model: context.agent.model } : {}),
      max_tokens: DEFAULT_MAX_TOKENS,
      ...(system.length > 0 ? { system: system.join('\n\n') } : {}),
      messages: toAnthropicMessages(conversation),
      ...(tools.length > 0
        ? {
            tools: tools.map((tool) => ({
              name: tool.name,
              ...(tool.description ? { description: tool.description } : {}),
              input_schema: tool.inputSchema,
            })),
          }
        : {}),
    };
    // docs/runtime.md: modelSettings are merged in (max_tokens among them); streaming stays Synapse's.
    const merged = withModelSettings(context, body, ['messages', 'stream']);
    if (outputSchema) {
      // Structured output as @anthropic-ai/sdk sends it (GA `output_config.format`, no beta header),
      // beside what the config's own `output_config` says (`effort`).
      const settings = merged.output_config;
      merged.output_config = {
        ...(typeof settings === 'object' && settings !== null ? settings : {}),
        format: { type: 'json_schema', schema: outputSchema },
      };
    }
    return {
      url: context.agent.url!,
      reader: 'sse',
      headers: { 'anthropic-version': '2023-06-01' },
      body: { ...merged, stream: true },
    };
  },
  createMapper: () => new AnthropicMapper(),
});

/** Anthropic wants alternating turns; tool results travel in a user turn as tool_result blocks. */
export function toAnthropicMessages(conversation: ConversationMessage[]): Record<string, unknown>[] {
  const messages: { role: 'user' | 'assistant'; content: Record<string, unknown>[] }[] = [];
  const push = (role: 'user' | 'assistant', block: Record<string, unknown>) => {
    const last = messages.at(-1);
    if (last?.role === role) last.content.push(block);
    else messages.push({ role, content: [block] });
  };
  for (const message of conversation) {
    switch (message.role) {
      case 'system':
        break;
      case 'user':
        push('user', { type: 'text', text: message.content });
        break;
      case 'assistant':
        if (message.content) push('assistant', { type: 'text', text: message.content });
        for (const call of message.toolCalls)
          push('assistant', { type: 'tool_use', id: call.id, name: call.name, input: call.arguments ?? {} });
        break;
      case 'tool':
        push('user', {
          type: 'tool_result',
          tool_use_id: message.toolCallId,
          content: message.content,
          ...(message.isError ? { is_error: true } : {}),
        });
        break;
    }
  }
  return messages;
}

class AnthropicMapper implements FrameMapper {
  private readonly transcript = new Transcript();
  private readonly tools = new ToolCallTracker();
  private readonly blockTypes = new Map<number, string>();
  private messageId = 'message';
  /** The upstream's input counts as last reported (each a running total, sent only when it applies). */
  private input: { base: number | null; created: number | null; read: number | null } = {
    base: null,
    created: null,
    read: null,
  };
  private usage: Usage | null = null;

  /** The per-frame path: a text delta pushes its one body, nothing else is built. */
  mapInto(frame: UpstreamFrame, out: AgentEventBody[]): void {
    if (frame.kind !== 'sse') return;
    const data = asRecord(parseJsonFrame(frame.data, 'event'));
    const type = frame.event ?? (typeof data.type === 'string' ? data.type : 'message');
    if (type === 'content_block_delta') {
      const delta = asRecord(data.delta);
      if (delta.type === 'text_delta') {
        this.transcript.pushDelta(this.messageId, textOf(delta.text, ''), out);
        return;
      }
    }
    out.push(...this.bodiesOf(type, data));
  }

  private bodiesOf(type: string, data: JsonObject): AgentEventBody[] {
    switch (type) {
      case 'message_start': {
        const message = asRecord(data.message);
        if (typeof message.id === 'string') this.messageId = message.id;
        const usage = asRecord(message.usage);
        this.input = { base: null, created: null, read: null };
        this.updateInput(usage);
        return this.reportUsage(count(usage.output_tokens));
      }
      case 'content_block_start': {
        const index = Number(data.index ?? 0);
        const block = asRecord(data.content_block);
        const blockType = textOf(block.type, 'unknown');
        this.blockTypes.set(index, blockType);
        if (blockType === 'text') return this.transcript.delta(this.messageId, textOf(block.text, ''));
        if (blockType === 'thinking')
          return block.thinking ? [{ type: 'ReasoningDelta', delta: textOf(block.thinking) }] : [];
        if (blockType === 'tool_use')
          return this.tools.start(index, textOf(block.id, `toolu_${index}`), textOf(block.name, ''));
        return [custom(`anthropic.${blockType}`, block)];
      }
      case 'content_block_delta': {
        const index = Number(data.index ?? 0);
        const delta = asRecord(data.delta);
        switch (delta.type) {
          // text_delta: mapInto
          case 'thinking_delta':
            return delta.thinking ? [{ type: 'ReasoningDelta', delta: textOf(delta.thinking) }] : [];
          case 'input_json_delta':
            return this.tools.delta(index, textOf(delta.partial_json, ''));
          case 'signature_delta':
            return []; // opaque verification of the thinking block: nothing a client can use
          default:
            return [custom(`anthropic.${textOf(delta.type, 'delta')}`, delta)];
        }
      }
      case 'content_block_stop': {
        const index = Number(data.index ?? 0);
        return this.blockTypes.get(index) === 'tool_use' ? this.tools.complete(index) : [];
      }
      case 'message_delta': {
        const usage = asRecord(data.usage);
        this.updateInput(usage);
        return this.reportUsage(count(usage.output_tokens));
      }
      case 'message_stop':
        return [
          ...this.tools.completeAll(),
          ...this.transcript.completeAll(),
          runCompleted(this.transcript.text, this.transcript.text, this.usage),
        ];
      case 'ping':
        return [];
      case 'error': {
        const error = asRecord(data.error);
        const kind = textOf(error.type, 'error');
        return [
          ...this.tools.completeAll(),
          ...this.transcript.completeAll(),
          upstreamFailed(`${kind}: ${textOf(error.message, 'unknown error')}`, this.usage, {
            retryable: kind === 'overloaded_error' || kind === 'api_error',
          }),
        ];
      }
      default:
        return [custom(`anthropic.${type}`, data)];
    }
  }

  /**
   * `message_start` reports the input counts; `message_delta` may repeat any of them (the same
   * running totals, omitted when they do not apply): a count present replaces the earlier one, a
   * count omitted keeps it, as @anthropic-ai/sdk's MessageStream accumulates them.
   */
  private updateInput(usage: Record<string, unknown>): void {
    this.input = {
      base: count(usage.input_tokens) ?? this.input.base,
      created: count(usage.cache_creation_input_tokens) ?? this.input.created,
      read: count(usage.cache_read_input_tokens) ?? this.input.read,
    };
  }

  /** Anthropic's counts are running totals: the newest replaces the previous, never adds to it. */
  private reportUsage(outputTokens: number | null): AgentEventBody[] {
    const { base, created, read } = this.input;
    const inputTokens = base === null ? null : base + (read ?? 0) + (created ?? 0);
    const usage = makeUsage({
      inputTokens,
      cachedInputTokens: read,
      outputTokens: outputTokens ?? this.usage?.outputTokens ?? null,
    });
    if (JSON.stringify(usage) === JSON.stringify(this.usage)) return [];
    this.usage = usage;
    return [usageUpdated(usage)];
  }
}
