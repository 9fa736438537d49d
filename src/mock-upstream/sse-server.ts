import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Recorder, writeCut, type RunningMock } from './recorder.js';
import type { MockUpstreamOptions, SseFixture } from './types.js';

/** A real HTTP server that answers with a recorded SSE stream, cut and faulted as asked. */
export async function startSseMock(fixture: SseFixture, options: MockUpstreamOptions): Promise<RunningMock> {
  const recorder = new Recorder();
  const fault = options.fault ?? {};
  let streamRequests = 0;

  const server = createServer((request, response) => {
    void handle(request, response).catch(() => response.destroy());
  });
  server.keepAliveTimeout = 5_000;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readJson(request);
    const path = request.url ?? '/';
    const method = request.method ?? 'GET';
    recorder.record({ method, path, headers: request.headers, body });
    const json = fixture.json?.(method, path, body);
    if (json) {
      response.writeHead(json.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(json.body));
      return;
    }
    if (fixture.isStream ? !fixture.isStream(method, path) : method !== 'POST') {
      response.writeHead(404).end();
      return;
    }
    const attempt = ++streamRequests;
    recorder.trackStream(request, response);
    if (fault.headersDelayMs) await sleep(fault.headersDelayMs);
    if (fault.status && attempt <= (fault.statusTimes ?? Number.POSITIVE_INFINITY)) {
      response.writeHead(fault.status, {
        'content-type': 'application/json',
        ...(fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {}),
      });
      response.end(JSON.stringify({ error: { message: `mock upstream answers ${fault.status}`, type: 'mock_error' } }));
      return;
    }
    const scenario = options.scenario ?? 'full';
    const frames = fixture.scenarios[scenario] ?? fixture.scripted?.[scenario]?.(body);
    if (!frames) {
      response.writeHead(500).end(`unknown scenario ${options.scenario}`);
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...fixture.headers,
    });
    response.flushHeaders();
    const random = seeded(options.seed ?? 7);
    for (let index = 0; index <= frames.length; index++) {
      if (response.destroyed) return;
      if (index === fault.resetAfterFrames) return void response.socket?.destroy();
      if (index === fault.truncateAfterFrames) return void response.end();
      if (index === fault.stallAfterFrames) return; // silent; the client's timeout closes it
      if (index === fault.malformedAfterFrames)
        await writeCut(response, fixture.malformedFrame ?? 'data: {"unterminated": \n\n', options.chunking, random);
      if (index === fault.garbageAfterFrames)
        await writeCut(response, '\u0000\u00ff garbage that is not SSE\n\n', options.chunking, random);
      if (index === fault.oversizedAfterFrames)
        await writeCut(
          response,
          `data: {"padding":"${'x'.repeat(fault.oversizedBytes ?? 2 * 1024 * 1024)}"}\n\n`,
          'frame',
          random,
        );
      if (index === frames.length) break;
      if (index > 0 && options.frameDelayMs) await sleep(options.frameDelayMs);
      await writeCut(response, frames[index]!, options.chunking, random);
    }
    response.end();
  }

  server.on('connection', () => recorder.connections++);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return recorder.running(`http://${options.host ?? '127.0.0.1'}:${port}`, port, async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return null;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A small deterministic PRNG (mulberry32), so a failing cut can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
