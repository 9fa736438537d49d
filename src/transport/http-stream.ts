import type { Dispatcher } from 'undici';
import { dispatcherFor, poolInUse } from './dispatchers.js';
import { loadUndici } from './undici.js';
import type { FrameSource } from './frames.js';
import { streamBatches } from './stream-batches.js';
import { createNdjsonDecoder } from './ndjson-reader.js';
import { createSseDecoder } from './sse-reader.js';
import type { TransportSettings } from './settings.js';
import { parseRetryAfter, toUpstreamError, UpstreamError } from './upstream-error.js';

export interface HttpStreamRequest {
  url: string;
  method?: 'GET' | 'POST';
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** How the response body is framed. */
  reader: 'sse' | 'ndjson';
}

const ERROR_BODY_LIMIT = 2_048;
/** How long a finished stream's remaining bytes may take before its connection is dropped. */
const DRAIN_MS = 1_000;

/**
 * Sends one request over the origin's shared pool and, on a 2xx answer, returns its body as
 * arrays of frames (one per chunk). Any other status throws an UpstreamError carrying it (and Retry-After); undici
 * failures are mapped to UPSTREAM_TIMEOUT / UPSTREAM_DISCONNECTED. Aborting `signal` aborts the
 * request and destroys its connection at once, whether headers or body are in flight.
 */
export async function openHttpStream(
  spec: HttpStreamRequest,
  settings: TransportSettings,
  signal: AbortSignal,
): Promise<FrameSource> {
  const url = new URL(spec.url);
  const headers: Record<string, string> = {
    accept: spec.reader === 'sse' ? 'text/event-stream' : 'application/x-ndjson, application/json',
    ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...settings.headers,
    ...spec.headers,
  };
  const { request } = await loadUndici();
  const dispatcher = await dispatcherFor(url.origin, settings);
  if (settings.onPoolWait) {
    const inUse = poolInUse(dispatcher);
    if (inUse >= settings.poolConnections)
      settings.onPoolWait({ origin: url.origin, connections: settings.poolConnections, inUse });
  }
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      dispatcher,
      method: spec.method ?? 'POST',
      headers,
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      signal,
      headersTimeout: settings.headersMs,
      bodyTimeout: settings.bodyMs,
    });
  } catch (error) {
    throw mapError(error, settings, signal);
  }
  // undici's body emits 'error' (RequestAbortedError) when it is destroyed before its end; once
  // an iterator has let go, nobody else listens, and an unheard 'error' would crash the process.
  response.body.on('error', () => {});
  if (response.statusCode < 200 || response.statusCode >= 300) {
    const detail = await readSome(response.body, ERROR_BODY_LIMIT);
    throw UpstreamError.http(response.statusCode, detail, parseRetryAfter(response.headers['retry-after']));
  }
  const body = response.body;
  const decoder =
    spec.reader === 'sse' ? createSseDecoder(settings.maxFrameBytes) : createNdjsonDecoder(settings.maxFrameBytes);
  const batches = streamBatches(body, decoder, {
    mapError: (error) => {
      const mapped = mapError(error, settings, signal);
      return mapped instanceof Error ? mapped : new Error(String(mapped));
    },
    settle: (clean) => {
      // Stopped at the terminal frame: read the little that is left so the keep-alive connection
      // goes back to the pool (never destroy it there); after a failure, cancel or timeout, drop
      // the connection.
      if (body.destroyed) return;
      if (clean && !signal.aborted) {
        body.dump({ limit: Number.MAX_SAFE_INTEGER, signal: AbortSignal.timeout(DRAIN_MS) }).catch(() => {});
      } else {
        body.destroy();
      }
    },
  });
  return { batches, close: () => body.destroy() };
}

function mapError(error: unknown, settings: TransportSettings, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason ?? error;
  return toUpstreamError(error, settings);
}

/** The first bytes of an error body, as text, for the RunFailed message; the rest is discarded. */
async function readSome(body: AsyncIterable<Uint8Array> & { destroy(): void }, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(Buffer.from(chunk));
      size += chunk.length;
      if (size >= limit) break;
    }
  } catch {
    // an error body that breaks off is still an HTTP error
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, 300).replace(/\s+/g, ' ').trim();
}
