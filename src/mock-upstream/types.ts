import { DIALECT_NAMES, type DialectName } from '../config/dialect-names.js';

/**
 * Faults a mock upstream can inject. Frame counts are of the scenario's frames: `resetAfterFrames:
 * 2` sends two frames, then destroys the connection.
 */
export interface MockFault {
  /** Answer this HTTP status (WebSocket: refuse the handshake with it) instead of streaming. */
  status?: number;
  /** Only the first N requests get `status`; later ones stream normally. Default: all. */
  statusTimes?: number;
  /** `Retry-After` header sent with `status`. */
  retryAfter?: string;
  /** Destroy the connection (TCP reset / WebSocket 1006) after N frames. */
  resetAfterFrames?: number;
  /** End the stream cleanly after N frames, without its terminal frame. */
  truncateAfterFrames?: number;
  /** Send a frame that is not valid JSON after N frames. */
  malformedAfterFrames?: number;
  /** Send a frame of `oversizedBytes` (default 2 MiB) after N frames. */
  oversizedAfterFrames?: number;
  oversizedBytes?: number;
  /** Send bytes that are not SSE after N frames. */
  garbageAfterFrames?: number;
  /** Go silent (connection kept open) after N frames. */
  stallAfterFrames?: number;
  /** Wait this long before sending response headers (HTTP) or the first frame (WebSocket). */
  headersDelayMs?: number;
}

/** How each frame is cut into socket writes. */
export type Chunking = 'frame' | 'byte' | 'random';

export interface MockUpstreamOptions {
  dialect: MockDialectName;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Which recorded stream to replay (see each fixture's scenarios); default `full`. */
  scenario?: string;
  fault?: MockFault;
  chunking?: Chunking;
  /** Pause between frames. */
  frameDelayMs?: number;
  /** Seed of the `random` chunking. */
  seed?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (HTTP) or first message (WebSocket); null when none. */
  body: unknown;
  /** Every message a WebSocket client sent. */
  messages?: unknown[];
}

/**
 * Every dialect the mock replays recorded streams for: all of the config's but the in-process demo
 * and `a2a` (a JSON-RPC conversation, tested against @a2a-js/sdk's own server: docs/a2a.md).
 */
export type MockDialectName = Exclude<DialectName, 'demo' | 'a2a'>;
export const MOCK_DIALECTS = DIALECT_NAMES.filter((name): name is MockDialectName => name !== 'demo' && name !== 'a2a');

/** A scenario of an SSE dialect: raw SSE frames exactly as they go on the wire. */
export interface SseFixture {
  kind: 'sse';
  /** Extra response headers (the AI SDK's `x-vercel-ai-ui-message-stream`). */
  headers?: Record<string, string>;
  scenarios: Record<string, string[]>;
  /** Scenarios whose frames depend on the request (the model mocks' `tool-loop`). */
  scripted?: Record<string, (body: unknown) => string[]>;
  /** A frame that is valid SSE but not valid JSON. */
  malformedFrame?: string;
  /** JSON endpoints beside the stream (LangGraph's threads and cancel). Return undefined for "not mine". */
  json?(method: string, path: string, body: unknown): { status: number; body: unknown } | undefined;
  /** Whether a request path is the stream endpoint; default every POST. */
  isStream?(method: string, path: string): boolean;
}

/** A scenario of a WebSocket dialect: JSON messages, sent after the client's first message. */
export interface WsFixture {
  kind: 'ws';
  scenarios: Record<string, unknown[]>;
}

export type Fixture = SseFixture | WsFixture;
