import type { ServerResponse } from 'node:http';
import { BATCH_AS_IS, WorkflowStream } from '../../subscription/index.js';
import type { AgentEvent } from '../../events/index.js';
import type { SynapseServices } from '../../schema/index.js';

function delay(ms: number): Promise<typeof IDLE> {
  return new Promise((resolve) => setTimeout(() => resolve(IDLE), ms).unref());
}

/** Starts an SSE answer: no buffering by proxies, no caching. */
export function startEventStream(response: ServerResponse, headers: Record<string, string> = {}): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...headers,
  });
  response.flushHeaders();
}

export interface PumpOptions {
  services: SynapseServices;
  workflowId: string;
  /** Stored events after this sequence are read first, then live ones. */
  afterSequence: number;
  /**
   * Writes what a batch of events becomes; returns false when the socket's buffer is full
   * (the pump waits for `drain` before reading on: a slow client never makes the gateway buffer
   * a whole replay).
   */
  write(events: AgentEvent[]): boolean;
  /** A live Heartbeat (the upstream is silent): protocols answer with a keep-alive. */
  heartbeat(): boolean;
  /** Stop early (a protocol's stream ends before the workflow does). */
  shouldStop?: () => boolean;
  /**
   * While `waiting()` says the protocol has seen an interrupt nobody answered yet, the store is
   * asked every `everyMs` (default 100) whether the workflow has paused (INPUT_REQUIRED: no
   * event marks it, docs/human-in-the-loop.md); the pump then ends with `'paused'`, so the
   * protocol can close its stream the way it says "waiting for you".
   */
  pause?: { waiting(): boolean; everyMs?: number };
}

/** How a pump ended: the workflow's terminal event, its pause, the client's disconnect, or `shouldStop`. */
export type PumpEnd = 'completed' | 'paused' | 'gone' | 'stopped';

const IDLE = Symbol('idle');

/**
 * Pumps one workflow's events (replay, then live; each once, in order: WorkflowStream) into an
 * outward HTTP response until the workflow's terminal event, its pause (with `pause`), the
 * client's disconnect, or `shouldStop`. A disconnect only stops reading: the run goes on (cancel
 * is its own request).
 */
export async function pumpWorkflow(response: ServerResponse, options: PumpOptions): Promise<PumpEnd> {
  const { services } = options;
  const stream = new WorkflowStream(services, options.workflowId, {
    afterSequence: options.afterSequence,
    onEnd: services.streams.open(),
    onLag: services.streams.lagged,
  });
  let gone = false;
  const onClose = () => {
    gone = true;
    void stream.return();
  };
  response.once('close', onClose);
  const everyMs = options.pause?.everyMs ?? 100;
  try {
    let pending: Promise<IteratorResult<AgentEvent[], undefined>> | null = null;
    for (;;) {
      if (gone) return 'gone';
      pending ??= stream.readBatch(BATCH_AS_IS);
      const result = options.pause?.waiting() ? await Promise.race([pending, delay(everyMs)]) : await pending;
      if (gone) return 'gone';
      if (result === IDLE) {
        const workflow = await services.store.getWorkflow(options.workflowId);
        if (workflow?.status === 'INPUT_REQUIRED') return 'paused';
        continue;
      }
      pending = null;
      if (result.done) return 'completed';
      const stored = result.value.filter((event) => event.type !== 'Heartbeat');
      const flowing = stored.length > 0 ? options.write(stored) : options.heartbeat();
      if (options.shouldStop?.()) return 'stopped';
      if (!flowing && !gone)
        await new Promise<void>((resolve) => {
          const done = () => {
            response.off('drain', done);
            response.off('close', done);
            resolve();
          };
          response.once('drain', done);
          response.once('close', done);
        });
    }
  } finally {
    response.off('close', onClose);
    if (!gone) await stream.return();
  }
}

/** An outward protocol's mapping of the event union (src/outward/): stateful, a pure function of the event sequence. */
export interface OutwardMapper<T> {
  map(event: AgentEvent): T[];
  /** An interrupt is open: the workflow is about to pause, or has. */
  hasOpenInterrupts(): boolean;
  /** How the protocol's stream ends when the workflow paused for a person. */
  finishPaused(): T[];
}

export interface MappedStreamOptions<T> {
  services: SynapseServices;
  workflowId: string;
  /** Only what comes from events after this sequence is written (0: everything). */
  after: number;
  mapper: OutwardMapper<T>;
  /** One protocol item as SSE text; `sequence` is the event it comes from (the last one, for a pause's items). */
  encode: (item: T, sequence: number) => string;
}

/**
 * A workflow as an outward protocol's SSE stream (docs/outward.md): the mapper sees every event
 * from the first, since its brackets depend on what came before, and only the items of events
 * after `after` are written; a pause ends the stream with the mapper's `finishPaused` items.
 * Heartbeats become SSE comments. The caller has started the response and ends it.
 */
export async function streamMapped<T>(response: ServerResponse, options: MappedStreamOptions<T>): Promise<PumpEnd> {
  const { mapper, encode, after } = options;
  let last = after;
  const end = await pumpWorkflow(response, {
    services: options.services,
    workflowId: options.workflowId,
    afterSequence: 0,
    write: (events) => {
      let text = '';
      for (const event of events) {
        const items = mapper.map(event);
        if (event.sequence <= after) continue;
        last = event.sequence;
        for (const item of items) text += encode(item, event.sequence);
      }
      return text === '' || response.write(text);
    },
    heartbeat: () => response.write(': keep-alive\n\n'),
    pause: { waiting: () => mapper.hasOpenInterrupts() },
  });
  if (end === 'paused') {
    let text = '';
    for (const item of mapper.finishPaused()) text += encode(item, last);
    response.write(text);
  }
  return end;
}
