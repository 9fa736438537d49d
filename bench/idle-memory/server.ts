/**
 * Idle subscription memory of the real server, for heap snapshots (docs/performance.md, idle
 * subscriptions): createSynapseServer on a held upstream, N graphql-ws agentStream subscriptions
 * from a child process (client.ts), gc, then heapUsed / RSS / heap-space deltas per subscription.
 *   N=1000 node --expose-gc --import tsx bench/idle-memory/server.ts
 *   N=1000 SNAP=/tmp/idle node --expose-gc --import tsx bench/idle-memory/server.ts   # + snapshots
 *   node --max-old-space-size=4000 bench/idle-memory/heap-diff.mjs /tmp/idle-before.heapsnapshot /tmp/idle-after.heapsnapshot 1000
 * (RSS means nothing in a run that writes snapshots.)
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fork } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { parseConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logger.js';
import { createSynapseServer } from '../../src/server/index.js';

const N = Number(process.env.N ?? 1000);
const SNAP = process.env.SNAP ?? '';
const up = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
  });
});
await new Promise<void>((r) => up.listen(0, '127.0.0.1', r));
const upUrl = `http://127.0.0.1:${(up.address() as AddressInfo).port}/v1`;
const dataDir = mkdtempSync(path.join(tmpdir(), 'idlemem-'));
const config = parseConfig(
  {
    server: { port: 0, host: '127.0.0.1', shutdownGraceMs: 1000 },
    agents: [
      {
        id: 'bench',
        dialect: 'openai-chat',
        url: upUrl,
        model: 'bench',
        timeouts: { firstEventMs: 300_000, idleMs: 300_000 },
      },
    ],
    limits: { subscriptionsPerTenant: 100_000, runsPerMinute: 100_000, concurrentRuns: 1_000 },
  },
  { env: { SYNAPSE_DATA_DIR: dataDir }, source: 'bench' },
);
const server = await createSynapseServer({ config, logger: silentLogger, development: false });
await server.listen();
const r = await fetch(server.url, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    query:
      'mutation($input: RunAgentInput!) { runAgent(input: $input) { ... on RunAgentPayload { workflow { id } } } }',
    variables: { input: { agentId: 'bench', prompt: 'bench' } },
  }),
});
const id = (await r.json()).data.runAgent.workflow.id;
const gc = (globalThis as typeof globalThis & { gc: () => void }).gc; // node --expose-gc
async function settle() {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  gc();
}
// warm-up: a few subscriptions so lazily compiled code/plan caches exist before "before"
async function runClient(n: number) {
  const child = fork(new URL('./client.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, URL: server.url.replace('http', 'ws'), ID: id, N: String(n) },
  });
  await new Promise<void>((res, rej) =>
    child.once('message', (m: unknown) =>
      m === 'ready' ? res() : rej(new Error(typeof m === 'string' ? m : JSON.stringify(m))),
    ),
  );
  return child;
}
const warm = await runClient(20);
warm.send('close');
await new Promise((r) => warm.once('exit', r));
await new Promise((r) => setTimeout(r, 300));
await settle();
if (SNAP) v8.writeHeapSnapshot(`${SNAP}-before.heapsnapshot`);
await settle();
const m0b = process.memoryUsage();
const sp0 = v8.getHeapSpaceStatistics();
const child = await runClient(N);
await new Promise((r) => setTimeout(r, 500));
await settle();
const m1 = process.memoryUsage();
const sp1 = v8.getHeapSpaceStatistics();
for (const [i, sp] of sp1.entries())
  console.log(
    sp.space_name.padEnd(24),
    'used',
    ((sp.space_used_size - sp0[i]!.space_used_size) / 1024 / N).toFixed(2),
    'committed(phys)',
    ((sp.physical_space_size - sp0[i]!.physical_space_size) / 1024 / N).toFixed(2),
    'size',
    (sp.space_size / 1048576).toFixed(1) + 'MB',
  );
if (SNAP) v8.writeHeapSnapshot(`${SNAP}-after.heapsnapshot`);
const kb = (a: number, b: number) => ((b - a) / 1024 / N).toFixed(2);
console.log(
  JSON.stringify({
    N,
    heapKB: kb(m0b.heapUsed, m1.heapUsed),
    rssKB: kb(m0b.rss, m1.rss),
    extKB: kb(m0b.external, m1.external),
    abKB: kb(m0b.arrayBuffers, m1.arrayBuffers),
    subs: server.services.streams.size,
  }),
);
child.send('close');
await new Promise((r) => child.once('exit', r));
await server.close();
up.close();
process.exit(0);
