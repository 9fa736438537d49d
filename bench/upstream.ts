/**
 * Cost of the upstream hot path: a real loopback HTTP server streams N OpenAI-style chunks (or
 * Anthropic events), and the dialect turns them into event bodies: undici, SSE parsing, JSON
 * parsing and mapping, without the bridge and the store. Run: `npx tsx bench/upstream.ts [N]`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../src/config/index.js';
import { dialects } from '../src/dialects/index.js';
import { closeDispatchers } from '../src/transport/dispatchers.js';

const count = Number(process.argv[2] ?? 100_000);

function openAiBody(): string {
  const frames: string[] = [];
  for (let index = 0; index < count; index++) {
    frames.push(
      `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: `tok${index} ` }, finish_reason: null }] })}\n\n`,
    );
  }
  frames.push(
    `data: ${JSON.stringify({ id: 'chatcmpl-1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
    'data: [DONE]\n\n',
  );
  return frames.join('');
}

function anthropicBody(): string {
  const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const frames = [
    event('message_start', { message: { id: 'msg_1', usage: { input_tokens: 10, output_tokens: 1 } } }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  ];
  for (let index = 0; index < count; index++)
    frames.push(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: `tok${index} ` } }));
  frames.push(
    event('content_block_stop', { index: 0 }),
    event('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: count } }),
    event('message_stop', {}),
  );
  return frames.join('');
}

async function measure(dialect: string, body: string): Promise<void> {
  const payload = Buffer.from(body);
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    // 16 KiB writes, as a busy upstream's socket would deliver them
    for (let offset = 0; offset < payload.length; offset += 16_384)
      response.write(payload.subarray(offset, offset + 16_384));
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const config = parseConfig(
    { agents: [{ id: 'bench', dialect, url: `http://127.0.0.1:${port}/`, maxFrameBytes: 1_048_576 }] },
    { env: {}, source: 'bench' },
  );
  const controller = new AbortController();
  const context = {
    workflowId: 'bench',
    threadId: 'bench',
    agent: config.agents[0]!,
    input: { messages: [{ role: 'user' as const, content: 'go' }] },
    signal: controller.signal,
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let events = 0;
  let last = '';
  // What the bridge reads: the dialect's batches.
  for await (const batch of dialects.get(dialect)!.runBatches(context)) {
    events += batch.length;
    last = batch[batch.length - 1]!.type;
  }
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  server.close();
  const perEventUs = ((cpu.user + cpu.system) / events).toFixed(2);
  console.log(
    `${dialect.padEnd(20)} ${events} events (${(payload.length / 1_048_576).toFixed(1)} MiB) in ${elapsedMs.toFixed(0)} ms: ` +
      `${Math.round(events / (elapsedMs / 1000)).toLocaleString('en')} events/s, ${perEventUs} µs CPU per event (client and server in one process), last ${last}`,
  );
}

await measure('openai-chat', openAiBody());
await measure('anthropic-messages', anthropicBody());
await closeDispatchers();
