import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { AgentEventBody } from '../events/index.js';
import { RunErrorCode } from '../events/index.js';
import { dispatcherFor } from '../transport/dispatchers.js';
import type { FrameSource, UpstreamFrame } from '../transport/frames.js';
import { openHttpStream } from '../transport/http-stream.js';
import type { FrameMapper } from '../transport/run-upstream.js';
import type { TransportSettings } from '../transport/settings.js';
import { loadUndici } from '../transport/undici.js';
import { parseRetryAfter, toUpstreamError, UpstreamError } from '../transport/upstream-error.js';
import { custom, interruptRequested, runCompleted, upstreamFailed } from './shared/completion.js';
import { defineUpstreamDialect } from './shared/define-dialect.js';
import { asRecord, isList, isRecord, parseJsonFrame, textOf } from './shared/json-frame.js';
import { Transcript } from './shared/transcript.js';
import { lastUserText } from './conversation.js';
import type { DialectResume, DialectRunContext } from './types.js';

const CANCEL_TIMEOUT_MS = 5_000;
const POLL_MS = 250;

/** What the run keeps across a pause (INPUT_REQUIRED): the remote task to answer. */
interface A2aPauseState {
  taskId: string;
  contextId: string;
}

/** The remote agent: its JSON-RPC endpoint and whether it streams (from its card). */
interface RemoteAgent {
  endpoint: string;
  streaming: boolean;
}

/**
 * A remote A2A 1.0 agent over JSON-RPC (docs/a2a.md, "Client"). `url` is the agent's card (a URL
 * ending in `.json`, or one with `/.well-known/`) or its JSON-RPC endpoint. A streaming agent is
 * run with SendStreamingMessage; one whose card says `streaming: false` with SendMessage
 * (returnImmediately) and GetTask polling. The Synapse thread is the message's `contextId`; a task
 * that asks for input pauses the run (InterruptRequested INPUT) and the answer goes back as a
 * message on the same task; cancel calls CancelTask; AUTH_REQUIRED fails the run with
 * UPSTREAM_AUTH_REQUIRED.
 */
export const a2aDialect = defineUpstreamDialect('a2a', (context, settings) => {
  const state: { taskId: string | null } = { taskId: null };
  const paused = context.resume?.state as A2aPauseState | undefined;
  let remote: RemoteAgent | null = null;
  return {
    open: async (signal) => {
      remote ??= await resolveRemote(context.agent.url!, settings, signal);
      const message = outgoingMessage(context, paused);
      if (paused) state.taskId = paused.taskId;
      if (remote.streaming) {
        return openHttpStream(
          {
            url: remote.endpoint,
            reader: 'sse',
            headers: { 'a2a-version': '1.0' },
            body: { jsonrpc: '2.0', id: 1, method: 'SendStreamingMessage', params: { message } },
          },
          settings,
          signal,
        );
      }
      return pollingSource(remote.endpoint, message, settings, signal);
    },
    createMapper: () => new A2aMapper(state, (pause) => context.pause?.(pause)),
    onCancel: () => {
      if (!state.taskId || !remote) return;
      const signal = AbortSignal.timeout(CANCEL_TIMEOUT_MS);
      void rpcCall(remote.endpoint, 'CancelTask', { id: state.taskId }, settings, signal).catch(() => {});
    },
  };
});

/** The message this run sends: the user's text on the thread, or the answers on the paused task. */
function outgoingMessage(context: DialectRunContext, paused: A2aPauseState | undefined): Record<string, unknown> {
  const base = { messageId: randomUUID(), role: 'ROLE_USER', contextId: paused?.contextId ?? context.threadId };
  if (paused && context.resume) return { ...base, taskId: paused.taskId, parts: answerParts(context.resume) };
  return { ...base, parts: [{ text: lastUserText(context) }] };
}

/** A RESPOND answer goes back as text (a string) or data (anything else); other decisions as data. */
function answerParts(resume: DialectResume): Record<string, unknown>[] {
  return resume.answers.map((answer) => {
    if (answer.decision === 'RESPOND')
      return typeof answer.value === 'string'
        ? { text: answer.value }
        : { data: answer.value ?? null, mediaType: 'application/json' };
    return {
      data: { decision: answer.decision, arguments: answer.arguments ?? null, message: answer.comment },
      mediaType: 'application/json',
    };
  });
}

/** Reads the card when `url` names one; otherwise `url` is the endpoint and the agent streams. */
async function resolveRemote(url: string, settings: TransportSettings, signal: AbortSignal): Promise<RemoteAgent> {
  if (!/\.json(\?|$)/.test(url) && !url.includes('/.well-known/')) return { endpoint: url, streaming: true };
  const card = asRecord(await httpJson(url, 'GET', undefined, settings, signal));
  const interfaces = isList(card.supportedInterfaces) ? card.supportedInterfaces.filter(isRecord) : [];
  const jsonRpc = interfaces.filter((entry) => textOf(entry.protocolBinding, '').toUpperCase() === 'JSONRPC');
  const chosen = jsonRpc.find((entry) => entry.protocolVersion === '1.0') ?? jsonRpc[0];
  // A 0.3 card names its endpoint in `url` (with `preferredTransport`).
  const endpoint = typeof chosen?.url === 'string' ? chosen.url : typeof card.url === 'string' ? card.url : null;
  if (!endpoint) throw UpstreamError.protocol(`the agent card at ${url} names no JSON-RPC interface`);
  const capabilities = asRecord(card.capabilities ?? {});
  return { endpoint: new URL(endpoint, url).href, streaming: capabilities.streaming === true };
}

async function httpJson(
  url: string,
  method: 'GET' | 'POST',
  body: unknown,
  settings: TransportSettings,
  signal: AbortSignal,
): Promise<unknown> {
  const target = new URL(url);
  const { request } = await loadUndici();
  const dispatcher = await dispatcherFor(target.origin, settings);
  let response: Dispatcher.ResponseData;
  try {
    response = await request(target, {
      dispatcher,
      method,
      headers: {
        accept: 'application/json',
        'a2a-version': '1.0',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...settings.headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal,
      headersTimeout: settings.headersMs,
      bodyTimeout: settings.bodyMs,
    });
  } catch (error) {
    throw signal.aborted ? (signal.reason ?? error) : toUpstreamError(error, settings);
  }
  const text = await response.body.text().catch(() => '');
  if (response.statusCode >= 300)
    throw UpstreamError.http(response.statusCode, text.slice(0, 300), parseRetryAfter(response.headers['retry-after']));
  try {
    return JSON.parse(text);
  } catch {
    throw UpstreamError.protocol(`${url} answered something that is not JSON`);
  }
}

/** One JSON-RPC call: the response envelope (`result` or `error`; the mapper reads an error as a failure). */
async function rpcCall(
  endpoint: string,
  method: string,
  params: unknown,
  settings: TransportSettings,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const answer = asRecord(
    await httpJson(endpoint, 'POST', { jsonrpc: '2.0', id: 1, method, params }, settings, signal),
  );
  return answer;
}

/**
 * A non-streaming agent as frames: SendMessage (returnImmediately), then GetTask until the task
 * ends or asks for input; each answer becomes one frame shaped like a stream item.
 */
function pollingSource(
  endpoint: string,
  message: Record<string, unknown>,
  settings: TransportSettings,
  signal: AbortSignal,
): FrameSource {
  const controller = new AbortController();
  const both = AbortSignal.any([signal, controller.signal]);
  async function* batches(): AsyncGenerator<UpstreamFrame[]> {
    const frame = (payload: Record<string, unknown>): UpstreamFrame[] => [
      { kind: 'sse', event: undefined, id: undefined, data: JSON.stringify(payload) },
    ];
    const sent = await rpcCall(
      endpoint,
      'SendMessage',
      { message, configuration: { returnImmediately: true } },
      settings,
      both,
    );
    yield frame(sent);
    const task = asRecord(asRecord(sent.result ?? {}).task ?? {});
    if (typeof task.id !== 'string') return; // a direct message answer, or an error: the mapper ends the run
    let last = JSON.stringify(task);
    for (;;) {
      if (SETTLED.has(String(asRecord(task.status ?? {}).state))) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        both.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      if (both.aborted) return;
      const got = await rpcCall(endpoint, 'GetTask', { id: task.id }, settings, both);
      const current = asRecord(got.result ?? {});
      const text = JSON.stringify(current);
      if (text !== last) yield frame({ ...got, result: { task: current } });
      last = text;
      if (got.error !== undefined || SETTLED.has(String(asRecord(current.status ?? {}).state))) return;
    }
  }
  return { batches: batches(), close: () => controller.abort() };
}

const SETTLED = new Set([
  'TASK_STATE_COMPLETED',
  'TASK_STATE_FAILED',
  'TASK_STATE_CANCELED',
  'TASK_STATE_REJECTED',
  'TASK_STATE_INPUT_REQUIRED',
  'TASK_STATE_AUTH_REQUIRED',
]);

/** Text and data of a message's or artifact's parts. */
function partsOf(parts: unknown): { text: string; data: unknown[] } {
  const list = isList(parts) ? parts.filter(isRecord) : [];
  return {
    text: list.map((part) => (typeof part.text === 'string' ? part.text : '')).join(''),
    data: list.filter((part) => part.data !== undefined).map((part) => part.data),
  };
}

/**
 * Maps A2A stream items (JSON-RPC responses whose `result` is a StreamResponse: task, message,
 * statusUpdate, artifactUpdate) to events (docs/a2a.md, "Client"). A task artifact's text parts
 * stream as the text of one message per artifact; its data parts are CustomEvents and, on
 * completion, the run's output; status messages while WORKING are ReasoningSteps.
 */
class A2aMapper implements FrameMapper {
  private readonly transcript = new Transcript();
  private readonly outputs: unknown[] = [];
  private contextId = '';
  private stopped = false;
  private interrupts = 0;
  private lastStatusText = '';
  /** Text streamed so far per artifact (a polled task repeats its artifacts whole). */
  private readonly artifactText = new Map<string, string>();

  constructor(
    private readonly state: { taskId: string | null },
    private readonly pause: (state: A2aPauseState) => void,
  ) {}

  paused(): boolean {
    return this.stopped;
  }

  mapInto(frame: UpstreamFrame, out: AgentEventBody[]): void {
    out.push(...this.bodiesOf(frame));
  }

  private bodiesOf(frame: UpstreamFrame): AgentEventBody[] {
    const envelope = asRecord(parseJsonFrame(frame.data, 'JSON-RPC response'));
    if (envelope.error !== undefined) {
      const error = asRecord(envelope.error);
      return [
        ...this.transcript.completeAll(),
        upstreamFailed(
          `the A2A agent answered error ${textOf(error.code, '?')}: ${textOf(error.message, 'no message')}`,
        ),
      ];
    }
    const result = asRecord(envelope.result ?? {});
    if (isRecord(result.task)) return this.task(result.task);
    if (isRecord(result.statusUpdate))
      return this.status(asRecord(result.statusUpdate.status ?? {}), result.statusUpdate);
    if (isRecord(result.artifactUpdate)) return this.artifact(result.artifactUpdate);
    if (isRecord(result.message)) {
      // A direct answer without a task: the whole run.
      const { text, data } = partsOf(result.message.parts);
      const id = textOf(result.message.messageId, 'message');
      return [
        ...this.transcript.delta(id, text),
        ...this.transcript.completeAll(),
        runCompleted(data.length > 0 ? (data.length === 1 ? data[0] : data) : null, this.transcript.text, null),
      ];
    }
    return [custom('a2a', result)];
  }

  private task(task: Record<string, unknown>): AgentEventBody[] {
    if (typeof task.id === 'string') this.state.taskId = task.id;
    if (typeof task.contextId === 'string') this.contextId = task.contextId;
    const events: AgentEventBody[] = [];
    for (const artifact of isList(task.artifacts) ? task.artifacts.filter(isRecord) : []) {
      // A polled task repeats its artifacts whole: only what is new is a delta.
      const id = `artifact:${textOf(artifact.artifactId, 'artifact')}`;
      const { text, data } = partsOf(artifact.parts);
      const seen = this.artifactText.get(id) ?? '';
      if (text.startsWith(seen) && text.length > seen.length) {
        events.push(...this.transcript.delta(id, text.slice(seen.length)));
        this.artifactText.set(id, text);
      }
      const known = new Set(this.outputs.map((value) => JSON.stringify(value)));
      for (const value of data) if (!known.has(JSON.stringify(value))) this.outputs.push(value);
    }
    return [...events, ...this.status(asRecord(task.status ?? {}), task)];
  }

  private artifact(update: Record<string, unknown>): AgentEventBody[] {
    const artifact = asRecord(update.artifact ?? {});
    const id = `artifact:${textOf(artifact.artifactId, 'artifact')}`;
    const { text, data } = partsOf(artifact.parts);
    const events: AgentEventBody[] = [...this.transcript.delta(id, text)];
    this.artifactText.set(id, (update.append === true ? (this.artifactText.get(id) ?? '') : '') + text);
    for (const value of data) {
      this.outputs.push(value);
      events.push(
        custom('a2a.artifact', { artifactId: artifact.artifactId ?? null, name: artifact.name ?? null, data: value }),
      );
    }
    if (update.lastChunk === true) events.push(...this.transcript.complete(id));
    return events;
  }

  private status(status: Record<string, unknown>, source: Record<string, unknown>): AgentEventBody[] {
    if (typeof source.taskId === 'string') this.state.taskId = source.taskId;
    if (typeof source.contextId === 'string') this.contextId = source.contextId;
    const state = textOf(status.state, '');
    const message = asRecord(status.message ?? {});
    const { text, data } = partsOf(message.parts);
    switch (state) {
      case 'TASK_STATE_COMPLETED': {
        const output =
          this.outputs.length === 0
            ? data.length > 0
              ? data[0]
              : null
            : this.outputs.length === 1
              ? this.outputs[0]
              : this.outputs;
        const final = this.transcript.text === '' && text ? this.transcript.delta('status', text) : [];
        return [...final, ...this.transcript.completeAll(), runCompleted(output, this.transcript.text, null)];
      }
      case 'TASK_STATE_FAILED':
      case 'TASK_STATE_REJECTED':
        return [
          ...this.transcript.completeAll(),
          upstreamFailed(
            `${state === 'TASK_STATE_REJECTED' ? 'the A2A agent rejected the task' : 'the A2A task failed'}${text ? `: ${text}` : ''}`,
          ),
        ];
      case 'TASK_STATE_CANCELED':
        return [
          ...this.transcript.completeAll(),
          upstreamFailed(`the A2A agent cancelled the task${text ? `: ${text}` : ''}`),
        ];
      case 'TASK_STATE_AUTH_REQUIRED':
        return [
          ...this.transcript.completeAll(),
          {
            type: 'RunFailed',
            code: RunErrorCode.UPSTREAM_AUTH_REQUIRED,
            message: `the A2A agent needs authentication${text ? `: ${text}` : ''}`,
            retryable: false,
            recoverySuggestion:
              "give the agent the credentials the remote agent asks for (the agent's `headers`), then run again",
            usage: null,
          },
        ];
      case 'TASK_STATE_INPUT_REQUIRED': {
        if (!this.state.taskId) return [upstreamFailed('the A2A agent asked for input without a task id')];
        this.stopped = true;
        this.pause({ taskId: this.state.taskId, contextId: this.contextId });
        return [
          ...this.transcript.completeAll(),
          interruptRequested({
            interruptId: `${this.state.taskId}:input:${++this.interrupts}`,
            kind: 'INPUT',
            message: text || 'The remote agent needs more input.',
            value: data.length > 0 ? (data.length === 1 ? data[0] : data) : null,
          }),
        ];
      }
      default: {
        // SUBMITTED / WORKING: progress notes; the same note twice (a polled task) once.
        if (text === '' && data.length === 0) return [];
        const key = JSON.stringify([state, text, data]);
        if (key === this.lastStatusText) return [];
        this.lastStatusText = key;
        if (text)
          return [{ type: 'ReasoningStep', title: text, detail: { state, ...(data.length > 0 ? { data } : {}) } }];
        if (data.length > 0) return [custom('a2a.status', { state, data })];
        return [];
      }
    }
  }
}
