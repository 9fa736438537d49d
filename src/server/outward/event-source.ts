import type { ServerResponse } from 'node:http';
import { WorkflowStream } from '../../bridge/index.js';
import type { AgentEvent } from '../../events/index.js';
import type { SynapseServices } from '../../schema/index.js';

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
}

/**
 * Pumps one workflow's events (replay, then live; each once, in order: WorkflowStream) into an
 * outward HTTP response until the workflow's terminal event, the client's disconnect, or
 * `shouldStop`. A disconnect only stops reading: the run goes on (cancel is its own request).
 * Resolves true when the stream ran to its end, false when the client went away first.
 */
export async function pumpWorkflow(response: ServerResponse, options: PumpOptions): Promise<boolean> {
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
  try {
    for (;;) {
      if (gone) return false;
      const result = await stream.nextBatch();
      if (result.done || gone) break;
      const stored = result.value.filter((event) => event.type !== 'Heartbeat');
      const flowing = stored.length > 0 ? options.write(stored) : options.heartbeat();
      if (options.shouldStop?.()) break;
      if (!flowing && !gone) await new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.once('drain', done);
        response.once('close', done);
      });
    }
    return !gone;
  } finally {
    response.off('close', onClose);
    if (!gone) await stream.return();
  }
}
