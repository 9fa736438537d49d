/** One frame as a reader delivers it, before a dialect maps it to events. */
export type UpstreamFrame =
  /** A Server-Sent Event; `event` is undefined when the stream names none. */
  | { kind: 'sse'; event: string | undefined; data: string; id: string | undefined }
  /** One line of an NDJSON stream, without its newline. */
  | { kind: 'line'; data: string }
  /** One WebSocket text (or binary, decoded as UTF-8) message. */
  | { kind: 'ws'; data: string };

/** One attempt's open upstream: its frames, and for WebSockets a way to send. */
export interface FrameSource {
  readonly frames: AsyncIterable<UpstreamFrame>;
  /** WebSocket upstreams only: send one text message. */
  send?(data: string): void;
  /** Closes the connection at once (cancel, timeout, done). Idempotent. */
  close(): void;
}
