import { EventEmitter, once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Chunking, RecordedRequest } from './types.js';

/** A started mock upstream. */
export interface RunningMock {
  /** `http://127.0.0.1:<port>` or `ws://…`. */
  readonly url: string;
  readonly port: number;
  /** Every request (and WebSocket connection) received, in order. */
  readonly requests: RecordedRequest[];
  /** Streams the client closed before the mock finished them (cancel, timeout). */
  readonly clientDisconnects: number;
  /** TCP connections accepted (keep-alive reuse shows as fewer connections than requests). */
  readonly connections: number;
  /** Resolves once the client has closed `count` unfinished streams. */
  waitForClientDisconnect(count?: number): Promise<void>;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

export class Recorder {
  readonly requests: RecordedRequest[] = [];
  private disconnects = 0;
  connections = 0;
  private readonly events = new EventEmitter();

  record(request: RecordedRequest): void {
    this.requests.push(request);
    this.events.emit('change');
  }

  /** Counts a client disconnect when the connection closes before the response finished. */
  trackStream(request: IncomingMessage, response: ServerResponse): void {
    response.on('close', () => {
      if (!response.writableFinished) this.clientGone();
    });
    void request;
  }

  clientGone(): void {
    this.disconnects++;
    this.events.emit('change');
  }

  private async until(predicate: () => boolean): Promise<void> {
    while (!predicate()) await once(this.events, 'change');
  }

  running(url: string, port: number, close: () => Promise<void>): RunningMock {
    const disconnects = () => this.disconnects;
    const connections = () => this.connections;
    return {
      url,
      port,
      requests: this.requests,
      get clientDisconnects() {
        return disconnects();
      },
      get connections() {
        return connections();
      },
      waitForClientDisconnect: (count = 1) => this.until(() => this.disconnects >= count),
      waitForRequests: (count) => this.until(() => this.requests.length >= count),
      close,
    };
  }
}

/**
 * Writes one frame as the chunking asks: whole, one byte per write, or cut at random byte
 * offsets (which cut multi-byte UTF-8 characters too). Each write waits a turn of the event loop
 * so the pieces leave as separate TCP writes.
 */
export async function writeCut(
  response: ServerResponse,
  frame: string,
  chunking: Chunking | undefined,
  random: () => number,
): Promise<void> {
  const bytes = Buffer.from(frame, 'utf8');
  if (!chunking || chunking === 'frame') {
    await new Promise<void>((resolve) => response.write(bytes, () => resolve()));
    return;
  }
  let offset = 0;
  while (offset < bytes.length && !response.destroyed) {
    const size = chunking === 'byte' ? 1 : 1 + Math.floor(random() * 12);
    const piece = bytes.subarray(offset, offset + size);
    await new Promise<void>((resolve) => response.write(piece, () => resolve()));
    offset += size;
    await yieldToLoop();
  }
}
