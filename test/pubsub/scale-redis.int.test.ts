import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sseFrame } from '../../src/mock-upstream/fixtures/sse-frame.js';
import { collectSubscription, graphqlRequest, wsClient } from '../helpers/graphql-clients.js';
import { AGENT_STREAM, CANCEL, RUN_AGENT, WORKFLOW } from '../helpers/operations.js';
import { createPgTestSchema, type PgTestSchema } from '../helpers/postgres.js';
import { startGatewayProcess, type GatewayProcess } from '../helpers/process.js';
import { REDIS_URL, startOwnRedis, uniqueRedisPrefix, type OwnRedis } from '../helpers/redis.js';
import { sleep, until } from '../helpers/async.js';
import { listenOnLoopback } from '../helpers/net.js';
import type { StreamEvent } from '../helpers/shapes.js';

type Event = StreamEvent;

/**
 * A real openai-chat upstream on loopback that streams slowly: `/finite/<n>` sends n content
 * chunks then finishes; `/endless` streams until the gateway hangs up, which it records.
 */
class SlowUpstream {
  readonly hangUps: string[] = [];
  private readonly server: Server;
  constructor(private readonly frameDelayMs: number) {
    this.server = createServer((request, response) => {
      request.resume();
      const url = request.url ?? '';
      const limit = url.startsWith('/finite/') ? Number(url.slice('/finite/'.length)) : Number.POSITIVE_INFINITY;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
        sseFrame({
          id: 'c1',
          object: 'chat.completion.chunk',
          created: 1,
          model: 'm',
          choices: [{ index: 0, delta, finish_reason: finish }],
        });
      let sent = 0;
      let finished = false;
      const timer = setInterval(() => {
        if (sent < limit) {
          response.write(chunk({ content: `w${sent++} ` }));
          return;
        }
        clearInterval(timer);
        finished = true;
        response.end(chunk({}, 'stop') + sseFrame('[DONE]'));
      }, this.frameDelayMs);
      response.on('close', () => {
        clearInterval(timer);
        if (!finished) this.hangUps.push(url);
      });
    });
  }
  async listen(): Promise<string> {
    await listenOnLoopback(this.server);
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const dirs: string[] = [];
const gateways: GatewayProcess[] = [];
const schemas: PgTestSchema[] = [];
let upstream: SlowUpstream;
let upstreamUrl: string;

beforeAll(async () => {
  upstream = new SlowUpstream(40);
  upstreamUrl = await upstream.listen();
});
afterAll(async () => {
  await Promise.all(
    gateways.map((gateway) => {
      gateway.child.kill('SIGTERM');
      return gateway.exited;
    }),
  );
  await upstream.close();
  await Promise.all(schemas.map((schema) => schema.drop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Two gateway processes on one PostgreSQL schema and one Redis channel prefix. */
async function startPair(
  redisUrl: string,
  server: Record<string, unknown> = {},
): Promise<[GatewayProcess, GatewayProcess]> {
  const schema = await createPgTestSchema();
  schemas.push(schema);
  const dir = mkdtempSync(path.join(tmpdir(), 'synapse-scale-'));
  dirs.push(dir);
  const config = path.join(dir, 'synapse.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      server,
      database: { url: schema.url },
      redis: { url: redisUrl, keyPrefix: uniqueRedisPrefix(), fallbackPollMs: 100 },
      agents: [
        { id: 'finite', dialect: 'openai-chat', url: `${upstreamUrl}/finite/40`, model: 'm' },
        { id: 'long', dialect: 'openai-chat', url: `${upstreamUrl}/finite/80`, model: 'm' },
        { id: 'endless', dialect: 'openai-chat', url: `${upstreamUrl}/endless`, model: 'm' },
      ],
    }),
  );
  // One after the other: the first one migrates the schema.
  const a = await startGatewayProcess({ SYNAPSE_CONFIG: config, SYNAPSE_DATA_DIR: dir });
  gateways.push(a);
  const b = await startGatewayProcess({ SYNAPSE_CONFIG: config, SYNAPSE_DATA_DIR: dir });
  gateways.push(b);
  return [a, b];
}

async function runOn(gateway: GatewayProcess, agentId: string): Promise<string> {
  const run = await graphqlRequest(gateway.url, RUN_AGENT, { input: { agentId, prompt: 'go' } });
  expect(run.data?.runAgent.__typename).toBe('RunAgentPayload');
  return run.data!.runAgent.workflow.id as string;
}

async function history(gateway: GatewayProcess, id: string): Promise<{ status: string; events: Event[] }> {
  const result = await graphqlRequest(gateway.url, WORKFLOW, { id });
  return result.data!.workflow;
}

function stream(
  gateway: GatewayProcess,
  workflowId: string,
  afterSequence?: number,
  onEvent?: (event: Event, index: number) => void,
) {
  const client = wsClient(gateway.url);
  const variables = afterSequence === undefined ? { workflowId } : { workflowId, afterSequence };
  const events = collectSubscription<{ agentStream: Event }>(client, AGENT_STREAM, variables, (data, index) =>
    onEvent?.(data.agentStream, index),
  )
    .then((received) => received.map((data) => data.agentStream))
    .finally(() => void client.dispose());
  return events;
}

async function readyz(gateway: GatewayProcess): Promise<{ status: number; body: unknown }> {
  const response = await fetch(gateway.url.replace(/\/graphql$/, '/readyz'));
  return { status: response.status, body: await response.json() };
}

const withoutHeartbeats = (events: Event[]) => events.filter((event) => event.__typename !== 'Heartbeat');
const numbered = (count: number, from = 1) => Array.from({ length: count }, (_, index) => index + from);

const UPDATES = /* GraphQL */ `
  subscription Updates($filter: WorkflowFilter) {
    workflowUpdates(filter: $filter) { id status }
  }
`;

describe('two gateways on PostgreSQL and Redis', () => {
  let a: GatewayProcess;
  let b: GatewayProcess;
  beforeAll(async () => {
    [a, b] = await startPair(REDIS_URL);
  }, 60_000);

  it('a run on A streams on B from the start and from the middle: the same events as A’s history, each once', async () => {
    expect(await readyz(b)).toEqual({ status: 200, body: { status: 'ok' } });
    const id = await runOn(a, 'finite');
    let fromMiddle: Promise<Event[]> | undefined;
    const fromStart = stream(b, id, undefined, (_event, index) => {
      if (index === 7) fromMiddle = stream(b, id, 5);
    });
    const onA = stream(a, id);
    const [startEvents, aEvents] = await Promise.all([fromStart, onA]);
    const middleEvents = await fromMiddle!;

    const stored = await history(a, id);
    expect(stored.status).toBe('SUCCEEDED');
    const count = stored.events.length;
    expect(count).toBeGreaterThan(10); // deltas that land in one batch are merged
    expect(stored.events.map((event) => event.sequence)).toEqual(numbered(count));
    expect(withoutHeartbeats(startEvents)).toEqual(stored.events);
    expect(withoutHeartbeats(middleEvents)).toEqual(stored.events.slice(5));
    expect(withoutHeartbeats(aEvents)).toEqual(stored.events);
    // B's own history query agrees.
    expect((await history(b, id)).events).toEqual(stored.events);
  }, 30_000);

  it('cancelWorkflow on B reaches the run A owns: RunCancelled, the upstream request is aborted', async () => {
    const id = await runOn(a, 'endless');
    const seen: Event[] = [];
    const onB = stream(b, id, undefined, (event) => seen.push(event));
    await until(() => seen.length >= 5, 10_000);

    const started = Date.now();
    const cancel = await graphqlRequest(b.url, CANCEL, { id, reason: 'stopped from B' });
    expect(cancel.data!.cancelWorkflow).toEqual({
      __typename: 'CancelWorkflowPayload',
      cancelled: true,
      workflow: { id, status: 'CANCELLED' },
    });
    expect(Date.now() - started).toBeLessThan(5_000);

    const events = withoutHeartbeats(await onB);
    expect(events.at(-1)).toMatchObject({ __typename: 'RunCancelled', reason: 'stopped from B' });
    expect(events.map((event) => event.sequence)).toEqual(numbered(events.length));
    await until(() => upstream.hangUps.includes('/endless'), 5_000);

    // Idempotent on the finished workflow, from either instance.
    const again = await graphqlRequest(b.url, CANCEL, { id });
    expect(again.data!.cancelWorkflow).toMatchObject({ cancelled: false, workflow: { status: 'CANCELLED' } });
  }, 30_000);

  it('a status change committed on A reaches a workflowUpdates subscriber on B', async () => {
    const client = wsClient(b.url);
    const received: { id: string; status: string }[] = [];
    const dispose = client.subscribe<{ workflowUpdates: { id: string; status: string } }>(
      { query: UPDATES, variables: { filter: { agentId: 'finite' } } },
      {
        next: (result) => void (result.data && received.push(result.data.workflowUpdates)),
        error: () => {},
        complete: () => {},
      },
    );
    try {
      await sleep(1_000); // the subscription reaches Redis
      const id = await runOn(a, 'finite');
      await until(() => received.some((update) => update.id === id && update.status === 'SUCCEEDED'), 15_000);
      const statuses = received.filter((update) => update.id === id).map((update) => update.status);
      expect(statuses.at(-1)).toBe('SUCCEEDED');
      expect(statuses.filter((status) => status === 'SUCCEEDED')).toHaveLength(1);
    } finally {
      dispose();
      await client.dispose();
    }
  }, 60_000);

  it('40 runs at once (the default limits.concurrentRuns is 50 per tenant), half on each gateway, each streamed from the other one: every run completes with every event once', async () => {
    const runs = 40;
    const ids = await Promise.all(Array.from({ length: runs }, (_, index) => runOn(index % 2 === 0 ? a : b, 'finite')));
    const streams = await Promise.all(ids.map((id, index) => stream(index % 2 === 0 ? b : a, id)));
    const expectedText = Array.from({ length: 40 }, (_, index) => `w${index} `).join('');
    for (const [index, id] of ids.entries()) {
      const events = withoutHeartbeats(streams[index]!);
      expect(events.at(-1)?.__typename, id).toBe('RunCompleted');
      expect(
        events.filter((event) => ['RunCompleted', 'RunFailed', 'RunCancelled'].includes(event.__typename)),
      ).toHaveLength(1);
      expect(events.map((event) => event.sequence)).toEqual(numbered(events.length));
      expect(
        events
          .filter((event) => event.__typename === 'TextDelta')
          .map((event) => event.delta)
          .join(''),
      ).toBe(expectedText);
    }
    // What the subscribers saw is the history, on either instance.
    for (const index of [0, 1, runs - 1]) {
      expect((await history(index % 2 === 0 ? a : b, ids[index]!)).events).toEqual(withoutHeartbeats(streams[index]!));
    }
  }, 60_000);
});

describe('Redis restarted mid-stream', () => {
  let redis: OwnRedis;
  let a: GatewayProcess;
  let b: GatewayProcess;
  beforeAll(async () => {
    redis = await startOwnRedis();
    [a, b] = await startPair(redis.url);
  }, 60_000);
  afterAll(async () => {
    await redis.stop();
  });

  it('every event reaches B once; /readyz says degraded while Redis is away and ok after', async () => {
    const id = await runOn(a, 'long');
    let stopped: Promise<void> | undefined;
    const onB = stream(b, id, undefined, (_event, index) => {
      if (index === 10) stopped = redis.stop();
    });
    const onA = stream(a, id);
    await until(() => stopped !== undefined, 10_000);
    await stopped;

    await until(async () => (await readyz(b)).status === 503, 5_000);
    expect(await readyz(b)).toEqual({ status: 503, body: { status: 'degraded', store: 'ok', pubsub: 'down' } });
    await sleep(800);
    await redis.start();
    await until(async () => (await readyz(b)).status === 200 && (await readyz(a)).status === 200, 10_000);

    const [bEvents, aEvents] = await Promise.all([onB, onA]);
    const stored = await history(a, id);
    expect(stored.status).toBe('SUCCEEDED');
    expect(stored.events.map((event) => event.sequence)).toEqual(numbered(stored.events.length));
    expect(withoutHeartbeats(bEvents)).toEqual(stored.events);
    expect(withoutHeartbeats(aEvents)).toEqual(stored.events);
  }, 40_000);
});

describe('the owner killed mid-run, with Redis', () => {
  const LEASE_MS = 1_000;
  const SWEEP_MS = 250;
  let a: GatewayProcess;
  let b: GatewayProcess;
  beforeAll(async () => {
    [a, b] = await startPair(REDIS_URL, { leaseMs: LEASE_MS, leaseSweepMs: SWEEP_MS });
  }, 60_000);

  it('B’s subscriber sees A’s live events through Redis, then RunFailed INTERRUPTED within the lease; no gap, no repeat', async () => {
    const id = await runOn(a, 'endless');
    const arrivals: number[] = [];
    const onB = stream(b, id, undefined, () => arrivals.push(Date.now()));
    await until(() => arrivals.length >= 8, 10_000);

    const hangUpsBefore = upstream.hangUps.length;
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await a.exited;
    const events = withoutHeartbeats(await onB);

    expect(events.at(-1)).toMatchObject({ __typename: 'RunFailed', code: 'INTERRUPTED', retryable: true });
    expect(arrivals.at(-1)! - killedAt).toBeLessThan(LEASE_MS + SWEEP_MS + 1_500);
    expect(events.map((event) => event.sequence)).toEqual(numbered(events.length));
    expect(
      events.filter((event) => ['RunCompleted', 'RunFailed', 'RunCancelled'].includes(event.__typename)),
    ).toHaveLength(1);
    const stored = await history(b, id);
    expect(stored.status).toBe('INTERRUPTED');
    expect(stored.events).toEqual(events);
    // The upstream request of the dead owner is gone with it.
    await until(() => upstream.hangUps.length > hangUpsBefore, 5_000);
  }, 60_000);
});
