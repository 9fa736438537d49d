import { LogLevelSchema, type AgentEventBody, type LogLevel, type Usage } from '../events/index.js';
import type { UpstreamFrame } from '../transport/frames.js';
import type { FrameMapper } from '../transport/run-upstream.js';
import { custom, makeUsage, runCompleted, upstreamFailed, usageUpdated } from './shared/completion.js';
import { defineWebSocketDialect } from './shared/define-dialect.js';
import { asRecord, count, isRecord, parseJsonFrame, textOf } from './shared/json-frame.js';
import { ToolCallTracker } from './shared/tool-calls.js';
import { Transcript } from './shared/transcript.js';
import { conversationOf, lastUserText } from './conversation.js';

/**
 * The Python (pydantic-ai) agent wrapper protocol (seeds/000): one WebSocket per run, the client
 * sends `{action: "run_stream", …}`, the agent answers `{status: "chunk", data}` pieces, log
 * frames, and ends with `{status: "complete", usage}` or `{status: "error", error_type,
 * message}`. Stateless: the thread's earlier turns travel in `messages`.
 */
export const synapseWsDialect = defineWebSocketDialect('synapse-ws', {
  requestMessages: (context) => [
    {
      action: 'run_stream',
      prompt: lastUserText(context),
      messages: conversationOf(context),
      workflow_id: context.workflowId,
      thread_id: context.threadId,
      ...(context.agent.model ? { model: context.agent.model } : {}),
    },
  ],
  createMapper: () => new SynapseWsMapper(),
});

const MESSAGE_ID = 'message';

class SynapseWsMapper implements FrameMapper {
  private readonly transcript = new Transcript();
  private readonly tools = new ToolCallTracker();
  private usage: Usage | null = null;

  mapInto(frame: UpstreamFrame, out: AgentEventBody[]): void {
    out.push(...this.bodiesOf(frame));
  }

  private bodiesOf(frame: UpstreamFrame): AgentEventBody[] {
    const message = parseJsonFrame(frame.data, 'message');
    if (!isRecord(message)) return [custom('synapse-ws.message', message)];
    const status = message.status ?? message.type;
    switch (status) {
      case 'chunk':
        if (typeof message.data === 'string') return this.transcript.delta(MESSAGE_ID, message.data);
        return [custom('synapse-ws.chunk', message.data)];
      case 'log':
        return [
          { type: 'LogMessage', level: logLevel(message.level), message: textOf(message.message ?? message.data, '') },
        ];
      case 'thinking':
        return [{ type: 'ReasoningDelta', delta: textOf(message.data ?? message.content, '') }];
      case 'tool_call': {
        const id = textOf(message.tool_call_id, `call_${this.tools.openKeys().length + 1}`);
        return [
          ...this.tools.start(id, id, textOf(message.tool_name, '')),
          ...this.tools.complete(id, message.args ?? message.arguments ?? {}),
        ];
      }
      case 'tool_result':
        return [
          {
            type: 'ToolResult',
            toolCallId: textOf(message.tool_call_id, ''),
            result: message.result ?? message.content ?? null,
            isError: message.is_error === true,
          },
        ];
      case 'complete': {
        const events: AgentEventBody[] = [...this.tools.completeAll(), ...this.transcript.completeAll()];
        if (isRecord(message.usage)) {
          this.usage = readUsage(message.usage);
          events.push(usageUpdated(this.usage));
        }
        const output = message.result ?? message.data ?? this.transcript.text;
        return [...events, runCompleted(output, this.transcript.text, this.usage)];
      }
      case 'error':
        return [
          ...this.transcript.completeAll(),
          upstreamFailed(`${textOf(message.error_type, 'Error')}: ${textOf(message.message, '')}`, this.usage),
        ];
      default:
        // The wrapper's bare `{error: "..."}` answer to a request it could not read.
        if (status === undefined && typeof message.error === 'string')
          return [upstreamFailed(message.error, this.usage)];
        return [custom(`synapse-ws.${textOf(status, 'message')}`, message)];
    }
  }
}

/** pydantic-ai's Usage: `request_tokens`/`response_tokens` (older) or `input_tokens`/`output_tokens`. */
function readUsage(raw: Record<string, unknown>): Usage {
  const details = asRecord(raw.details);
  return makeUsage({
    inputTokens: count(raw.input_tokens ?? raw.request_tokens),
    outputTokens: count(raw.output_tokens ?? raw.response_tokens),
    totalTokens: count(raw.total_tokens),
    reasoningTokens: count(details.reasoning_tokens),
    cachedInputTokens: count(raw.cache_read_tokens ?? details.cached_tokens),
  });
}

function logLevel(value: unknown): LogLevel {
  const upper = textOf(value, 'info').toUpperCase();
  const normalized = upper === 'WARNING' ? 'WARN' : upper === 'CRITICAL' || upper === 'FATAL' ? 'ERROR' : upper;
  return LogLevelSchema.safeParse(normalized).success ? (normalized as LogLevel) : 'INFO';
}
