import type { AgentEventBody } from '../events/index.js';
import type { UpstreamFrame } from '../transport/frames.js';
import type { FrameMapper } from '../transport/run-upstream.js';
import { custom, runCompleted, upstreamFailed } from './shared/completion.js';
import { defineWebSocketDialect } from './shared/define-dialect.js';
import { isRecord, parseJsonFrame, textOf } from './shared/json-frame.js';
import { Transcript } from './shared/transcript.js';
import { lastUserText } from './conversation.js';
import type { DialectRunContext } from './types.js';

/**
 * The explorer-agent chat protocol (seeds/004): the client sends `{content}`, the agent answers
 * `{type: "user"}` (the echo), `agent_partial` messages whose content is the whole text so far,
 * `tool` reports, and ends with `agent` (the final answer) or `error`. The upstream keeps the
 * conversation per session: a `{threadId}` in the url maps the thread to the session.
 */
export const chatWsDialect = defineWebSocketDialect('chat-ws', {
  url: (context) => sessionUrl(context),
  requestMessages: (context) => [{ content: lastUserText(context) }],
  createMapper: () => new ChatWsMapper(),
});

function sessionUrl(context: DialectRunContext): string {
  return context.agent.url!.replaceAll('{threadId}', encodeURIComponent(context.threadId));
}

class ChatWsMapper implements FrameMapper {
  private readonly transcript = new Transcript();
  private partial = '';
  private messageNumber = 1;
  private toolNumber = 0;

  private get messageId(): string {
    return `message_${this.messageNumber}`;
  }

  mapInto(frame: UpstreamFrame, out: AgentEventBody[]): void {
    out.push(...this.bodiesOf(frame));
  }

  private bodiesOf(frame: UpstreamFrame): AgentEventBody[] {
    const message = parseJsonFrame(frame.data, 'message');
    if (!isRecord(message)) return [custom('chat-ws.message', message)];
    const content = typeof message.content === 'string' ? message.content : '';
    switch (message.type) {
      case 'agent_partial':
        return this.grow(content);
      case 'agent': {
        const events = [...this.grow(content), ...this.transcript.completeAll()];
        const output = message.diagram ? { content, diagram: message.diagram } : content;
        return [...events, runCompleted(output, content || this.transcript.text, null)];
      }
      case 'tool': {
        const toolCallId = `tool_${++this.toolNumber}`;
        const toolName = textOf(message.tool_name, 'tool');
        return [
          { type: 'ToolCallStarted', toolCallId, toolName },
          { type: 'ToolCallCompleted', toolCallId, toolName, arguments: null },
          { type: 'ToolResult', toolCallId, result: parseMaybeJson(content), isError: false },
        ];
      }
      case 'error':
        return [...this.transcript.completeAll(), upstreamFailed(content || 'unknown error')];
      default:
        return [custom(`chat-ws.${textOf(message.type, 'message')}`, message)];
    }
  }

  /**
   * Cumulative text becomes deltas: what extends the text so far is the delta. Content that does
   * not extend it (the agent rewrote its answer) starts a new message with the whole content.
   */
  private grow(content: string): AgentEventBody[] {
    if (content.startsWith(this.partial)) {
      const delta = content.slice(this.partial.length);
      this.partial = content;
      return this.transcript.delta(this.messageId, delta);
    }
    const completed = this.transcript.complete(this.messageId);
    this.messageNumber++;
    this.partial = content;
    return [...completed, ...this.transcript.delta(this.messageId, content)];
  }
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
