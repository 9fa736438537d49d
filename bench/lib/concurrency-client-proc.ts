/**
 * The concurrency scenario's client (bench/concurrency.ts), a process of its own. `run` opens
 * `sockets` graphql-ws connections (the real graphql-ws client), starts `n` runs spread over
 * `rampMs` (synapse: `runAgent` over HTTP, then an `agentStream` subscription; the reference:
 * subscribe, then `POST /start`), one subscription per run, and sends a probe query every 100
 * ms. With several instances, run i starts on instance i mod H and its subscriber's socket is
 * on another instance. Every token's text is `<index>@<upstream write time>;`: each token's
 * latency is its arrival minus that time, and a run is intact when it got every index once, in
 * order. Answers when every run ended, or at `timeoutMs`, with the figures.
 *
 * `pause` tells it when a server was stopped by the bench itself (the forced full GC of the
 * memory measurement, `stats` with `gc`): the latency figures leave out every token, first token
 * and probe whose time in flight overlaps such a window, and the `…WithPauses` figures keep them.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { clock, serveRequests } from './ipc.js';

const SYNAPSE_QUERY = /* GraphQL */ `
  subscription Bench($id: ID!) {
    agentStream(workflowId: $id) {
      __typename
      ... on TextDelta { delta }
      ... on RunFailed { code message }
    }
  }
`;
const REFERENCE_QUERY = /* GraphQL */ `
  subscription Bench($id: ID!) {
    events(topic: $id) {
      __typename
      ... on TextDelta { delta }
    }
  }
`;
const RUN_AGENT =
  'mutation($input: RunAgentInput!) { runAgent(input: $input) { __typename ... on RunAgentPayload { workflow { id } } ... on Error { code message } } }';
const SYNAPSE_PROBE = '{ workflows(first: 10) { edges { node { id status lastSequence } } } }';
const REFERENCE_PROBE = '{ ok }';

interface RunState {
  startedAt: number;
  firstTokenAt: number;
  next: number;
  intact: boolean;
  done: boolean;
  failure: string | null;
}

interface RunRequest {
  kind: 'synapse' | 'gqlref';
  httpUrls: string[];
  wsUrls: string[];
  n: number;
  sockets: number;
  rampMs: number;
  ttftMs: number;
  tokens: number;
  timeoutMs: number;
}

function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2));
}

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json();
}

async function run(request: RunRequest): Promise<Record<string, unknown>> {
  const { kind, httpUrls, wsUrls, n, sockets, rampMs, ttftMs, tokens, timeoutMs } = request;
  const instances = httpUrls.length;
  const clients: Client[] = [];
  await Promise.all(
    Array.from({ length: sockets }, (_, index) => {
      const client = createClient({
        url: wsUrls[index % wsUrls.length]!,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        keepAlive: 0,
        lazy: false,
      });
      clients.push(client);
      return new Promise<void>((resolve, reject) => {
        client.on('connected', () => resolve());
        client.on('closed', (event) =>
          reject(new Error(`socket closed before it connected: ${JSON.stringify(event)}`)),
        );
      });
    }),
  );

  const latencies = new Float64Array(n * tokens);
  const arrivals = new Float64Array(n * tokens);
  let latencyCount = 0;
  /**
   * Per run: [start, first token], the added TTFT and its two parts: from the start to the
   * upstream's request (the first token's send time less the upstream's TTFT) and from the
   * first token's send to its arrival here.
   */
  const firstTokens: { from: number; to: number; added: number; toUpstream: number; delivery: number }[] = [];
  /** Per probe: [sent, answered]; an unanswered probe ends at +Infinity. */
  const probes: { from: number; to: number }[] = [];
  pauses.length = 0;
  const failures: string[] = [];
  const runs: RunState[] = [];
  let ended = 0;
  let firstTokenAt = Number.POSITIVE_INFINITY;
  let lastTokenAt = 0;
  let tokensReceived = 0;
  let finish: () => void = () => {};
  const allEnded = new Promise<void>((resolve) => (finish = resolve));
  const cpuBefore = process.cpuUsage();

  const end = (state: RunState, failure: string | null) => {
    if (state.done) return;
    state.done = true;
    state.failure = failure;
    if (failure && failures.length < 20) failures.push(failure);
    if (++ended === n) finish();
  };
  const onDelta = (state: RunState, delta: string) => {
    const now = clock();
    if (now < firstTokenAt) firstTokenAt = now;
    lastTokenAt = now;
    let start = 0;
    for (let semi = delta.indexOf(';'); semi >= 0; semi = delta.indexOf(';', start)) {
      const at = delta.indexOf('@', start);
      const index = Number(delta.slice(start, at));
      const sentAt = Number(delta.slice(at + 1, semi));
      if (index !== state.next) state.intact = false;
      state.next = index + 1;
      if (state.firstTokenAt === 0) {
        state.firstTokenAt = now;
        firstTokens.push({
          from: state.startedAt,
          to: now,
          added: now - state.startedAt - ttftMs,
          toUpstream: sentAt - ttftMs - state.startedAt,
          delivery: now - sentAt,
        });
      }
      if (latencyCount < latencies.length) {
        arrivals[latencyCount] = now;
        latencies[latencyCount++] = now - sentAt;
      }
      tokensReceived++;
      start = semi + 1;
    }
  };

  const subscribe = (client: Client, state: RunState, id: string, onFirst?: () => void) => {
    client.subscribe(
      { query: kind === 'synapse' ? SYNAPSE_QUERY : REFERENCE_QUERY, variables: { id } },
      {
        next: (result) => {
          if (result.errors) return end(state, JSON.stringify(result.errors).slice(0, 200));
          const event = (
            result.data as Record<string, { __typename: string; delta?: string; code?: string; message?: string }>
          )[kind === 'synapse' ? 'agentStream' : 'events']!;
          if (event.delta !== undefined) return onDelta(state, event.delta);
          if (event.__typename === 'Ready') return onFirst?.();
          if (event.__typename === 'RunCompleted') {
            end(
              state,
              state.intact && state.next === tokens
                ? null
                : `run ended with ${state.next}/${tokens} tokens${state.intact ? '' : ', out of order or missing'}`,
            );
          } else if (event.__typename === 'RunFailed' || event.__typename === 'RunCancelled') {
            end(state, `${event.__typename} ${event.code ?? ''} ${event.message ?? ''}`);
          }
        },
        error: (error) =>
          end(state, `subscription error: ${String((error as Error)?.message ?? JSON.stringify(error)).slice(0, 200)}`),
        complete: () => end(state, state.intact && state.next === tokens ? null : 'subscription completed early'),
      },
    );
  };

  const startRun = async (index: number) => {
    const state: RunState = { startedAt: 0, firstTokenAt: 0, next: 0, intact: true, done: false, failure: null };
    runs.push(state);
    // The run on instance index mod H, its subscriber on a socket of the next instance.
    const socket = (Math.floor(index / instances) * instances + ((index + 1) % instances)) % sockets;
    const httpUrl = httpUrls[index % instances]!;
    try {
      if (kind === 'synapse') {
        state.startedAt = clock();
        const body = (await post(httpUrl, {
          query: RUN_AGENT,
          variables: { input: { agentId: 'bench', prompt: `run ${index}` } },
        })) as {
          data?: { runAgent?: { workflow?: { id: string }; code?: string; message?: string } };
        };
        const id = body.data?.runAgent?.workflow?.id;
        if (!id) return end(state, `runAgent failed: ${JSON.stringify(body).slice(0, 200)}`);
        subscribe(clients[socket]!, state, id);
      } else {
        const topic = `run-${index}-${Date.now()}`;
        subscribe(clients[socket]!, state, topic, () => {
          state.startedAt = clock();
          post(httpUrl.replace(/\/graphql$/, `/start?topic=${topic}`), {}).catch((error: unknown) =>
            end(state, `start failed: ${String(error)}`),
          );
        });
      }
    } catch (error) {
      end(state, `start failed: ${String(error)}`);
    }
  };

  const began = clock();
  const starters: Promise<void>[] = [];
  for (let index = 0; index < n; index++) {
    const due = began + (rampMs * index) / n;
    const wait = due - clock();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    starters.push(startRun(index));
  }

  let probeIndex = 0;
  const probe = setInterval(() => {
    const url = httpUrls[probeIndex++ % instances]!;
    const sent = clock();
    post(url, { query: kind === 'synapse' ? SYNAPSE_PROBE : REFERENCE_PROBE }).then(
      () => probes.push({ from: sent, to: clock() }),
      () => probes.push({ from: sent, to: Number.POSITIVE_INFINITY }),
    );
  }, 100);

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    finish();
  }, timeoutMs);
  await Promise.all(starters);
  await allEnded;
  clearTimeout(timer);
  clearInterval(probe);
  const cpu = process.cpuUsage(cpuBefore);
  for (const client of clients) void client.dispose();

  const completed = runs.filter((state) => state.done && state.failure === null).length;
  // In flight during a pause of the bench's own making: [from, to] overlaps a window.
  const paused = (from: number, to: number) => pauses.some((pause) => from < pause.to && to > pause.from);
  const samples = () => ({
    latency: [] as number[],
    ttft: [] as number[],
    toUpstream: [] as number[],
    delivery: [] as number[],
    probes: [] as number[],
  });
  const all = samples();
  const kept = samples();
  for (let index = 0; index < latencyCount; index++) {
    const latency = latencies[index]!;
    all.latency.push(latency);
    if (!paused(arrivals[index]! - latency, arrivals[index]!)) kept.latency.push(latency);
  }
  for (const first of firstTokens) {
    for (const set of paused(first.from, first.to) ? [all] : [all, kept]) {
      set.ttft.push(first.added);
      set.toUpstream.push(first.toUpstream);
      set.delivery.push(first.delivery);
    }
  }
  for (const probe of probes) {
    all.probes.push(probe.to - probe.from);
    if (!paused(probe.from, probe.to)) kept.probes.push(probe.to - probe.from);
  }
  const sorted = (values: number[]) => Float64Array.from(values).sort();
  const figures = (set: typeof all) => {
    const latency = sorted(set.latency);
    const ttft = sorted(set.ttft);
    const toUpstream = sorted(set.toUpstream);
    const delivery = sorted(set.delivery);
    const probe = sorted(set.probes);
    return {
      tokenLatencyMs: { p50: percentile(latency, 50), p99: percentile(latency, 99), max: percentile(latency, 100) },
      addedTtftMs: {
        p50: percentile(ttft, 50),
        p99: percentile(ttft, 99),
        toUpstream: { p50: percentile(toUpstream, 50), p99: percentile(toUpstream, 99) },
        delivery: { p50: percentile(delivery, 50), p99: percentile(delivery, 99) },
      },
      probeMs: { count: probe.length, p50: percentile(probe, 50), p99: percentile(probe, 99) },
    };
  };
  const withPauses = figures(all);
  return {
    runs: n,
    completed,
    intact: runs.filter((state) => state.done && state.intact && state.next === tokens).length,
    unfinished: runs.filter((state) => !state.done).length,
    timedOut,
    tokensReceived,
    tokensOffered: n * tokens,
    firstTokenAt,
    lastTokenAt,
    ...figures(kept),
    pausedOut: {
      windows: pauses.length,
      tokens: all.latency.length - kept.latency.length,
      firstTokens: all.ttft.length - kept.ttft.length,
      probes: all.probes.length - kept.probes.length,
    },
    tokenLatencyMsWithPauses: withPauses.tokenLatencyMs,
    addedTtftMsWithPauses: withPauses.addedTtftMs,
    probeMsWithPauses: withPauses.probeMs,
    clientCpuUs: cpu.user + cpu.system,
    failures,
  };
}

/** Windows ([from, to], `clock()` ms) in which a server was paused by the bench (its forced GC). */
const pauses: { from: number; to: number }[] = [];

serveRequests(async (message) => {
  if (message.cmd === 'run') return run(message as unknown as RunRequest);
  if (message.cmd === 'pause') {
    pauses.push(...(message.windows as { from: number; to: number }[]));
    return {};
  }
  throw new Error(`unknown command ${String(message.cmd)}`);
});
process.send?.({ ev: 'listening' });
