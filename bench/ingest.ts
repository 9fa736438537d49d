/**
 * The ingest side alone, in one process: `npx tsx bench/ingest.ts [events] [rounds]`. A loopback
 * SSE upstream (openai-chat, alternating content and reasoning deltas, the whole body in one
 * write) → undici → the dialect → RunManager → WorkflowWriter, with a no-op store (commits cost
 * nothing) and the run started inside a log context as a request would. Prints the CPU
 * (`process.cpuUsage`, upstream server included) per event of each round after the first.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentRegistry, RunManager } from '../src/bridge/index.js';
import { parseConfig } from '../src/config/index.js';
import { dialects } from '../src/dialects/index.js';
import { silentLogger } from '../src/logger.js';
import { createInProcessPubSub } from '../src/pubsub/index.js';
import type { AgentEvent } from '../src/events/index.js';
import type { NewWorkflow, Store } from '../src/store/index.js';

const N = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 7);
const parts: string[] = [];
for (let i = 0; i < N; i++) {
  const text = `${i}@${(1796413623874 + i * 0.01).toFixed(3)};`;
  const delta = i % 2 === 0 ? { content: text } : { reasoning_content: text };
  parts.push(
    `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [{ index: 0, delta }] })}\n\n`,
  );
}
parts.push(
  `data: ${JSON.stringify({ id: 'chatcmpl-1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
  'data: [DONE]\n\n',
);
const body = Buffer.from(parts.join(''));
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(body);
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;

const records = new Map<string, NewWorkflow & { lastSequence: number }>();
let committed = 0;
// Only what the ingest path calls, so the cast to the Store the RunManager takes.
const store = {
  async createWorkflow(w: NewWorkflow) {
    records.set(w.id, { ...w, status: 'QUEUED', lastSequence: 0 });
    return records.get(w.id);
  },
  async commit(_id: string, events: readonly AgentEvent[]) {
    committed += events.length;
  },
  async getWorkflow(id: string) {
    return records.get(id);
  },
  async renewLeases() {
    return [];
  },
} as unknown as Store;
const config = parseConfig({ agents: [{ id: 'oa', dialect: 'openai-chat', url }] }, { env: {} });
const agents = new AgentRegistry(config.agents, dialects);
const runs = new RunManager({ store, pubsub: createInProcessPubSub(), agents, logger: silentLogger });
const results: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  committed = 0;
  const before = process.cpuUsage();
  const wf = await runs.start({
    agentId: 'oa',
    tenantId: 'default',
    input: { messages: [], prompt: 'hi' },
    requestId: 'r',
  });
  await runs.waitFor(wf.id);
  const used = process.cpuUsage(before);
  const us = (used.user + used.system) / N;
  if (round > 0) results.push(us);
  if (committed < N) console.log('committed only', committed);
}
results.sort((a, b) => a - b);
console.log(
  `µs/event median ${results[Math.floor(results.length / 2)]!.toFixed(2)} min ${results[0]!.toFixed(2)} all ${results.map((r) => r.toFixed(2)).join(' ')}`,
);
server.close();
process.exit(0);
