import { afterEach, describe, expect, it } from 'vitest';
import { AgentRegistry, LeaseKeeper, LeaseSweeper, RunManager } from '../../src/bridge/index.js';
import { parseConfig } from '../../src/config/index.js';
import { dialects } from '../../src/dialects/index.js';
import type { AgentEvent } from '../../src/events/index.js';
import { silentLogger } from '../../src/logger.js';
import { createInProcessPubSub } from '../../src/pubsub/index.js';
import { LeaseLostError } from '../../src/store/index.js';
import { ToolCallRunner } from '../../src/bridge/index.js';
import type { ToolSource } from '../../src/tools/types.js';
import { BACKENDS, newWorkflowRecord, type TestStore } from '../helpers/stores.js';
import { sleep, until } from '../helpers/async.js';

const LEASE_MS = 300;
describe.each(BACKENDS)('ownership on $name', (backend) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('a cut-off owner is fenced: its run is aborted and writes nothing after the sweep', async () => {
    store = await backend.open();
    const config = parseConfig({ agents: [{ id: 'slow', dialect: 'demo', demo: { wordDelayMs: 80 } }] }, { env: {} });
    const agents = new AgentRegistry(config.agents, dialects);
    const pubsubA = createInProcessPubSub();
    const leasesA = new LeaseKeeper({ store, logger: silentLogger }, { instanceId: 'a', leaseMs: LEASE_MS });
    const runs = new RunManager(
      { store, pubsub: pubsubA, agents, logger: silentLogger, leases: leasesA },
      { commitDelayMs: 1 },
    );
    const publishedByA: AgentEvent[] = [];

    const workflow = await runs.start({
      agentId: 'slow',
      tenantId: 'default',
      input: { messages: [{ role: 'user', content: 'please give a long answer with many words' }] },
    });
    pubsubA.subscribe(workflow.id, (batch) => void publishedByA.push(...batch));
    expect(leasesA.size).toBe(1);
    await until(async () => (await store!.getWorkflow(workflow.id))!.lastSequence >= 4);

    // Cut A off: its renewals stop (as if the process were paused) while its run goes on.
    await leasesA.stop();
    await sleep(LEASE_MS + 50);
    const peer = await store.peer();
    const pubsubB = createInProcessPubSub();
    const publishedByB: AgentEvent[] = [];
    pubsubB.subscribe(workflow.id, (batch) => void publishedByB.push(...batch));
    const leasesB = new LeaseKeeper({ store: peer, logger: silentLogger }, { instanceId: 'b', leaseMs: LEASE_MS });
    const sweeper = new LeaseSweeper({ store: peer, pubsub: pubsubB, logger: silentLogger, leases: leasesB });
    // A's run still commits every 80 ms; a sweep that meets one of those commits holding the row
    // lock skips the row (FOR UPDATE SKIP LOCKED, by design) and the next sweep takes it.
    let taken = 0;
    for (let attempt = 0; attempt < 20 && taken === 0; attempt++) {
      taken = await sweeper.sweep();
      if (taken === 0) await sleep(20);
    }
    expect(taken).toBe(1);
    const sweptAt = Date.now();

    // A's next commit is fenced: the run stops (upstream aborted), nothing more is stored.
    await Promise.race([
      runs.waitFor(workflow.id),
      sleep(3_000).then(() => Promise.reject(new Error('run not aborted'))),
    ]);
    expect(Date.now() - sweptAt).toBeLessThan(1_000); // the answer alone takes over 2 s
    expect(runs.activeCount).toBe(0);
    const stored = await store.readEvents(workflow.id, 0, 1_000);
    expect(stored.map((event) => event.sequence)).toEqual(stored.map((_, index) => index + 1));
    const terminal = stored.filter((event) => ['RunCompleted', 'RunFailed', 'RunCancelled'].includes(event.type));
    expect(stored.some((event) => event.type === 'MessageCompleted')).toBe(false);
    expect(terminal).toEqual([
      expect.objectContaining({ type: 'RunFailed', code: 'INTERRUPTED', sequence: stored.length }),
    ]);
    expect(publishedByB.map((event) => event.sequence)).toEqual([stored.length]);
    expect(publishedByA.every((event) => event.sequence < stored.length)).toBe(true);
    expect(await store.getWorkflow(workflow.id)).toMatchObject({ status: 'INTERRUPTED', lastSequence: stored.length });
    await sleep(100);
    expect((await store.readEvents(workflow.id, 0, 1_000)).length).toBe(stored.length);
    await sweeper.stop();
  });

  it('a tool call whose lease is taken over is aborted and writes nothing more', async () => {
    store = await backend.open();
    let signal: AbortSignal | undefined;
    const source: ToolSource = {
      kind: 'http',
      label: 'agents[0].tools[0]',
      timeoutMs: 10_000,
      maxResultBytes: 1_000,
      tools: () => [],
      call: (invocation) =>
        new Promise((resolve) => {
          signal = invocation.signal;
          invocation.signal.addEventListener('abort', () => resolve({ result: 'too late', isError: false }));
        }),
    };
    const leases = new LeaseKeeper({ store, logger: silentLogger }, { instanceId: 'a', leaseMs: LEASE_MS });
    const runner = new ToolCallRunner({ store, pubsub: createInProcessPubSub(), logger: silentLogger, leases });
    const call = runner.call({
      tenantId: 'default',
      agentId: 'agent',
      tool: { name: 'wait', description: null, inputSchema: {}, source },
      arguments: {},
    });
    call.catch(() => {});
    await until(() => signal !== undefined);
    const [row] = await store.exec("select id, owner_id, lease_epoch from workflows where kind = 'TOOL_CALL'");
    expect(row).toMatchObject({ owner_id: 'a' });
    expect(Number(row!.lease_epoch)).toBe(1);

    // Another instance takes it over (atomically, whatever the expiry); A's next renewal notices.
    await store.takeOverExpiredLeases({
      owner: 'b',
      expiredAt: new Date(8.64e15),
      leaseExpiresAt: new Date(Date.now() + 60_000),
      limit: 10,
    });
    await expect(call).rejects.toBeInstanceOf(LeaseLostError);
    expect(signal!.aborted).toBe(true);
    expect(runner.activeCount).toBe(0);
    expect(leases.size).toBe(0);
    const stored = await store.readEvents(row!.id as string, 0, 100);
    expect(stored.map((event) => event.type)).toEqual(['RunStarted', 'ToolCallStarted', 'ToolCallCompleted']);
    await leases.stop();
  });

  it('a renewal that finds a lease taken over reports it once, and keeps the others', async () => {
    store = await backend.open();
    const keeper = new LeaseKeeper({ store, logger: silentLogger }, { instanceId: 'a', leaseMs: 60_000 });
    const lost: LeaseLostError[] = [];
    for (const id of ['w1', 'w2']) {
      await store.createWorkflow(
        newWorkflowRecord(id, {
          status: 'RUNNING',
          agentId: null,
          input: null,
          lease: keeper.newLease(Date.now() - 120_000),
        }),
      );
      keeper.hold(id, 1, (error) => lost.push(error));
    }
    await store.exec(`update workflows set lease_expires_at = ${Date.now() + 60_000} where id = 'w2'`);
    const taken = await store.takeOverExpiredLeases({
      owner: 'b',
      expiredAt: new Date(),
      leaseExpiresAt: new Date(Date.now() + 1_000),
      limit: 10,
    });
    expect(taken.map((t) => t.workflow.id)).toEqual(['w1']);

    await keeper.renew();
    await keeper.renew();
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(LeaseLostError);
    expect(lost[0]).toMatchObject({ workflowId: 'w1', epoch: 1 });
    expect(keeper.size).toBe(1);
    const [row] = await store.exec("select lease_expires_at from workflows where id = 'w2'");
    expect(Number(row!.lease_expires_at)).toBeGreaterThan(Date.now() + 50_000);
    await keeper.stop();
  });
});
