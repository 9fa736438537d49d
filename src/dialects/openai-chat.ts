import type { AgentEventBody, Usage } from '../events/index.js';
import type { UpstreamFrame } from '../transport/frames.js';
import type { FrameMapper } from '../transport/run-upstream.js';
import { custom, makeUsage, runCompleted, upstreamFailed, usageUpdated } from './shared/completion.js';
import { defineHttpDialect } from './shared/define-dialect.js';
import { asRecord, count, isList, isRecord, parseJsonFrame, textOf } from './shared/json-frame.js';
import { ToolCallTracker } from './shared/tool-calls.js';
import { Transcript } from './shared/transcript.js';
import type { ConversationMessage } from './conversation.js';
import { instructionsOf, offeredTools, turnConversation, withModelSettings } from './shared/model-request.js';

/**
 * OpenAI Chat Completions streaming (`stream: true`, `stream_options.include_usage`): SSE
 * `data: {chunk}` lines ending with `data: [DONE]`. Stateless: the thread's earlier turns are
 * sent as messages, tool calls and results included.
 */
export const openaiChatDialect = defineHttpDialect('openai-chat', {
  request: (context) => {
    const instructions = instructionsOf(context);
    const tools = offeredTools(context);
    const outputSchema = context.modelTurn?.outputSchema;
    const body = {
      ...(context.agent.model ? { model: context.agent.model } : {}),
      messages: [
        ...(instructions ? [{ role: 'system', content: instructions }] : []),
        ...turnConversation(context).map(toOpenAiMessage),
      ],
      ...(tools.length > 0
        ? {
            tools: tools.map((tool) => ({
              type: 'function',
              function: {
                name: tool.name,
                ...(tool.description ? { description: tool.description } : {}),
                parameters: tool.inputSchema,
              },
            })),
          }
        : {}),
      ...(outputSchema
        ? { response_format: { type: 'json_schema', json_schema: { name: 'output', schema: outputSchema } } }
        : {}),
    };
    return {
      url: context.agent.url!,
      reader: 'sse',
      // docs/runtime.md: modelSettings are merged in; streaming stays Synapse's.
      body: {
        ...withModelSettings(context, body, ['messages', 'stream', 'stream_options']),
        stream: true,
        stream_options: { include_usage: true },
      },
    };
  },
  createMapper: () => new OpenAiChatMapper(),
});

export function toOpenAiMessage(message: ConversationMessage): Record<string, unknown> {
  switch (message.role) {
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content === '' && message.toolCalls.length > 0 ? null : message.content,
        ...(message.toolCalls.length > 0
          ? {
              tool_calls: message.toolCalls.map((call) => ({
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
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    default:
      return { role: message.role, content: message.content };
  }
}

class OpenAiChatMapper implements FrameMapper {
  private readonly transcript = new Transcript();
  private readonly tools = new ToolCallTracker();
  private usage: Usage | null = null;
  private messageId = 'message';

  /** The per-frame path: a content or reasoning delta pushes its one body, nothing else is built. */
  mapInto(frame: UpstreamFrame, events: AgentEventBody[]): void {
    if (frame.kind !== 'sse') return;
    const data = frame.data;
    if (data.charCodeAt(0) !== 0x7b /* { */ && data.trim() === '[DONE]') {
      for (const body of this.finish()) events.push(body);
      return;
    }
    const chunk = asRecord(parseJsonFrame(data, 'chunk'));
    if (isRecord(chunk.error)) {
      events.push(
        ...this.tools.completeAll(),
        ...this.transcript.completeAll(),
        upstreamFailed(textOf(chunk.error.message, 'unknown error'), this.usage),
      );
      return;
    }
    if (typeof chunk.id === 'string' && chunk.id) this.messageId = chunk.id;
    const choices = isList(chunk.choices) ? chunk.choices : [];
    for (let index = 0; index < choices.length; index++) {
      const choice = asRecord(choices[index]);
      const delta = asRecord(choice.delta);
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (typeof reasoning === 'string' && reasoning) events.push({ type: 'ReasoningDelta', delta: reasoning });
      if (typeof delta.content === 'string') this.transcript.pushDelta(this.messageId, delta.content, events);
      if (typeof delta.refusal === 'string' && delta.refusal)
        events.push(custom('openai.refusal', { refusal: delta.refusal }));
      if (isList(delta.tool_calls)) {
        for (const item of delta.tool_calls) {
          const call = asRecord(item);
          const key = typeof call.index === 'number' ? call.index : 0;
          const fn = asRecord(call.function);
          if (!this.tools.has(key) || (typeof call.id === 'string' && call.id !== this.tools.idOf(key))) {
            events.push(...this.tools.complete(key));
            events.push(...this.tools.start(key, textOf(call.id, `call_${key}`), textOf(fn.name, '')));
          }
          if (typeof fn.arguments === 'string') events.push(...this.tools.delta(key, fn.arguments));
        }
      }
      if (typeof choice.finish_reason === 'string') {
        events.push(...this.tools.completeAll(), ...this.transcript.completeAll());
      }
    }
    if (isRecord(chunk.usage)) {
      const details = asRecord(chunk.usage.completion_tokens_details);
      const prompt = asRecord(chunk.usage.prompt_tokens_details);
      // OpenAI reports usage once, for the whole completion: it replaces, never adds.
      this.usage = makeUsage({
        inputTokens: count(chunk.usage.prompt_tokens),
        outputTokens: count(chunk.usage.completion_tokens),
        totalTokens: count(chunk.usage.total_tokens),
        reasoningTokens: count(details.reasoning_tokens),
        cachedInputTokens: count(prompt.cached_tokens),
      });
      events.push(usageUpdated(this.usage));
    }
    if (choices.length === 0 && !isRecord(chunk.usage)) events.push(custom('openai-chat.chunk', chunk));
  }

  private finish(): AgentEventBody[] {
    return [
      ...this.tools.completeAll(),
      ...this.transcript.completeAll(),
      runCompleted(this.transcript.text, this.transcript.text, this.usage),
    ];
  }
}
