import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { Recorder, type RunningMock } from './recorder.js';
import type { MockUpstreamOptions, WsFixture } from './types.js';

/**
 * A real WebSocket server: on each connection it waits for the client's first message, records
 * it, then replays the scenario's messages with the asked faults.
 */
export async function startWsMock(fixture: WsFixture, options: MockUpstreamOptions): Promise<RunningMock> {
  const recorder = new Recorder();
  const fault = options.fault ?? {};
  const server = createServer((_request, response) => response.writeHead(426).end());
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  let connections = 0;

  server.on('upgrade', (request, socket, head) => {
    const attempt = ++connections;
    if (fault.status && attempt <= (fault.statusTimes ?? Number.POSITIVE_INFINITY)) {
      recorder.record({ method: 'GET', path: request.url ?? '/', headers: request.headers, body: null });
      const retryAfter = fault.retryAfter !== undefined ? `Retry-After: ${fault.retryAfter}\r\n` : '';
      socket.end(`HTTP/1.1 ${fault.status} Mock Fault\r\n${retryAfter}Content-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const messages: unknown[] = [];
      const recorded = {
        method: 'GET',
        path: request.url ?? '/',
        headers: request.headers,
        body: null as unknown,
        messages,
      };
      let started = false;
      let finished = false;
      ws.on('close', () => {
        if (started && !finished) recorder.clientGone();
      });
      ws.on('message', (data) => {
        const text = rawText(data);
        let message: unknown;
        try {
          message = JSON.parse(text);
        } catch {
          message = text;
        }
        messages.push(message);
        if (started) return;
        started = true;
        recorded.body = message;
        recorder.record(recorded);
        void replay(ws, message).then(
          (done) => (finished = done),
          () => ws.terminate(),
        );
      });
    });
  });

  /** Resolves true when the mock ended the exchange itself. */
  async function replay(ws: WebSocket, request: unknown): Promise<boolean> {
    const frames = fixture.scenarios[options.scenario ?? 'full'];
    if (!frames) {
      ws.close(1011, 'unknown scenario');
      return true;
    }
    if (fault.headersDelayMs) await sleep(fault.headersDelayMs);
    const send = (value: unknown) =>
      ws.send(typeof value === 'string' ? value : JSON.stringify(resolveEcho(value, request)));
    for (let index = 0; index <= frames.length; index++) {
      if (ws.readyState !== ws.OPEN) return false;
      if (index === fault.resetAfterFrames) {
        ws.terminate();
        return true;
      }
      if (index === fault.truncateAfterFrames) {
        ws.close(1000);
        return true;
      }
      if (index === fault.stallAfterFrames) return false;
      if (index === fault.malformedAfterFrames || index === fault.garbageAfterFrames)
        send('{"status": "chunk", "data": ');
      if (index === fault.oversizedAfterFrames)
        send(JSON.stringify({ padding: 'x'.repeat(fault.oversizedBytes ?? 2 * 1024 * 1024) }));
      if (index === frames.length) break;
      if (index > 0 && options.frameDelayMs) await sleep(options.frameDelayMs);
      send(frames[index]);
    }
    return true;
  }

  server.on('connection', () => recorder.connections++);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return recorder.running(`ws://${options.host ?? '127.0.0.1'}:${port}`, port, async () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

/** `"$prompt"` in a scripted message is replaced by the client's prompt (chat-ws echoes it). */
function resolveEcho(value: unknown, request: unknown): unknown {
  const prompt =
    (request as { content?: unknown; prompt?: unknown } | null)?.content ??
    (request as { prompt?: unknown } | null)?.prompt;
  return JSON.parse(JSON.stringify(value), (_key, entry) =>
    entry === '$prompt' ? (typeof prompt === 'string' ? prompt : '') : entry,
  );
}

/** A WebSocket message as UTF-8 text, whichever binary form ws delivered it in. */
function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
}
