/**
 * The bench's upstream: an OpenAI Chat Completions-style SSE server on loopback whose rate the
 * parent controls. `arm` sets the next stream (count, rate, mode); the stream's request is held
 * (headers sent, no frame) until `go`, so subscribers can be in place first. Every delta's text
 * is `<index>@<write time in ms>;`, the write time on the shared clock (ipc.ts `clock`).
 *
 * mode `alt`: deltas alternate content / reasoning_content, so no two consecutive text deltas can
 * be merged downstream: one upstream delta = one event everywhere. mode `text`: content only.
 */
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clock, emit, serveRequests } from './ipc.js';

interface Plan {
  count: number;
  /** Deltas per second; 0 = as fast as the socket takes them. */
  rate: number;
  mode: 'alt' | 'text';
}

let plan: Plan | null = null;
let held: ServerResponse | null = null;

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    if (!plan || held) {
      response.writeHead(503).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.flushHeaders();
    held = response;
    emit({ ev: 'request' });
  });
});
server.keepAliveTimeout = 60_000;

function frame(index: number, stamp: string, mode: Plan['mode']): string {
  const field = mode === 'alt' && index % 2 === 1 ? 'reasoning_content' : 'content';
  return `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","model":"bench","choices":[{"index":0,"delta":{"${field}":"${index}@${stamp};"},"finish_reason":null}]}\n\n`;
}

function stream(response: ServerResponse, { count, rate, mode }: Plan): void {
  const hash = createHash('sha256');
  const started = clock();
  let index = 0;
  const tick = () => {
    if (response.destroyed) return done(false);
    const now = clock();
    const due = rate > 0 ? Math.min(count, Math.floor(((now - started) / 1000) * rate) + 1) : count;
    const stamp = now.toFixed(3);
    let chunk = '';
    // At most 256 frames per write: an upstream that is far ahead still leaves room for backpressure.
    for (let n = 0; index < due && n < 256; n++, index++) {
      const text = `${index}@${stamp};`;
      hash.update(text);
      chunk += frame(index, stamp, mode);
    }
    const writable = chunk ? response.write(chunk) : true;
    if (index >= count) {
      response.end(
        `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n` +
          `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":${count},"total_tokens":${count + 1}}}\n\n` +
          'data: [DONE]\n\n',
      );
      return done(true);
    }
    if (!writable) response.once('drain', tick);
    else if (rate > 0) setTimeout(tick, 1);
    else setImmediate(tick);
  };
  const done = (complete: boolean) =>
    emit({ ev: 'sent', complete, sent: index, started, ended: clock(), hash: hash.digest('hex') });
  tick();
}

serveRequests(async (message) => {
  switch (message.cmd) {
    case 'arm':
      plan = {
        count: Number(message.count),
        rate: Number(message.rate),
        mode: message.mode === 'text' ? 'text' : 'alt',
      };
      held?.destroy();
      held = null;
      return {};
    case 'go': {
      if (!held || !plan) throw new Error('no held stream to start');
      const response = held;
      const current = plan;
      held = null;
      plan = null;
      stream(response, current);
      return {};
    }
    default:
      throw new Error(`unknown command ${String(message.cmd)}`);
  }
});

server.listen(0, '127.0.0.1', () => {
  emit({ ev: 'listening', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions` });
});
