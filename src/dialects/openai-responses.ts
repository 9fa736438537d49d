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

/**
 * OpenAI Responses API streaming: SSE typed events (`response.output_text.delta`,
 * `response.function_call_arguments.*`, `response.reasoning_summary_text.delta`,
 * `response.completed`, …). Sent statelessly (`store: false`), the thread as input items.
 */
export const openaiResponsesDialect = defineHttpDialect('openai-responses', {
  request: (context) => {
    const instructions = instructionsOf(context);
    const tools = offeredTools(context);
    const outputSchema = context.modelTurn?.outputSchema;
    const body = {
      ...(context.agent.model ? { model: context.agent.model } : {}),
      ...(instructions ? { instructions } : {}),
      input: turnConversation(context).flatMap(toResponsesItems),
      ...(tools.length > 0
        ? {
            tools: tools.map((tool) => ({
              type: 'function',
              name: tool.name,
              ...(tool.description ? { description: tool.description } : {}),
              parameters: tool.inputSchema,
              strict: false,
            })),
          }
        : {}),
      ...(outputSchema ? { text: { format: { type: 'json_schema', name: 'output', schema: outputSchema } } } : {}),
    };
    return {
      url: context.agent.url!,
      reader: 'sse',
      // docs/runtime.md: modelSettings are merged in; streaming and statelessness stay Synapse's.
      body: { ...withModelSettings(context, body, ['input', 'stream', 'store']), stream: true, store: false },
    };
  },
  createMapper: () => new ResponsesMapper(),
});

export function toResponsesItems(message: ConversationMessage): Record<string, unknown>[] {
  switch (message.role) {
    case 'assistant':
      return [
        ...(message.content ? [{ role: 'assistant', content: message.content }] : []),
        ...message.toolCalls.map((call) => ({
          type: 'function_call',
          call_id: call.id,
          name: call.name,
          arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
        })),
      ];
    case 'tool':
      return [{ type: 'function_call_output', call_id: message.toolCallId, output: message.content }];
    default:
      return [{ role: message.role, content: message.content }];
  }
}

/** Events that repeat what the deltas already said: no event of their own. */
const REDUNDANT = new Set([
  'response.created',
  'response.in_progress',
  'response.queued',
  'response.content_part.added',
  'response.content_part.done',
  'response.output_text.done',
  'response.reasoning_summary_part.added',
  'response.reasoning_summary_part.done',
  'response.reasoning_summary_text.done',
]);

class ResponsesMapper implements FrameMapper {
  private readonly transcript = new Transcript();
  private readonly tools = new ToolCallTracker();
  private usage: Usage | null = null;

  /** The per-frame path: a text delta pushes its one body, nothing else is built. */
  mapInto(frame: UpstreamFrame, out: AgentEventBody[]): void {
    if (frame.kind !== 'sse') return;
    const data = asRecord(parseJsonFrame(frame.data, 'event'));
    const type = textOf(data.type ?? frame.event, 'message');
    if (type === 'response.output_text.delta') {
      this.transcript.pushDelta(textOf(data.item_id, 'message'), textOf(data.delta, ''), out);
      return;
    }
    if (REDUNDANT.has(type)) return;
    out.push(...this.bodiesOf(type, data));
  }

  private bodiesOf(type: string, data: JsonObject): AgentEventBody[] {
    switch (type) {
      case 'response.output_item.added': {
        const item = asRecord(data.item);
        if (item.type === 'function_call')
          return this.tools.start(
            String(item.id ?? item.call_id),
            String(item.call_id ?? item.id),
            textOf(item.name, ''),
          );
        if (item.type === 'message' || item.type === 'reasoning') return [];
        return [custom(`openai.${textOf(item.type, 'item')}`, item)];
      }
      case 'response.refusal.delta':
        return [custom('openai.refusal', { delta: data.delta })];
      case 'response.function_call_arguments.delta':
        return this.tools.delta(String(data.item_id), textOf(data.delta, ''));
      case 'response.function_call_arguments.done':
        return this.tools.complete(
          String(data.item_id),
          typeof data.arguments === 'string' ? data.arguments : undefined,
        );
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        return data.delta ? [{ type: 'ReasoningDelta', delta: textOf(data.delta) }] : [];
      case 'response.output_item.done': {
        const item = asRecord(data.item);
        if (item.type === 'message') return this.transcript.complete(String(item.id));
        if (item.type === 'function_call')
          return this.tools.complete(String(item.id), typeof item.arguments === 'string' ? item.arguments : undefined);
        return [];
      }
      case 'response.completed':
      case 'response.incomplete': {
        const response = asRecord(data.response);
        const events = [
          ...this.tools.completeAll(),
          ...this.transcript.completeAll(),
          ...this.readUsage(response.usage),
        ];
        if (type === 'response.incomplete')
          events.push(custom('openai.incomplete', response.incomplete_details ?? null));
        return [...events, runCompleted(this.transcript.text, this.transcript.text, this.usage)];
      }
      case 'response.failed': {
        const response = asRecord(data.response);
        const error = asRecord(response.error);
        return [
          ...this.readUsage(response.usage),
          upstreamFailed(
            `${textOf(error.code, 'failed')}: ${textOf(error.message, 'the response failed')}`,
            this.usage,
          ),
        ];
      }
      case 'error':
        return [upstreamFailed(`${textOf(data.code, 'error')}: ${textOf(data.message, 'unknown error')}`, this.usage)];
      default:
        return [custom(type, data)];
    }
  }

  private readUsage(raw: unknown): AgentEventBody[] {
    if (raw === undefined || raw === null) return [];
    const usage = asRecord(raw);
    this.usage = makeUsage({
      inputTokens: count(usage.input_tokens),
      outputTokens: count(usage.output_tokens),
      totalTokens: count(usage.total_tokens),
      reasoningTokens: count(asRecord(usage.output_tokens_details).reasoning_tokens),
      cachedInputTokens: count(asRecord(usage.input_tokens_details).cached_tokens),
    });
    return [usageUpdated(this.usage)];
  }
}
