import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectSubscription, graphqlRequest, wsClient } from '../helpers/graphql-clients.js';
import type { StreamEvent, WorkflowView } from '../helpers/shapes.js';
import { HITL_STREAM, PAUSED_WORKFLOW, RESPOND, waitForWorkflowStatus } from '../helpers/interrupt-operations.js';
import { CANCEL, RUN_AGENT } from '../helpers/operations.js';
import { createPgTestSchema, type PgTestSchema } from '../helpers/postgres.js';
import { startGatewayProcess, type GatewayProcess } from '../helpers/process.js';
import { REDIS_URL, uniqueRedisPrefix } from '../helpers/redis.js';
import { sleep } from '../helpers/async.js';

type Event = StreamEvent;
type Fields = Record<string, unknown>;

/**
 * Human in the loop on PostgreSQL + Redis with several gateway processes
 * (docs/human-in-the-loop.md, docs/scaling.md): the answer may land on any instance, answers
 * racing on two instances resume exactly once, a paused workflow outlives SIGKILL and SIGTERM of
 * the instance that paused it, and any instance expires it.
 */
const dirs: string[] = [];
const gateways: GatewayProcess[] = [];
const schemas: PgTestSchema[] = [];

afterAll(async () => {
  await Promise.all(
    gateways.map((gateway) => {
      if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill('SIGTERM');
      return gateway.exited;
    }),
  );
  await Promise.all(schemas.map((schema) => schema.drop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A config for gateways sharing one PostgreSQL schema and one Redis prefix. */
async function sharedConfig(): Promise<{ env: Record<string, string> }> {
  const schema = await createPgTestSchema();
  schemas.push(schema);
  const dir = mkdtempSync(path.join(tmpdir(), 'synapse-hitl-scale-'));
  dirs.push(dir);
  const config = path.join(dir, 'synapse.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      server: { leaseMs: 1_000, leaseSweepMs: 100, shutdownGraceMs: 500 },
      database: { url: schema.url },
      redis: { url: REDIS_URL, keyPrefix: uniqueRedisPrefix(), fallbackPollMs: 100 },
      agents: [
        { id: 'ask', dialect: 'demo', demo: { wordDelayMs: 5, askHuman: true } },
        { id: 'ask-briefly', dialect: 'demo', interruptTimeoutMs: 400, demo: { wordDelayMs: 0, askHuman: true } },
      ],
    }),
  );
  return { env: { SYNAPSE_CONFIG: config, SYNAPSE_DATA_DIR: dir } };
}

async function start(env: Record<string, string>): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess(env);
  gateways.push(gateway);
  return gateway;
}

async function runOn(gateway: GatewayProcess, agentId: string, prompt: string): Promise<string> {
  const run = await graphqlRequest(gateway.url, RUN_AGENT, { input: { agentId, prompt } });
  expect(run.data?.runAgent.__typename).toBe('RunAgentPayload');
  return run.data!.runAgent.workflow.id as string;
}

const waitForStatus = (
  gateway: GatewayProcess,
  id: string,
  status: string,
  timeoutMs = 15_000,
): Promise<WorkflowView> => waitForWorkflowStatus(gateway.url, id, status, timeoutMs) as Promise<WorkflowView>;

async function workflowOn(gateway: GatewayProcess, id: string): Promise<WorkflowView> {
  return (await graphqlRequest(gateway.url, PAUSED_WORKFLOW, { id })).data!.workflow;
}

async function respondOn(gateway: GatewayProcess, workflowId: string, responses: Fields[]): Promise<Fields> {
  return (await graphqlRequest(gateway.url, RESPOND, { workflowId, responses })).data!.respondToInterrupts;
}

function expectOneContiguousRun(events: Event[]): void {
  expect(events.map((event) => event.sequence)).toEqual(events.map((_event, index) => index + 1));
  expect(
    events.filter((event) => ['RunCompleted', 'RunFailed', 'RunCancelled'].includes(event.__typename)),
  ).toHaveLength(1);
}

const APPROVE = [{ interruptId: 'approve_call_1', decision: 'APPROVE' }];

describe('human in the loop on PostgreSQL + Redis, several instances', () => {
  // Each test starts two or three gateway processes (tsx): allow for a loaded machine.
  it('paused on one instance, answered on the other: the first instance’s subscriber sees the run resume with the next sequences', async () => {
    const { env } = await sharedConfig();
    const a = await start(env);
    const b = await start(env);
    const id = await runOn(a, 'ask', 'what is 2 + 2');
    const client = wsClient(a.url);
    try {
      let answered = null as Promise<Fields> | null; // set in a callback: not narrowed to null
      const streamed = collectSubscription<{ agentStream: Event }>(client, HITL_STREAM, { workflowId: id }, (data) => {
        if (data.agentStream.__typename === 'InterruptRequested') {
          answered = waitForStatus(b, id, 'INPUT_REQUIRED').then(() => respondOn(b, id, APPROVE));
        }
      });
      const events = (await streamed).map((data) => data.agentStream);
      expect(await answered).toMatchObject({ resumed: true });
      expectOneContiguousRun(events);
      expect(events.at(-1)).toMatchObject({ __typename: 'RunCompleted', output: { answer: 4 } });
      expect(await workflowOn(a, id)).toMatchObject({ status: 'SUCCEEDED' });
    } finally {
      await client.dispose();
    }

    // answers racing on both instances: exactly one resume, one InterruptResolved
    const raced = await runOn(b, 'ask', 'what is 3 + 4');
    await waitForStatus(a, raced, 'INPUT_REQUIRED');
    const results = await Promise.all([a, b, a, b, a, b].map((gateway) => respondOn(gateway, raced, APPROVE)));
    expect(results.every((result) => result.__typename === 'RespondToInterruptsPayload')).toBe(true);
    expect(results.filter((result) => result.resumed === true)).toHaveLength(1);
    const done = await waitForStatus(a, raced, 'SUCCEEDED');
    expectOneContiguousRun(done.events);
    expect(done.events.filter((event: Event) => event.__typename === 'InterruptResolved')).toHaveLength(1);
    expect(done.output).toEqual({ answer: 7, expression: '3 + 4' });

    // cancelWorkflow of a workflow paused on the other instance
    const cancelled = await runOn(a, 'ask', 'what is 8 + 1');
    await waitForStatus(b, cancelled, 'INPUT_REQUIRED');
    const result = await graphqlRequest(b.url, CANCEL, { id: cancelled, reason: 'not needed' });
    expect(result.data!.cancelWorkflow).toMatchObject({ cancelled: true, workflow: { status: 'CANCELLED' } });
    const ended = await workflowOn(a, cancelled);
    expectOneContiguousRun(ended.events);
    expect(ended.events.at(-1)).toMatchObject({ __typename: 'RunCancelled', reason: 'not needed' });
  }, 60_000);

  it('outlives SIGKILL and SIGTERM of the instance that paused it (not swept), answerable and resumed elsewhere', async () => {
    const { env } = await sharedConfig();
    const first = await start(env);
    const killed = await runOn(first, 'ask', 'what is 5 + 5');
    const stopped = await runOn(first, 'ask', 'what is 6 + 6');
    await waitForStatus(first, killed, 'INPUT_REQUIRED');
    await waitForStatus(first, stopped, 'INPUT_REQUIRED');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await start(env);
    // several lease sweeps later (leaseMs 1000, sweep every 100 ms): still waiting for a person
    await sleep(1_500);
    for (const id of [killed, stopped])
      expect(await workflowOn(second, id)).toMatchObject({
        status: 'INPUT_REQUIRED',
        pendingInterrupts: [expect.objectContaining({ kind: 'TOOL_APPROVAL' })],
      });
    expect(await respondOn(second, killed, APPROVE)).toMatchObject({ resumed: true });
    expectOneContiguousRun((await waitForStatus(second, killed, 'SUCCEEDED')).events);

    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    const third = await start(env);
    expect(await workflowOn(third, stopped)).toMatchObject({ status: 'INPUT_REQUIRED' });
    expect(await respondOn(third, stopped, APPROVE)).toMatchObject({ resumed: true });
    const done = await waitForStatus(third, stopped, 'SUCCEEDED');
    expectOneContiguousRun(done.events);
    expect(done.output).toEqual({ answer: 12, expression: '6 + 6' });
  }, 60_000);

  it('expires on another instance after the pausing one died: RunFailed INTERRUPT_EXPIRED', async () => {
    const { env } = await sharedConfig();
    const a = await start(env);
    const b = await start(env);
    const id = await runOn(a, 'ask-briefly', 'what is 1 + 2');
    const paused = await waitForStatus(a, id, 'INPUT_REQUIRED');
    expect(paused.pendingInterrupts[0]!.expiresAt).toEqual(expect.any(String));
    a.child.kill('SIGKILL');
    await a.exited;
    const failed = await waitForStatus(b, id, 'FAILED');
    expect(failed.error).toMatchObject({ code: 'INTERRUPT_EXPIRED', retryable: false });
    expectOneContiguousRun(failed.events);
  }, 60_000);

  it('on SQLite too: SIGKILL while paused, the restarted gateway (whose start-up sweep closes every unfinished run) leaves it INPUT_REQUIRED and resumes it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'synapse-hitl-sqlite-'));
    dirs.push(dir);
    const config = path.join(dir, 'synapse.config.json');
    writeFileSync(
      config,
      JSON.stringify({ agents: [{ id: 'ask', dialect: 'demo', demo: { wordDelayMs: 0, askHuman: true } }] }),
    );
    const env = { SYNAPSE_CONFIG: config, SYNAPSE_DATA_DIR: dir };
    const first = await start(env);
    const id = await runOn(first, 'ask', 'what is 9 + 9');
    await waitForStatus(first, id, 'INPUT_REQUIRED');
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await start(env);
    expect(await workflowOn(second, id)).toMatchObject({
      status: 'INPUT_REQUIRED',
      pendingInterrupts: [expect.objectContaining({ interruptId: 'approve_call_1' })],
    });
    expect(await respondOn(second, id, APPROVE)).toMatchObject({ resumed: true });
    const done = await waitForStatus(second, id, 'SUCCEEDED');
    expectOneContiguousRun(done.events);
    expect(done.output).toEqual({ answer: 18, expression: '9 + 9' });
  }, 60_000);
});
