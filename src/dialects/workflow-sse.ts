import type { AgentEventBody } from '../events/index.js';
import type { UpstreamFrame } from '../transport/frames.js';
import type { FrameMapper } from '../transport/run-upstream.js';
import { custom, runCompleted, upstreamFailed } from './shared/completion.js';
import { defineHttpDialect } from './shared/define-dialect.js';
import { asRecord, parseJsonFrame } from './shared/json-frame.js';
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

  map(frame: UpstreamFrame): AgentEventBody[] {
    const data = asRecord(parseJsonFrame(frame.data, 'event'));
    const type = String((frame.kind === 'sse' ? frame.event : undefined) ?? data.type ?? 'message');
    switch (type) {
      case 'heartbeat':
        return [];
      case 'reasoning_step':
        return [{ type: 'ReasoningStep', title: String(data.thought ?? data.reasoning ?? data.content ?? data.step_name ?? `step ${String(data.step_number ?? '')}`.trim()), detail: data }];
      case 'agent_thinking':
        return [{ type: 'ReasoningDelta', delta: String(data.thought ?? data.content ?? data.thinking ?? '') }];
      case 'tool_start': {
        const name = String(data.tool_name ?? data.tool ?? 'tool');
        const id = String(data.tool_call_id ?? data.run_id ?? `tool_${++this.toolNumber}`);
        const key = String(data.tool_call_id ?? data.run_id ?? name);
        this.toolRuns.set(key, [...(this.toolRuns.get(key) ?? []), id]);
        return [
          { type: 'ToolCallStarted', toolCallId: id, toolName: name },
          { type: 'ToolCallCompleted', toolCallId: id, toolName: name, arguments: data.tool_input ?? data.input ?? null },
        ];
      }
      case 'tool_end': {
        const key = String(data.tool_call_id ?? data.run_id ?? data.tool_name ?? data.tool ?? 'tool');
        const queue = this.toolRuns.get(key) ?? [];
        const id = queue.shift() ?? `tool_${++this.toolNumber}`;
        const isError = data.success === false || data.error != null;
        return [{ type: 'ToolResult', toolCallId: id, result: data.tool_output ?? data.output ?? data.error ?? null, isError }];
      }
      case 'agent_processing_started':
        return [{ type: 'StepStarted', name: String(data.agent_id ?? 'agent') }];
      case 'agent_processing_update': {
        const agent = String(data.agent_id ?? 'agent');
        const piece = String(data.partial_content ?? '');
        this.agentText.set(agent, (this.agentText.get(agent) ?? '') + piece);
        return this.transcript.delta(agent, piece);
      }
      case 'agent_processing_complete': {
        const agent = String(data.agent_id ?? 'agent');
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
        return [...events, runCompleted(data, final || this.transcript.text, null)];
      }
      case 'workflow_error': {
        const suggestions = data.recovery_suggestions ?? data.recovery_suggestion;
        const suggestion = Array.isArray(suggestions) ? suggestions.join(' ') : typeof suggestions === 'string' ? suggestions : undefined;
        const kind = data.error_type ? `${String(data.error_type)}: ` : '';
        return [...this.transcript.completeAll(), upstreamFailed(`${kind}${String(data.error ?? data.message ?? 'workflow error')}`, null, { recoverySuggestion: suggestion })];
      }
      default:
        return [custom(type, data)];
    }
  }
}
