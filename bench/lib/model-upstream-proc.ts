/**
 * The concurrency scenario's upstream: an OpenAI Chat Completions-style SSE server on loopback
 * that answers every request like a model: the first token after `BENCH_TTFT_MS` (300), then
 * `BENCH_TOKENS` (300) tokens at `BENCH_TOKENS_PER_SEC` (40), then the finish chunk, a usage
 * chunk and `[DONE]`. Any number of streams at once, all driven by one timer (no timer per
 * stream). Each token's text is `<index>@<write time in ms>;`, the write time on the shared
 * clock (ipc.ts `clock`), so the client measures each token's latency and checks that none is
 * lost. Requests: `stats` → streams opened, running and finished.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clock, emit, serveRequests } from './ipc.js';

const TTFT_MS = Number(process.env.BENCH_TTFT_MS ?? 300);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 300);
const RATE = Number(process.env.BENCH_TOKENS_PER_SEC ?? 40);
const TICK_MS = 5;

interface Stream {
  response: ServerResponse;
  /** When the first token is due. */
  firstAt: number;
  sent: number;
}

const streams = new Set<Stream>();
let opened = 0;
let finished = 0;
let dropped = 0;

const chunk = (delta: string) =>
  `data: {"id":"chatcmpl-model","object":"chat.completion.chunk","model":"bench","choices":[{"index":0,"delta":{"content":"${delta}"},"finish_reason":null}]}\n\n`;
const END =
  `data: {"id":"chatcmpl-model","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n` +
  `data: {"id":"chatcmpl-model","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":${TOKENS},"total_tokens":${TOKENS + 1}}}\n\n` +
  'data: [DONE]\n\n';

let timer: NodeJS.Timeout | null = null;
function tick(): void {
  const now = clock();
  const stamp = now.toFixed(3);
  for (const stream of streams) {
    if (stream.response.destroyed) {
      streams.delete(stream);
      dropped++;
      continue;
    }
    if (now < stream.firstAt) continue;
    const due = Math.min(TOKENS, Math.floor(((now - stream.firstAt) / 1000) * RATE) + 1);
    let text = '';
    for (; stream.sent < due; stream.sent++) text += chunk(`${stream.sent}@${stamp};`);
    if (stream.sent >= TOKENS) {
      stream.response.end(text + END);
      streams.delete(stream);
      finished++;
    } else if (text) stream.response.write(text);
  }
  if (streams.size === 0 && timer) {
    clearInterval(timer);
    timer = null;
  }
}

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.flushHeaders();
    opened++;
    streams.add({ response, firstAt: clock() + TTFT_MS, sent: 0 });
    timer ??= setInterval(tick, TICK_MS);
  });
});
server.keepAliveTimeout = 60_000;
server.maxConnections = 100_000;

serveRequests(async (message) => {
  switch (message.cmd) {
    case 'stats': {
      const cpu = process.cpuUsage();
      return { opened, running: streams.size, finished, dropped, cpuUs: cpu.user + cpu.system };
    }
    default:
      throw new Error(`unknown command ${String(message.cmd)}`);
  }
});

server.listen(0, '127.0.0.1', () => {
  emit({
    ev: 'listening',
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`,
    ttftMs: TTFT_MS,
    tokens: TOKENS,
    rate: RATE,
  });
});
