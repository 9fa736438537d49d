/**
 * One server under test, in its own process so its CPU (process.cpuUsage) and RSS are its own.
 * BENCH_SERVER picks it:
 * - `synapse`: the real gateway (createSynapseServer: openai-chat dialect, writer, SQLite commit
 *   in a temp dir, pubsub, yoga/Pothos schema, graphql-ws), agent `bench` pointing at BENCH_UPSTREAM;
 * - `relay`: raw `ws` relay: upstream SSE frames → JSON.parse → JSON.stringify → every socket;
 * - `gqlref`: graphql-ws + a plain graphql-js schema whose subscription is fed from the upstream.
 * Requests: `stats` ({ gc }) → cpu and memory; `start` (relay, gqlref) → stream the upstream to topic.
 *
 * For the concurrency scenario (bench/concurrency.ts): `BENCH_DATABASE_URL` and `BENCH_REDIS_URL`
 * (+ `BENCH_REDIS_PREFIX`) put synapse on PostgreSQL and Redis; the reference also answers
 * `POST /start?topic=<id>` (streams the upstream to that topic, as runAgent does for synapse)
 * and `POST /graphql` with `{ ok }` (the probe), so the client drives both alike.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, graphql } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { request as undiciRequest } from 'undici';
import { WebSocketServer, type WebSocket } from 'ws';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type * as ConfigModule from '../../src/config/index.js';
import type * as LoggerModule from '../../src/logger.js';
import type * as ServerModule from '../../src/server/index.js';
import { clock, emit, serveRequests } from './ipc.js';

/** Event-loop delay since the last `stats` with `resetLoop` (the concurrency scenario). */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

/**
 * BENCH_SQL_STATS=1: time spent in better-sqlite3 per statement text (a diagnostic: which SQLite
 * statements a scenario runs, how often and how long), printed to stderr when the server closes.
 */
const sqlStats = new Map<string, { calls: number; ms: number }>();
if (process.env.BENCH_SQL_STATS) {
  const { default: Database } = await import('better-sqlite3');
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  for (const method of ['all', 'get', 'run', 'iterate']) {
    const original = proto[method]!;
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      const started = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const key = this.source.slice(0, 120);
        const entry = sqlStats.get(key) ?? { calls: 0, ms: 0 };
        entry.calls++;
        entry.ms += performance.now() - started;
        sqlStats.set(key, entry);
      }
    };
  }
}

/** The same for PostgreSQL: calls and time to the answer per query text (node-postgres `Client.query`). */
if (process.env.BENCH_SQL_STATS) {
  const { default: pg } = await import('pg');
  const proto = pg.Client.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const original = proto.query!;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    const key = `pg: ${(typeof first === 'string' ? first : (first?.text ?? '?')).slice(0, 116)}`;
    const started = performance.now();
    const count = () => {
      const entry = sqlStats.get(key) ?? { calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += performance.now() - started;
      sqlStats.set(key, entry);
    };
    const result = original.apply(this, args);
    if (result instanceof Promise) void result.then(count, count);
    else count();
    return result;
  };
}

const kind = process.env.BENCH_SERVER ?? 'synapse';
const upstream = process.env.BENCH_UPSTREAM ?? '';
let cleanup: () => Promise<void> = async () => {};

/** Reads an SSE body and calls `onData` with every `data:` payload. */
async function readSse(url: string, onData: (data: string) => void): Promise<void> {
  const { body } = await undiciRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  let buffer = '';
  for await (const chunk of body) {
    buffer += (chunk as Buffer).toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith('data: ')) onData(block.slice(6));
    }
  }
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function startRelay(): Promise<string> {
  const server = createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ server });
  const sockets = new Set<WebSocket>();
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.send('{"ready":true}');
  });
  const port = await listen(server);
  cleanup = async () => {
    for (const socket of sockets) socket.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  relayStart = (url) =>
    readSse(url, (data) => {
      const message = data === '[DONE]' ? '{"done":true}' : JSON.stringify(JSON.parse(data));
      for (const socket of sockets) socket.send(message);
    });
  return `ws://127.0.0.1:${port}/`;
}
let relayStart: (url: string, topic: string) => Promise<void> = async () => {};

/** A minimal push-to-pull queue per subscriber (unbounded: the run is bounded in count). */
class Feed<T> implements AsyncIterableIterator<T> {
  private queue: T[] = [];
  private waiter: ((result: IteratorResult<T>) => void) | null = null;
  private closed = false;
  constructor(private readonly onClose: () => void) {}
  push(value: T): void {
    if (this.closed) return;
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter({ value, done: false });
    } else this.queue.push(value);
  }
  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiter = resolve));
  }
  return(): Promise<IteratorResult<T>> {
    this.closed = true;
    this.queue = [];
    this.onClose();
    this.waiter?.({ value: undefined, done: true });
    this.waiter = null;
    return Promise.resolve({ value: undefined, done: true });
  }
  [Symbol.asyncIterator]() {
    return this;
  }
}

const REFERENCE_SDL = /* GraphQL */ `
  interface StreamEvent { workflowId: ID! sequence: Int! at: String! }
  type Ready implements StreamEvent { workflowId: ID! sequence: Int! at: String! }
  type TextDelta implements StreamEvent { workflowId: ID! sequence: Int! at: String! messageId: String! delta: String! }
  type ReasoningDelta implements StreamEvent { workflowId: ID! sequence: Int! at: String! delta: String! }
  type RunCompleted implements StreamEvent { workflowId: ID! sequence: Int! at: String! text: String! }
  union Event = Ready | TextDelta | ReasoningDelta | RunCompleted
  type Query { ok: Boolean! }
  type Subscription { events(topic: ID!): Event! }
`;

async function startReference(): Promise<string> {
  const schema: GraphQLSchema = buildSchema(REFERENCE_SDL);
  schema.getQueryType()!.getFields().ok!.resolve = () => true;
  const topics = new Map<string, Set<Feed<object>>>();
  const field = schema.getSubscriptionType()!.getFields().events!;
  field.subscribe = (_root, args: { topic: string }) => {
    let feeds = topics.get(args.topic);
    if (!feeds) topics.set(args.topic, (feeds = new Set()));
    const set = feeds;
    const feed: Feed<object> = new Feed(() => set.delete(feed));
    set.add(feed);
    feed.push({ __typename: 'Ready', workflowId: args.topic, sequence: 0, at: new Date().toISOString() });
    return feed;
  };
  field.resolve = (payload) => payload;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      if (request.method === 'POST' && url.pathname === '/start') {
        const topic = url.searchParams.get('topic') ?? '';
        void relayStart(upstream, topic).catch((error: unknown) => emit({ ev: 'stream-error', error: String(error) }));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      } else if (request.method === 'POST' && url.pathname === '/graphql') {
        void Promise.resolve(graphql({ schema, source: (JSON.parse(body) as { query: string }).query })).then(
          (result) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
        );
      } else response.writeHead(404).end();
    });
  });
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const disposable = useServer({ schema }, wss);
  const port = await listen(server);
  cleanup = async () => {
    await disposable.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  relayStart = async (url, topic) => {
    let sequence = 0;
    let text = '';
    const publish = (event: object) => {
      for (const feed of topics.get(topic) ?? []) feed.push(event);
    };
    await readSse(url, (data) => {
      if (data === '[DONE]') {
        publish({
          __typename: 'RunCompleted',
          workflowId: topic,
          sequence: ++sequence,
          at: new Date().toISOString(),
          text: '',
        });
        return;
      }
      const chunk = JSON.parse(data) as {
        id: string;
        choices: { delta: { content?: string; reasoning_content?: string } }[];
      };
      const delta = chunk.choices[0]?.delta;
      if (delta?.content !== undefined) {
        text += delta.content;
        publish({
          __typename: 'TextDelta',
          workflowId: topic,
          sequence: ++sequence,
          at: new Date().toISOString(),
          messageId: chunk.id,
          delta: delta.content,
        });
      } else if (delta?.reasoning_content !== undefined) {
        publish({
          __typename: 'ReasoningDelta',
          workflowId: topic,
          sequence: ++sequence,
          at: new Date().toISOString(),
          delta: delta.reasoning_content,
        });
      }
    });
    void text;
  };
  return `ws://127.0.0.1:${port}/graphql`;
}

/**
 * Where the gateway's code comes from: `dist/` (what `npm start` runs: tsc's output, the default)
 * or, with BENCH_SOURCE=src, `src/` through tsx (esbuild's transform keeps function names with a
 * `__name` call per function created, which costs heap and CPU that users never pay: about 8 KB
 * of heap per active run in the concurrency scenario). A `dist/` older than `src/` is refused.
 */
async function gatewayModules() {
  if (process.env.BENCH_SOURCE === 'src') {
    return {
      ...(await import('../../src/config/index.js')),
      ...(await import('../../src/logger.js')),
      ...(await import('../../src/server/index.js')),
    };
  }
  const root = new URL('../../', import.meta.url);
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const full = path.join(dir, entry.name);
      return Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
    }, 0);
  const built = statSync(new URL('dist/server/index.js', root)).mtimeMs;
  if (newest(fileURLToPath(new URL('src', root))) > built)
    throw new Error('dist/ is older than src/: run `npm run build` first (or set BENCH_SOURCE=src)');
  // The same modules, compiled: their types are those of src/.
  type Modules = typeof ConfigModule & typeof LoggerModule & typeof ServerModule;
  const load = (file: string) => import(new URL(file, root).href) as Promise<Partial<Modules>>;
  return {
    ...(await load('dist/config/index.js')),
    ...(await load('dist/logger.js')),
    ...(await load('dist/server/index.js')),
  } as Modules;
}

async function startSynapse(): Promise<string> {
  const { parseConfig, silentLogger, createSynapseServer } = await gatewayModules();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-bench-'));
  // Also when the orchestrator goes away first (the IPC channel closes and this process exits).
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const redisUrl = process.env.BENCH_REDIS_URL;
  const config = parseConfig(
    {
      server: { port: 0, host: '127.0.0.1', shutdownGraceMs: 1_000 },
      agents: [
        {
          id: 'bench',
          dialect: 'openai-chat',
          url: upstream,
          model: 'bench',
          timeouts: { firstEventMs: 300_000, idleMs: 300_000 },
        },
      ],
      limits: { subscriptionsPerTenant: 100_000, runsPerMinute: 100_000, concurrentRuns: 100_000 },
      ...(databaseUrl ? { database: { url: databaseUrl } } : {}),
      ...(redisUrl ? { redis: { url: redisUrl, keyPrefix: process.env.BENCH_REDIS_PREFIX ?? 'synapse-bench:' } } : {}),
    },
    { env: { SYNAPSE_DATA_DIR: dataDir }, source: 'bench' },
  );
  // BENCH_COMMIT_DELAY_MS: compare the writer's group-commit timings (default: the writer's).
  const commitDelayMs = process.env.BENCH_COMMIT_DELAY_MS;
  const server = await createSynapseServer({
    config,
    logger: silentLogger,
    development: false,
    ...(commitDelayMs ? { writer: { commitDelayMs: Number(commitDelayMs) } } : {}),
  });
  await server.listen();
  cleanup = async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return server.url;
}

serveRequests(async (message) => {
  switch (message.cmd) {
    case 'stats': {
      // The window of the forced GC: the concurrency client leaves what was in flight in it out.
      let gcWindow: { from: number; to: number } | undefined;
      if (message.gc && typeof globalThis.gc === 'function') {
        const from = clock();
        globalThis.gc();
        globalThis.gc();
        gcWindow = { from, to: clock() };
      }
      // A heap snapshot for bench/idle-memory/heap-diff.mjs (BENCH_HEAP_SNAPSHOTS in bench/concurrency.ts).
      if (typeof message.snapshot === 'string') (await import('node:v8')).writeHeapSnapshot(message.snapshot);
      const cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      const loop = { p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 };
      if (message.resetLoop) loopDelay.reset();
      return { cpuUs: cpu.user + cpu.system, rss: memory.rss, heapUsed: memory.heapUsed, loop, gcWindow };
    }
    case 'start':
      // Answers at once; the stream ends on its own (the upstream's [DONE]).
      void relayStart(String(message.url), String(message.topic)).catch((error: unknown) =>
        emit({ ev: 'stream-error', error: String(error) }),
      );
      return {};
    case 'close':
      if (sqlStats.size > 0) {
        const rows = [...sqlStats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15);
        process.stderr.write(
          `SQLite statements by time:\n${rows.map(([sql, s]) => `  ${s.ms.toFixed(0).padStart(7)} ms ${String(s.calls).padStart(8)} calls  ${sql}`).join('\n')}\n`,
        );
      }
      await cleanup();
      // Exit on our own (not killed), so that --cpu-prof writes its profile.
      setTimeout(() => process.exit(0), 20);
      return {};
    default:
      throw new Error(`unknown command ${String(message.cmd)}`);
  }
});

const url = kind === 'relay' ? await startRelay() : kind === 'gqlref' ? await startReference() : await startSynapse();
emit({ ev: 'listening', url });
