/**
 * The subscribing client, a separate process. `subscribe` opens `subs` sockets (one
 * subscription each) with the real graphql-ws client (raw `ws` for the relay), answers once every
 * subscription has received its first event (RunStarted / Ready: the server has it in place),
 * and emits `done` when every subscription has seen the end of the stream. Subscriber 0 is
 * measured closely: latency of every delta (receive time − the write time the upstream put in
 * the text) and a sha256 of the concatenated delta text; the others count.
 */
import { createHash, type Hash } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { clock, emit, serveRequests } from './ipc.js';

const SYNAPSE_QUERY = /* GraphQL */ `
  subscription Bench($id: ID!) {
    agentStream(workflowId: $id) {
      __typename
      ... on StreamEvent { workflowId sequence at }
      ... on TextDelta { messageId delta }
      ... on ReasoningDelta { delta }
      ... on RunFailed { code message }
    }
  }
`;
const REFERENCE_QUERY = /* GraphQL */ `
  subscription Bench($id: ID!) {
    events(topic: $id) {
      __typename
      ... on StreamEvent { workflowId sequence at }
      ... on TextDelta { messageId delta }
      ... on ReasoningDelta { delta }
    }
  }
`;
const TERMINAL = new Set(['RunCompleted', 'RunFailed', 'RunCancelled']);

interface Sub {
  ready: boolean;
  done: boolean;
  messages: number;
  tokens: number;
}

let subs: Sub[] = [];
const closers: (() => void)[] = [];
let latencies = new Float64Array(0);
let latencyCount = 0;
let hash: Hash = createHash('sha256');
let firstReceive = 0;
let lastReceive = 0;
let failures: string[] = [];
let readyResolve: (() => void) | null = null;
let expectedTokens = 0;
/** The client's CPU from the moment every subscription was ready (its own cost per message). */
let cpuAtReady: NodeJS.CpuUsage | null = null;

function countTokens(text: string): number {
  let n = 0;
  for (let i = text.indexOf(';'); i >= 0; i = text.indexOf(';', i + 1)) n++;
  return n;
}

function onDelta(index: number, text: string): void {
  const now = clock();
  const sub = subs[index];
  if (!sub) return;
  sub.messages++;
  if (firstReceive === 0) firstReceive = now;
  lastReceive = now;
  if (index !== 0) {
    sub.tokens += countTokens(text);
    return;
  }
  hash.update(text);
  let start = 0;
  for (let end = text.indexOf(';'); end >= 0; end = text.indexOf(';', start)) {
    const at = text.indexOf('@', start);
    if (latencyCount < latencies.length) latencies[latencyCount++] = now - Number(text.slice(at + 1, end));
    sub.tokens++;
    start = end + 1;
  }
}

function onReady(index: number): void {
  const sub = subs[index];
  if (!sub || sub.ready) return;
  sub.ready = true;
  if (readyResolve && subs.every((s) => s.ready)) readyResolve();
}

function onEnd(index: number, error?: string): void {
  const sub = subs[index];
  if (!sub || sub.done) return;
  sub.done = true;
  if (error && failures.length < 5) failures.push(error);
  if (!sub.ready) onReady(index);
  if (subs.every((s) => s.done)) emit({ ev: 'done', ...report() });
}

function report(): Record<string, unknown> {
  const sorted = latencies.subarray(0, latencyCount).sort();
  const pick = (q: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : null;
  const tokens = subs.map((s) => s.tokens);
  const cpu = cpuAtReady ? process.cpuUsage(cpuAtReady) : null;
  return {
    subscribers: subs.length,
    complete: subs.filter((s) => s.done).length,
    messages: subs.reduce((sum, s) => sum + s.messages, 0),
    tokens: tokens.reduce((sum, n) => sum + n, 0),
    subscriber0: { messages: subs[0]?.messages ?? 0, tokens: subs[0]?.tokens ?? 0, hash: hash.copy().digest('hex') },
    allSubscribersComplete: tokens.every((n) => n === expectedTokens),
    latencyMs: {
      p50: pick(0.5),
      p99: pick(0.99),
      max: sorted.length ? sorted[sorted.length - 1] : null,
      samples: sorted.length,
    },
    firstReceive,
    lastReceive,
    clientCpuUs: cpu ? cpu.user + cpu.system : null,
    failures,
  };
}

function subscribeGraphql(kind: string, url: string, topic: string, index: number): void {
  const client: Client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, keepAlive: 0, lazy: true });
  closers.push(() => void client.dispose());
  client.subscribe(
    { query: kind === 'synapse' ? SYNAPSE_QUERY : REFERENCE_QUERY, variables: { id: topic } },
    {
      next: (result) => {
        if (result.errors) return onEnd(index, JSON.stringify(result.errors));
        const event = (result.data as Record<string, { __typename: string; delta?: string; code?: string }>)[
          kind === 'synapse' ? 'agentStream' : 'events'
        ]!;
        if (event.delta !== undefined) return onDelta(index, event.delta);
        if (event.__typename === 'RunStarted' || event.__typename === 'Ready') return onReady(index);
        if (TERMINAL.has(event.__typename))
          onEnd(index, event.__typename === 'RunCompleted' ? undefined : `${event.__typename} ${event.code}`);
      },
      error: (error) => onEnd(index, String((error as Error)?.message ?? JSON.stringify(error))),
      complete: () => onEnd(index),
    },
  );
}

function subscribeRelay(url: string, index: number): void {
  const socket = new WebSocket(url);
  closers.push(() => socket.terminate());
  socket.on('message', (data) => {
    // A Buffer: ws's default binaryType.
    const message = JSON.parse((data as Buffer).toString()) as {
      ready?: boolean;
      done?: boolean;
      choices?: { delta: { content?: string; reasoning_content?: string } }[];
    };
    if (message.ready) return onReady(index);
    if (message.done) return onEnd(index);
    const delta = message.choices?.[0]?.delta;
    const text = delta?.content ?? delta?.reasoning_content;
    if (text !== undefined) onDelta(index, text);
  });
  socket.on('error', (error) => onEnd(index, error.message));
  socket.on('close', () => onEnd(index, 'socket closed'));
}

serveRequests(async (message) => {
  switch (message.cmd) {
    case 'subscribe': {
      const kind = String(message.kind);
      const count = Number(message.subs ?? 1);
      expectedTokens = Number(message.expectTokens ?? 0);
      subs = Array.from({ length: count }, () => ({ ready: false, done: false, messages: 0, tokens: 0 }));
      latencies = new Float64Array(expectedTokens + 16);
      latencyCount = 0;
      hash = createHash('sha256');
      firstReceive = lastReceive = 0;
      failures = [];
      const ready = new Promise<void>((resolve) => (readyResolve = resolve));
      // Open sockets in waves, so a thousand handshakes do not all land at once.
      for (let index = 0; index < count; index++) {
        if (kind === 'relay') subscribeRelay(String(message.url), index);
        else subscribeGraphql(kind, String(message.url), String(message.topic), index);
        if (index % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await ready;
      cpuAtReady = process.cpuUsage();
      return { failures };
    }
    case 'report':
      return report();
    case 'reset':
      for (const close of closers.splice(0)) close();
      subs = [];
      cpuAtReady = null;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return {};
    default:
      throw new Error(`unknown command ${String(message.cmd)}`);
  }
});
emit({ ev: 'listening' });
