import type { AgentEventBody, Usage } from '../events/index.js';
import type { UpstreamFrame } from '../transport/frames.js';
import type { FrameMapper } from '../transport/run-upstream.js';
import { custom, makeUsage, runCompleted, upstreamFailed, usageUpdated } from './shared/completion.js';
import { defineHttpDialect } from './shared/define-dialect.js';
import { asRecord, count, isList, isRecord, parseJsonFrame, textOf } from './shared/json-frame.js';
import { Transcript } from './shared/transcript.js';
import { lastUserText } from './conversation.js';

/**
 * The "communications agent" streaming protocol (seeds/002): POST `{message}` to the chat
 * endpoint, read SSE events workflow_started, reasoning_step, tool_start, tool_end,
 * agent_thinking, heartbeat, then workflow_completed or workflow_error. Also maps the
 * agent_processing_started / update / complete events of seeds/003. The event type is the SSE
 * `event:` name, or the `type` field of the data.
 */
export const workflowSseDialect = defineHttpDialect('workflow-sse', {
  request: (context) => ({
    url: context.agent.url!,
    reader: 'sse',
    body: { message: lastUserText(context), workflow_id: context.workflowId, thread_id: context.threadId },
  }),
  createMapper: () => new WorkflowSseMapper(),
});

const FINAL_MESSAGE_ID = 'final_response';

class WorkflowSseMapper implements FrameMapper {
  private readonly transcript = new Transcript();
  /** Tool runs in flight, by run id or, when the upstream gives none, by tool name (FIFO). */
  private readonly toolRuns = new Map<string, string[]>();
  private toolNumber = 0;
  private readonly agentText = new Map<string, string>();

  mapInto(frame: UpstreamFrame, out: AgentEventBody[]): void {
    out.push(...this.bodiesOf(frame));
  }

  private bodiesOf(frame: UpstreamFrame): AgentEventBody[] {
    const data = asRecord(parseJsonFrame(frame.data, 'event'));
    const type = textOf((frame.kind === 'sse' ? frame.event : undefined) ?? data.type, 'message');
    switch (type) {
      case 'heartbeat':
        return [];
      case 'reasoning_step':
        // A step with a `title` is titled by it; its `content` (the reasoning itself) stays in `detail`.
        return [
          {
            type: 'ReasoningStep',
            title: textOf(
              data.title ?? data.step_name ?? data.thought ?? data.reasoning ?? data.content,
              `step ${textOf(data.step_number, '')}`.trim(),
            ),
            detail: data,
          },
        ];
      case 'agent_thinking':
        return [{ type: 'ReasoningDelta', delta: textOf(data.thought ?? data.content ?? data.thinking, '') }];
      case 'tool_start': {
        const name = textOf(data.tool_name ?? data.tool, 'tool');
        const id = textOf(data.tool_call_id ?? data.run_id, `tool_${++this.toolNumber}`);
        const key = textOf(data.tool_call_id ?? data.run_id, name);
        this.toolRuns.set(key, [...(this.toolRuns.get(key) ?? []), id]);
        return [
          { type: 'ToolCallStarted', toolCallId: id, toolName: name },
          {
            type: 'ToolCallCompleted',
            toolCallId: id,
            toolName: name,
            arguments: data.tool_input ?? data.input ?? null,
          },
        ];
      }
      case 'tool_end': {
        const key = textOf(data.tool_call_id ?? data.run_id ?? data.tool_name ?? data.tool, 'tool');
        const queue = this.toolRuns.get(key) ?? [];
        const id = queue.shift() ?? `tool_${++this.toolNumber}`;
        const isError = data.success === false || data.error != null;
        return [
          {
            type: 'ToolResult',
            toolCallId: id,
            result: data.tool_output ?? data.output ?? data.error ?? null,
            isError,
          },
        ];
      }
      case 'agent_processing_started':
        return [{ type: 'StepStarted', name: textOf(data.agent_id, 'agent') }];
      case 'agent_processing_update': {
        const agent = textOf(data.agent_id, 'agent');
        const piece = textOf(data.partial_content, '');
        this.agentText.set(agent, (this.agentText.get(agent) ?? '') + piece);
        return this.transcript.delta(agent, piece);
      }
      case 'agent_processing_complete': {
        const agent = textOf(data.agent_id, 'agent');
        const streamed = this.agentText.get(agent) ?? '';
        const final = typeof data.final_content === 'string' ? data.final_content : streamed;
        const rest = final.startsWith(streamed) ? final.slice(streamed.length) : '';
        return [
          ...this.transcript.delta(agent, rest),
          ...this.transcript.complete(agent),
          ...(data.sentiment ? [custom('agent_sentiment', { agent_id: agent, sentiment: data.sentiment })] : []),
          { type: 'StepFinished', name: agent },
        ];
      }
      case 'workflow_completed': {
        const final = typeof data.final_response === 'string' ? data.final_response : '';
        const events = [...this.transcript.delta(FINAL_MESSAGE_ID, final), ...this.transcript.completeAll()];
        // The completion's metadata (seeds/002: execution time, tools used, step count, token usage).
        const usage = usageOf(data);
        if (isRecord(data.metadata)) events.push(custom('workflow_metadata', workflowMetadata(data.metadata, usage)));
        if (usage) events.push(usageUpdated(usage));
        return [...events, runCompleted(data, final || this.transcript.text, usage)];
      }
      case 'workflow_error': {
        const suggestions = data.recovery_suggestions ?? data.recovery_suggestion;
        const suggestion = isList(suggestions)
          ? suggestions.join(' ')
          : typeof suggestions === 'string'
            ? suggestions
            : undefined;
        const kind = data.error_type ? `${textOf(data.error_type)}: ` : '';
        // The partial response the agent had (seeds/002, "partial response preservation") becomes
        // its message, unless it is text already streamed; the whole frame is kept as a CustomEvent.
        const partial = typeof data.partial_response === 'string' ? data.partial_response : '';
        const events =
          partial !== '' && !this.transcript.text.includes(partial)
            ? this.transcript.delta(FINAL_MESSAGE_ID, partial)
            : [];
        const usage = usageOf(data);
        if (usage) events.push(usageUpdated(usage));
        return [
          ...events,
          ...this.transcript.completeAll(),
          custom('workflow_error', data),
          upstreamFailed(`${kind}${textOf(data.error ?? data.message, 'workflow error')}`, usage, {
            recoverySuggestion: suggestion,
          }),
        ];
      }
      default:
        return [custom(type, data)];
    }
  }
}

/**
 * Token usage of a completion or error frame: `metadata.token_usage` / `metadata.usage` (or the
 * same keys on the frame), with OpenAI (`prompt_tokens`, `completion_tokens`) or Anthropic-style
 * (`input_tokens`, `output_tokens`) names, or a bare `tokens_used` / `total_tokens` count.
 */
export function usageOf(data: Record<string, unknown>): Usage | null {
  const metadata = isRecord(data.metadata) ? data.metadata : {};
  const source = [metadata.token_usage, metadata.usage, data.token_usage, data.usage].find(isRecord);
  if (source) {
    const inputTokens = count(source.prompt_tokens ?? source.input_tokens);
    const outputTokens = count(source.completion_tokens ?? source.output_tokens);
    const totalTokens = count(source.total_tokens);
    const reasoningTokens = count(source.reasoning_tokens);
    if (inputTokens === null && outputTokens === null && totalTokens === null) return null;
    return makeUsage({
      inputTokens,
      outputTokens,
      ...(totalTokens !== null ? { totalTokens } : {}),
      ...(reasoningTokens !== null ? { reasoningTokens } : {}),
    });
  }
  const total = count(metadata.tokens_used ?? metadata.total_tokens ?? data.tokens_used);
  return total === null ? null : makeUsage({ totalTokens: total });
}

/** The completion's metadata, with its duration, tools and step count under stable names. */
function workflowMetadata(metadata: Record<string, unknown>, usage: Usage | null): Record<string, unknown> {
  const rawSeconds = metadata.execution_time ?? metadata.duration_seconds ?? metadata.duration;
  const seconds = typeof rawSeconds === 'number' && Number.isFinite(rawSeconds) && rawSeconds >= 0 ? rawSeconds : null;
  const durationMs =
    count(metadata.execution_time_ms ?? metadata.duration_ms) ?? (seconds === null ? null : Math.round(seconds * 1000));
  const tools = metadata.tools_used ?? metadata.tools;
  return {
    durationMs,
    toolsUsed: isList(tools) ? tools : null,
    stepCount: count(metadata.step_count ?? metadata.steps_count ?? metadata.steps ?? metadata.total_steps),
    usage,
    metadata,
  };
}
