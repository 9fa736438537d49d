import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectSubscription, graphqlRequest, wsClient } from '../helpers/graphql-clients.js';
import { AGENT_STREAM, RUN_AGENT, WORKFLOW } from '../helpers/operations.js';
import { createPgTestSchema, type PgTestSchema } from '../helpers/postgres.js';
import { startGatewayProcess, type GatewayProcess } from '../helpers/process.js';
import { sleep, until } from '../helpers/async.js';

/*
 * Several real gateway processes on one PostgreSQL schema (no Redis): ownership leases, the lease
 * sweep and fencing (docs/scaling.md "Ownership and leases"). Without Redis, B's in-process
 * pubsub never sees A's live events; B's subscriber fills the gap from the store when B's own
 * sweep publishes the RunFailed.
 */

const LEASE_MS = 1_000;
const SWEEP_MS = 250;
const PROMPT = 'tell me a long story about leases, epochs and the fencing of stale owners please';

type Event = { __typename: string; sequence: number; [field: string]: unknown };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function cluster(): Promise<{ schema: PgTestSchema; start: () => Promise<GatewayProcess> }> {
  const schema = await createPgTestSchema();
  const dir = mkdtempSync(path.join(tmpdir(), 'synapse-leases-'));
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => schema.drop(),
  );
  const config = path.join(dir, 'synapse.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      server: { leaseMs: LEASE_MS, leaseSweepMs: SWEEP_MS, shutdownGraceMs: 200 },
      agents: [
        { id: 'slow', dialect: 'demo', demo: { wordDelayMs: 150 } },
        { id: 'slower', dialect: 'demo', demo: { wordDelayMs: 300 } },
      ],
    }),
  );
  const start = async () => {
    const gateway = await startGatewayProcess({
      SYNAPSE_CONFIG: config,
      SYNAPSE_DATA_DIR: dir,
      DATABASE_URL: schema.url,
    });
    cleanups.push(async () => {
      if (gateway.child.exitCode === null && gateway.child.signalCode === null) {
        gateway.child.kill('SIGCONT');
        gateway.child.kill('SIGKILL');
        await gateway.exited;
      }
    });
    return gateway;
  };
  return { schema, start };
}

async function runOn(gateway: GatewayProcess, agentId: string): Promise<string> {
  const run = await graphqlRequest(gateway.url, RUN_AGENT, { input: { agentId, prompt: PROMPT } });
  expect(run.data!.runAgent.__typename).toBe('RunAgentPayload');
  return run.data!.runAgent.workflow.id as string;
}

async function stored(gateway: GatewayProcess, id: string): Promise<{ status: string; events: Event[] }> {
  return (await graphqlRequest(gateway.url, WORKFLOW, { id })).data!.workflow;
}

/** Subscribes on `gateway` from the start; records when each event arrived. */
function subscribe(gateway: GatewayProcess, id: string) {
  const client = wsClient(gateway.url);
  cleanups.push(() => client.dispose());
  const events: Event[] = [];
  const arrivals: number[] = [];
  const done = collectSubscription<{ agentStream: Event }>(
    client,
    AGENT_STREAM,
    { workflowId: id, afterSequence: 0 },
    (data) => {
      events.push(data.agentStream);
      arrivals.push(Date.now());
    },
  );
  return { events, arrivals, done };
}

const terminals = (events: Event[]) =>
  events.filter((event) => ['RunCompleted', 'RunFailed', 'RunCancelled'].includes(event.__typename));
const sequences = (events: Event[]) => events.map((event) => event.sequence);
const oneToN = (events: Event[]) => events.map((_, index) => index + 1);

describe('ownership leases across gateway processes (PostgreSQL)', () => {
  it('SIGKILL of the owner: the subscriber on another instance gets RunFailed INTERRUPTED within the lease, no gap, no repeat', async () => {
    const { start } = await cluster();
    const [a, b] = await Promise.all([start(), start()]);
    const id = await runOn(a, 'slow');
    const stream = subscribe(b, id);
    await until(async () => (await stored(b, id)).events.length >= 10, 10_000);

    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await a.exited;
    const events = (await stream.done).map((data) => data.agentStream);

    const terminal = events.at(-1)!;
    expect(terminal).toMatchObject({ __typename: 'RunFailed', code: 'INTERRUPTED', retryable: true });
    // Expiry is at most one lease after the last renewal (which came before the kill), then one sweep interval.
    expect(stream.arrivals.at(-1)! - killedAt).toBeLessThan(LEASE_MS + SWEEP_MS + 1_500);
    expect(sequences(events)).toEqual(oneToN(events));
    expect(terminals(events)).toHaveLength(1);
    const history = await stored(b, id);
    expect(history.status).toBe('INTERRUPTED');
    expect(history.events).toEqual(events);
  }, 90_000);

  it('a restarted instance does not touch the running workflows of the others', async () => {
    const { start } = await cluster();
    const [a, b] = await Promise.all([start(), start()]);
    const id = await runOn(b, 'slower');
    const stream = subscribe(b, id);

    a.child.kill('SIGKILL');
    await a.exited;
    const restarted = await start();
    // Several sweep intervals and more than a lease on the restarted instance.
    await sleep(LEASE_MS + 4 * SWEEP_MS);
    expect((await stored(restarted, id)).status).toBe('RUNNING');

    const events = (await stream.done).map((data) => data.agentStream);
    expect(terminals(events)).toEqual([expect.objectContaining({ __typename: 'RunCompleted' })]);
    expect(sequences(events)).toEqual(oneToN(events));
    expect((await stored(restarted, id)).status).toBe('SUCCEEDED');
  }, 90_000);

  it('a cut-off owner (SIGSTOP past its lease, then SIGCONT) is fenced: it writes nothing more, one terminal event', async () => {
    const { start } = await cluster();
    const [a, b] = await Promise.all([start(), start()]);
    const id = await runOn(a, 'slow');
    const stream = subscribe(b, id);
    await until(async () => (await stored(b, id)).events.length >= 10, 10_000);

    a.child.kill('SIGSTOP');
    const events = (await stream.done).map((data) => data.agentStream);
    expect(events.at(-1)).toMatchObject({ __typename: 'RunFailed', code: 'INTERRUPTED' });
    const swept = await stored(b, id);

    a.child.kill('SIGCONT');
    // A wakes up with a commit timer due and a renewal due: both find the lease gone.
    await sleep(1_500);
    const after = await stored(b, id);
    expect(after.events).toEqual(swept.events);
    expect(after.events).toEqual(events);
    expect(sequences(after.events)).toEqual(oneToN(after.events));
    expect(terminals(after.events)).toHaveLength(1);
    expect(after.status).toBe('INTERRUPTED');

    // A itself carries on serving: a new run on it completes.
    const next = await graphqlRequest(a.url, RUN_AGENT, {
      input: { agentId: 'slow', messages: [{ role: 'user', content: 'hi' }], wait: true },
    });
    expect(next.data!.runAgent.workflow.status).toBe('SUCCEEDED');
  }, 90_000);
});
