import { createHash } from 'node:crypto';
import type { AgentEventBody, Usage } from '../events/index.js';
import type { Dispatcher } from 'undici';
import { dispatcherFor } from '../transport/dispatchers.js';
import { loadUndici } from '../transport/undici.js';
import type { UpstreamFrame } from '../transport/frames.js';
import { openHttpStream } from '../transport/http-stream.js';
import type { FrameMapper } from '../transport/run-upstream.js';
import type { TransportSettings } from '../transport/settings.js';
import { parseRetryAfter, toUpstreamError, UpstreamError } from '../transport/upstream-error.js';
import {
  custom,
  interruptRequested,
  makeUsage,
  runCompleted,
  upstreamFailed,
  usageUpdated,
} from './shared/completion.js';
import { defineUpstreamDialect } from './shared/define-dialect.js';
import {
  arr,
  asRecord,
  count,
  isList,
  isRecord,
  parseJsonFrame,
  textOf,
  type JsonObject,
} from './shared/json-frame.js';
import { ToolCallTracker } from './shared/tool-calls.js';
import { Transcript } from './shared/transcript.js';
import { inputMessagesOf } from './conversation.js';
import type { DialectResume } from './types.js';

/** The stream modes requested: token messages, node updates, whole state, custom writes. */
export const LANGGRAPH_STREAM_MODES = ['messages-tuple', 'updates', 'values', 'custom'];
const CANCEL_TIMEOUT_MS = 5_000;

/**
 * The LangGraph API server: the Synapse thread maps to an upstream thread (created on first use
 * with `if_exists: do_nothing`), the run streams from `POST /threads/{id}/runs/stream`, and
 * cancel calls `POST /threads/{id}/runs/{run_id}/cancel`. The upstream keeps the conversation,
 * so only this run's messages are sent.
 */
export const langgraphDialect = defineUpstreamDialect('langgraph', (context, settings) => {
  const base = context.agent.url!.replace(/\/+$/, '');
  const threadId = upstreamThreadId(context.threadId);
  const state: { runId: string | null } = { runId: null };
  return {
    open: async (signal) => {
      await postJson(
        `${base}/threads`,
        { thread_id: threadId, if_exists: 'do_nothing', metadata: { synapse_thread_id: context.threadId } },
        settings,
        signal,
      );
      return openHttpStream(
        {
          url: `${base}/threads/${threadId}/runs/stream`,
          reader: 'sse',
          body: {
            assistant_id: context.agent.assistantId,
            // a paused run goes on where the graph stopped: the same thread, the answers as the resume command
            ...(context.resume
              ? { command: { resume: resumeCommandOf(context.resume) } }
              : { input: { messages: inputMessagesOf(context).map(toLangGraphMessage) } }),
            stream_mode: LANGGRAPH_STREAM_MODES,
            metadata: { synapse_workflow_id: context.workflowId },
          },
        },
        settings,
        signal,
      );
    },
    createMapper: () => new LangGraphMapper(state, (interrupts) => context.pause?.({ interrupts })),
    onCancel: () => {
      if (!state.runId) return;
      const signal = AbortSignal.timeout(CANCEL_TIMEOUT_MS);
      void postJson(`${base}/threads/${threadId}/runs/${state.runId}/cancel`, undefined, settings, signal).catch(
        () => {},
      );
    },
  };
});

/**
 * What LangGraph's `Command({ resume })` gets: the answer itself when one interrupt was open, else
 * a map by interrupt id (docs/human-in-the-loop.md). A RESPOND answer is its `value`; any other
 * decision is `{ decision, arguments, message }` for the graph to read.
 */
export function resumeCommandOf(resume: DialectResume): unknown {
  const valueOf = (answer: DialectResume['answers'][number]) =>
    answer.decision === 'RESPOND'
      ? answer.value
      : {
          decision: answer.decision.toLowerCase(),
          arguments: answer.arguments ?? answer.request.arguments ?? null,
          message: answer.comment,
        };
  if (resume.answers.length === 1) return valueOf(resume.answers[0]!);
  return Object.fromEntries(resume.answers.map((answer) => [answer.request.interruptId, valueOf(answer)]));
}

/** LangGraph thread ids are UUIDs: a UUID thread id is used as is, any other is hashed to one. */
export function upstreamThreadId(threadId: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(threadId)) return threadId.toLowerCase();
  const hex = createHash('sha1').update(`synapse:${threadId}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function toLangGraphMessage(message: ReturnType<typeof inputMessagesOf>[number]): Record<string, unknown> {
  switch (message.role) {
    case 'user':
      return { role: 'human', content: message.content };
    case 'assistant':
      return { role: 'ai', content: message.content };
    case 'tool':
      return { role: 'tool', content: message.content, tool_call_id: message.toolCallId };
    default:
      return { role: 'system', content: message.content };
  }
}

async function postJson(url: string, body: unknown, settings: TransportSettings, signal: AbortSignal): Promise<void> {
  const target = new URL(url);
  const { request } = await loadUndici();
  const dispatcher = await dispatcherFor(target.origin, settings);
  let response: Dispatcher.ResponseData;
  try {
    response = await request(target, {
      dispatcher,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...settings.headers },
      body: JSON.stringify(body ?? {}),
      signal,
    });
  } catch (error) {
    throw signal.aborted ? (signal.reason ?? error) : toUpstreamError(error, settings);
  }
  const text = await response.body.text().catch(() => '');
  if (response.statusCode >= 300)
    throw UpstreamError.http(response.statusCode, text.slice(0, 300), parseRetryAfter(response.headers['retry-after']));
}

class LangGraphMapper implements FrameMapper {
  private readonly transcript = new Transcript();
  private readonly tools = new ToolCallTracker();
  /** usage_metadata per AI message id: summed across messages, replaced within one. */
  private readonly usageByMessage = new Map<string, Usage>();
  private usage: Usage | null = null;
  private lastValues: unknown = null;
  /** Tool call id per `<message id>#<index>` of the streamed chunks. */
  private readonly callBySlot = new Map<string, string>();

  /** Ids of the interrupts this run stopped at: the run pauses instead of completing. */
  private readonly interrupts: string[] = [];

  constructor(
    private readonly state: { runId: string | null },
    private readonly onPause: (interrupts: readonly string[]) => void = () => {},
  ) {}

  /** The graph stopped at interrupt(): its stream ends cleanly and the bridge pauses the run. */
  paused(): boolean {
    return this.interrupts.length > 0;
  }

  mapInto(frame: UpstreamFrame, out: AgentEventBody[]): void {
    out.push(...this.bodiesOf(frame));
  }

  private bodiesOf(frame: UpstreamFrame): AgentEventBody[] {
    if (frame.kind !== 'sse') return [];
    const event = frame.event ?? 'message';
    if (event === 'end') return this.finish();
    const data = frame.data.trim() === '' ? null : parseJsonFrame(frame.data, 'event');
    const mode = event.split('|')[0]!;
    switch (mode) {
      case 'metadata':
        if (isRecord(data) && typeof data.run_id === 'string') this.state.runId = data.run_id;
        return [];
      case 'messages':
        return isList(data) ? this.message(asRecord(data[0])) : [custom('langgraph.messages', data)];
      case 'updates':
        return this.updates(asRecord(data));
      case 'values':
        this.lastValues = data;
        return [{ type: 'StateSnapshot', state: data }];
      case 'custom':
        return [custom('langgraph.custom', data)];
      case 'error': {
        const error = asRecord(data);
        return [
          ...this.tools.completeAll(),
          ...this.transcript.completeAll(),
          upstreamFailed(`${textOf(error.error, 'Error')}: ${textOf(error.message, '')}`, this.usage),
        ];
      }
      default:
        return [custom(`langgraph.${event}`, data)];
    }
  }

  /** A clean end of the stream is how the LangGraph API finishes a run (older servers send `end`). */
  end(): AgentEventBody[] {
    return this.finish();
  }

  private finish(): AgentEventBody[] {
    if (this.interrupts.length > 0) {
      this.onPause(this.interrupts);
      return [...this.tools.completeAll(), ...this.transcript.completeAll()];
    }
    return [
      ...this.tools.completeAll(),
      ...this.transcript.completeAll(),
      runCompleted(this.lastValues ?? this.transcript.text, this.transcript.text, this.usage),
    ];
  }

  private message(chunk: JsonObject): AgentEventBody[] {
    const type = textOf(chunk.type, '');
    const id = textOf(chunk.id, 'message');
    if (type === 'tool' || type === 'ToolMessageChunk') {
      const toolCallId = textOf(chunk.tool_call_id, '');
      return [
        ...this.tools.complete(`${toolCallId}`),
        { type: 'ToolResult', toolCallId, result: parseMaybeJson(chunk.content), isError: chunk.status === 'error' },
      ];
    }
    if (type !== 'AIMessageChunk' && type !== 'ai') return [custom(`langgraph.message.${type || 'unknown'}`, chunk)];
    const events: AgentEventBody[] = [];
    for (const piece of isList(chunk.content) ? chunk.content : [chunk.content]) {
      if (typeof piece === 'string') events.push(...this.transcript.delta(id, piece));
      else if (isRecord(piece) && piece.type === 'text')
        events.push(...this.transcript.delta(id, textOf(piece.text, '')));
      else if (isRecord(piece) && (piece.type === 'thinking' || piece.type === 'reasoning'))
        events.push({ type: 'ReasoningDelta', delta: textOf(piece.thinking ?? piece.reasoning ?? piece.text, '') });
    }
    // The LangGraph API serialises a streamed AIMessageChunk with type "ai" too: what makes it a
    // chunk is its `tool_call_chunks`. Its `tool_calls` are LangChain's parse of the argument text
    // so far (`{}` for the first chunk), never the final arguments: only a whole message's are.
    const streamed = isList(chunk.tool_call_chunks);
    for (const item of arr(chunk, 'tool_call_chunks')) {
      const call = asRecord(item);
      const key = this.toolCallKey(id, call);
      if (key === undefined) continue;
      events.push(
        ...this.tools.start(key, key, textOf(call.name, '')),
        ...this.tools.delta(key, typeof call.args === 'string' ? call.args : ''),
      );
    }
    if (!streamed && type === 'ai') {
      for (const item of arr(chunk, 'tool_calls')) {
        const call = asRecord(item);
        const key = String(call.id);
        events.push(...this.tools.start(key, key, textOf(call.name, '')), ...this.tools.complete(key, call.args ?? {}));
      }
    }
    if (isRecord(chunk.usage_metadata)) events.push(...this.readUsage(id, chunk.usage_metadata));
    return events;
  }

  /**
   * The call a tool_call_chunk belongs to: the first chunk of a call carries its id (and name) and
   * its `index` within the message; the rest carry only that index (OpenAI's streaming shape), and
   * several calls of one message may interleave.
   */
  private toolCallKey(messageId: string, call: JsonObject): string | undefined {
    const slot = `${messageId}#${typeof call.index === 'number' ? call.index : 0}`;
    if (typeof call.id === 'string' && call.id !== '') {
      this.callBySlot.set(slot, call.id);
      return call.id;
    }
    return this.callBySlot.get(slot);
  }

  private updates(update: JsonObject): AgentEventBody[] {
    const events: AgentEventBody[] = [];
    for (const [node, value] of Object.entries(update)) {
      if (node === '__interrupt__') {
        for (const [index, interrupt] of (isList(value) ? value : [value]).entries()) {
          const record = asRecord(interrupt);
          const value = record.value ?? interrupt ?? null;
          const interruptId = textOf(record.id ?? record.interrupt_id, `interrupt_${index}`);
          if (this.interrupts.includes(interruptId)) continue;
          this.interrupts.push(interruptId);
          events.push(interruptRequested({ interruptId, message: questionOf(value), value }));
        }
        continue;
      }
      // a node's update arrives when the node has finished: its streamed calls are complete
      events.push(...this.tools.completeAll(), ...this.transcript.completeAll(), { type: 'StepFinished', name: node });
    }
    return events;
  }

  private readUsage(messageId: string, raw: JsonObject): AgentEventBody[] {
    const details = asRecord(raw.output_token_details);
    const inputDetails = asRecord(raw.input_token_details);
    const previous = this.usageByMessage.get(messageId);
    const add = (left: number | null | undefined, right: number | null) =>
      right === null ? (left ?? null) : (left ?? 0) + right;
    // chunks of one message carry increments that LangChain sums; keep a per-message running sum
    const current = makeUsage({
      inputTokens: add(previous?.inputTokens, count(raw.input_tokens)),
      outputTokens: add(previous?.outputTokens, count(raw.output_tokens)),
      totalTokens: add(previous?.totalTokens, count(raw.total_tokens)),
      reasoningTokens: add(previous?.reasoningTokens, count(details.reasoning)),
      cachedInputTokens: add(previous?.cachedInputTokens, count(inputDetails.cache_read)),
    });
    this.usageByMessage.set(messageId, current);
    const sum = (key: keyof Usage) => {
      const values = [...this.usageByMessage.values()]
        .map((usage) => usage[key])
        .filter((value): value is number => value !== null);
      return values.length === 0 ? null : values.reduce((total, value) => total + value, 0);
    };
    this.usage = makeUsage({
      inputTokens: sum('inputTokens'),
      outputTokens: sum('outputTokens'),
      totalTokens: sum('totalTokens'),
      reasoningTokens: sum('reasoningTokens'),
      cachedInputTokens: sum('cachedInputTokens'),
    });
    return [usageUpdated(this.usage)];
  }
}

function parseMaybeJson(content: unknown): unknown {
  if (typeof content !== 'string') return content ?? null;
  try {
    return JSON.parse(content);
  } catch {
    return content;
  }
}

/** The question of an interrupt value: the string itself, or its `question` / `message` / `prompt`. */
export function questionOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isRecord(value)) {
    for (const key of ['question', 'message', 'prompt', 'description']) {
      if (typeof value[key] === 'string' && value[key] !== '') return value[key];
    }
  }
  return null;
}
