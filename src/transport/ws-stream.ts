import { WebSocket, type RawData } from 'ws';
import type { FrameSource, UpstreamFrame } from './frames.js';
import type { TransportSettings } from './settings.js';
import { parseRetryAfter, toUpstreamError, UpstreamError } from './upstream-error.js';

/** Queue length at which the socket is paused until the reader takes the queue. */
const HIGH_WATER = 256;

/**
 * Opens a WebSocket to the upstream and returns its messages as frames. A handshake answered
 * with an HTTP status throws UPSTREAM_HTTP_<status>; a message over `maxFrameBytes` ends the
 * stream with UPSTREAM_PROTOCOL (ws refuses it, close 1009); an abnormal close ends it with
 * UPSTREAM_DISCONNECTED; a normal close simply ends it. Aborting `signal` terminates the
 * socket at once.
 */
export function openWebSocket(url: string, settings: TransportSettings, signal: AbortSignal): Promise<FrameSource> {
  return new Promise<FrameSource>((resolve, reject) => {
    const socket = new WebSocket(url, {
      headers: settings.headers,
      maxPayload: settings.maxFrameBytes,
      handshakeTimeout: settings.connectMs,
      perMessageDeflate: false,
    });
    let queue: UpstreamFrame[] = [];
    let ended = false;
    let failure: unknown = null;
    let wake: (() => void) | null = null;
    let opened = false;
    const notify = () => {
      const resume = wake;
      wake = null;
      resume?.();
    };
    const fail = (error: unknown) => {
      if (ended) return;
      failure = error;
      ended = true;
      notify();
    };
    const onAbort = () => {
      socket.terminate();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the abort reason passes through as is (the caller's own reason, e.g. an UpstreamError timeout)
      if (!opened) reject(signal.reason);
      fail(signal.reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });

    socket.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      const retryAfter = parseRetryAfter(response.headers['retry-after']);
      response.resume();
      socket.terminate();
      reject(UpstreamError.http(status, '', retryAfter));
    });
    socket.on('open', () => {
      opened = true;
      resolve(source);
    });
    socket.on('message', (data: RawData) => {
      queue.push({ kind: 'ws', data: rawToString(data) });
      if (queue.length >= HIGH_WATER) socket.pause();
      notify();
    });
    socket.on('error', (error: Error & { code?: string }) => {
      const mapped =
        error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
          ? UpstreamError.protocol(`an upstream frame is larger than maxFrameBytes (${settings.maxFrameBytes} bytes)`)
          : error.message.includes('Opening handshake has timed out')
            ? UpstreamError.timeout('connect', settings.connectMs)
            : error.code?.startsWith('WS_ERR_')
              ? UpstreamError.protocol(`the upstream broke the WebSocket protocol (${error.code})`)
              : toUpstreamError(error, settings);
      if (!opened) reject(mapped);
      fail(mapped);
    });
    socket.on('close', (code) => {
      signal.removeEventListener('abort', onAbort);
      if (!opened)
        reject(UpstreamError.disconnected(`the upstream closed the WebSocket during the handshake (${code})`));
      if (code === 1000 || code === 1001 || code === 1005) {
        ended = true;
        notify();
      } else {
        fail(UpstreamError.disconnected(`the upstream WebSocket closed abnormally (code ${code})`));
      }
    });

    /** Every message queued since the last step, in one array. */
    async function* batches(): AsyncGenerator<UpstreamFrame[]> {
      try {
        for (;;) {
          if (queue.length > 0) {
            const frames = queue;
            queue = [];
            if (socket.isPaused) socket.resume();
            yield frames;
            continue;
          }
          if (ended) {
            // eslint-disable-next-line @typescript-eslint/only-throw-error -- an UpstreamError, or the abort reason passed through as is (see onAbort)
            if (failure) throw failure;
            return;
          }
          await new Promise<void>((wakeUp) => (wake = wakeUp));
        }
      } finally {
        source.close();
      }
    }

    const source: FrameSource = {
      batches: batches(),
      send: (data) => socket.send(data),
      close: () => {
        if (socket.readyState === WebSocket.OPEN) socket.close(1000);
        else if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
      },
    };
  });
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
