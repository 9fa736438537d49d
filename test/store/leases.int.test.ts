import { afterEach, describe, expect, it } from 'vitest';
import { LeaseKeeper, LeaseSweeper } from '../../src/bridge/index.js';
import type { AgentEvent, AgentEventBody } from '../../src/events/index.js';
import { silentLogger } from '../../src/logger.js';
import { createInProcessPubSub } from '../../src/pubsub/index.js';
import { LeaseLostError, type NewWorkflow, type Store, type WorkflowRecord } from '../../src/store/index.js';
import { BACKENDS, newWorkflowRecord, type TestStore } from '../helpers/stores.js';
import { sleep } from '../helpers/async.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

function newWorkflow(id: string, lease: NewWorkflow['lease'], overrides: Partial<NewWorkflow> = {}): NewWorkflow {
  return newWorkflowRecord(id, {
    tenantId: 'acme',
    status: 'RUNNING',
    agentId: 'writer',
    input: { prompt: 'hi' },
    createdAt: new Date(T0),
    ...(lease ? { lease } : {}),
    ...overrides,
  });
}

function events(workflowId: string, from: number, bodies: AgentEventBody[]): AgentEvent[] {
  return bodies.map((body, index) => ({ ...body, workflowId, sequence: from + index, at: new Date(T0).toISOString() }));
}

const delta = (text: string): AgentEventBody => ({ type: 'TextDelta', messageId: 'm1', delta: text });

async function leaseRow(store: TestStore, id: string) {
  const [row] = await store.exec(
    `select owner_id, lease_epoch, lease_expires_at, last_sequence, status from workflows where id = '${id}'`,
  );
  return {
    owner: row!.owner_id as string | null,
    epoch: Number(row!.lease_epoch),
    expiresAt: row!.lease_expires_at === null ? null : Number(row!.lease_expires_at),
    lastSequence: Number(row!.last_sequence),
    status: row!.status as string,
  };
}

describe.each(BACKENDS)('leases on $name', (backend) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('creates a workflow with its lease: owner, epoch 1, expiry', async () => {
    store = await backend.open();
    await store.createWorkflow(newWorkflow('w1', { owner: 'a', expiresAt: new Date(T0 + 10_000) }));
    await store.createWorkflow(newWorkflow('w2', undefined));
    expect(await leaseRow(store, 'w1')).toMatchObject({ owner: 'a', epoch: 1, expiresAt: T0 + 10_000 });
    expect(await leaseRow(store, 'w2')).toMatchObject({ owner: null, epoch: 0, expiresAt: null });
  });

  it('fences a commit with a stale epoch: LeaseLostError, nothing written', async () => {
    store = await backend.open();
    await store.createWorkflow(newWorkflow('w1', { owner: 'a', expiresAt: new Date(T0) }));
    await store.commit('w1', events('w1', 1, [delta('one')]), { text: 'one' }, { epoch: 1 });

    const taken = await store.takeOverExpiredLeases({
      owner: 'b',
      expiredAt: new Date(T0),
      leaseExpiresAt: new Date(T0 + 5_000),
      limit: 10,
    });
    expect(taken.map((t) => [t.workflow.id, t.epoch])).toEqual([['w1', 2]]);
    expect(taken[0]!.workflow.lastSequence).toBe(1);

    const stale = store.commit(
      'w1',
      events('w1', 2, [delta('two'), { type: 'RunCompleted', output: null, text: 'onetwo', usage: null }]),
      { status: 'SUCCEEDED', text: 'onetwo' },
      { epoch: 1 },
    );
    await expect(stale).rejects.toBeInstanceOf(LeaseLostError);
    await expect(stale).rejects.toMatchObject({ workflowId: 'w1', epoch: 1, currentEpoch: 2, code: 'LEASE_LOST' });
    expect(await leaseRow(store, 'w1')).toMatchObject({ owner: 'b', epoch: 2, lastSequence: 1, status: 'RUNNING' });
    expect((await store.readEvents('w1', 0, 10)).map((e) => e.sequence)).toEqual([1]);
    expect((await store.getWorkflow('w1'))!.text).toBe('one');

    // The new owner writes at its epoch; an unfenced commit (no epoch) is not checked.
    await store.commit('w1', events('w1', 2, [delta('x')]), {}, { epoch: 2 });
    await store.commit('w1', events('w1', 3, [delta('y')]), {});
    expect((await store.readEvents('w1', 0, 10)).map((e) => e.sequence)).toEqual([1, 2, 3]);
  });

  it('renews many leases of one owner in one statement and returns the ones it lost', async () => {
    const statements: string[] = [];
    store = await backend.open({ log: (event) => void (event.level === 'query' && statements.push(event.query.sql)) });
    for (const id of ['w1', 'w2', 'w3', 'w4']) {
      await store.createWorkflow(newWorkflow(id, { owner: 'a', expiresAt: new Date(T0) }));
    }
    await store.createWorkflow(newWorkflow('other', { owner: 'b', expiresAt: new Date(T0) }));
    // w2 is swept by b; w3 by a itself (a new epoch: the old holder must not renew it).
    await store.exec(`update workflows set lease_expires_at = ${T0 + 60_000} where id in ('w1', 'w4', 'other')`);
    await store.takeOverExpiredLeases({
      owner: 'b',
      expiredAt: new Date(T0),
      leaseExpiresAt: new Date(T0 + 1),
      limit: 1,
    });
    await store.takeOverExpiredLeases({
      owner: 'a',
      expiredAt: new Date(T0),
      leaseExpiresAt: new Date(T0 + 1),
      limit: 1,
    });
    const before = (await Promise.all(['w2', 'w3'].map((id) => leaseRow(store!, id)))).map((row) => row.owner).sort();
    expect(before).toEqual(['a', 'b']);

    statements.length = 0;
    const expiresAt = new Date(T0 + 99_000);
    const lost = await store.renewLeases(
      'a',
      [
        { workflowId: 'w1', epoch: 1 },
        { workflowId: 'w2', epoch: 1 },
        { workflowId: 'w3', epoch: 1 },
        { workflowId: 'w4', epoch: 1 },
        { workflowId: 'other', epoch: 1 },
        { workflowId: 'missing', epoch: 1 },
      ],
      expiresAt,
    );
    expect(lost.sort()).toEqual(['missing', 'other', 'w2', 'w3']);
    expect(statements).toHaveLength(1);
    expect((await leaseRow(store, 'w1')).expiresAt).toBe(T0 + 99_000);
    expect((await leaseRow(store, 'w4')).expiresAt).toBe(T0 + 99_000);
    expect((await leaseRow(store, 'other')).expiresAt).toBe(T0 + 60_000);
    expect(await store.renewLeases('a', [], expiresAt)).toEqual([]);
  });

  it('sweeps only unfinished workflows whose lease expired, and rows without an owner', async () => {
    store = await backend.open();
    const now = Date.now();
    await store.createWorkflow(newWorkflow('expired', { owner: 'a', expiresAt: new Date(now - 1) }));
    await store.createWorkflow(newWorkflow('live', { owner: 'a', expiresAt: new Date(now + 60_000) }));
    await store.createWorkflow(
      newWorkflow('queued', { owner: 'a', expiresAt: new Date(now - 1) }, { status: 'QUEUED' }),
    );
    await store.createWorkflow(
      newWorkflow('done', { owner: 'a', expiresAt: new Date(now - 1) }, { status: 'SUCCEEDED' }),
    );
    await store.createWorkflow(newWorkflow('ownerless', undefined));
    const taken = await store.takeOverExpiredLeases({
      owner: 'b',
      expiredAt: new Date(now),
      leaseExpiresAt: new Date(now + 5_000),
      limit: 10,
    });
    expect(taken.map((t) => `${t.workflow.id}@${t.epoch}`).sort()).toEqual(['expired@2', 'ownerless@1', 'queued@2']);
    // Taken leases are the sweeper's now and not expired: a second sweep takes nothing.
    expect(
      await store.takeOverExpiredLeases({
        owner: 'c',
        expiredAt: new Date(now),
        leaseExpiresAt: new Date(now + 5_000),
        limit: 10,
      }),
    ).toEqual([]);
    expect(await leaseRow(store, 'live')).toMatchObject({ owner: 'a', epoch: 1 });
  });

  it('the sweep keeps the text of the dead owner’s committed deltas, even past its last text write', async () => {
    store = await backend.open();
    const now = Date.now();
    await store.createWorkflow(newWorkflow('w1', { owner: 'dead', expiresAt: new Date(now - 1_000) }));
    // The owner writes the row's text at most every 100 ms: its last batch left the text behind.
    await store.commit(
      'w1',
      events('w1', 1, [{ type: 'RunStarted', agentId: 'writer', input: {} }, delta('Hello, ')]),
      { status: 'RUNNING', text: 'Hello, ' },
      { epoch: 1 },
    );
    await store.commit('w1', events('w1', 3, [delta('wor'), delta('ld')]), {}, { epoch: 1 });
    const leases = new LeaseKeeper({ store, logger: silentLogger }, { instanceId: 'sweeper', leaseMs: 5_000 });
    const sweeper = new LeaseSweeper({ store, pubsub: createInProcessPubSub(), logger: silentLogger, leases });
    expect(await sweeper.sweep()).toBe(1);
    expect(await store.getWorkflow('w1')).toMatchObject({
      status: 'INTERRUPTED',
      text: 'Hello, world',
      lastSequence: 5,
    });
  });

  it('concurrent sweeps from several instances close each expired workflow exactly once', async () => {
    store = await backend.open();
    const peers: Store[] = [store, ...(await Promise.all([1, 2, 3].map(() => store!.peer())))];
    const now = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 24; i += 1) {
      const id = `w${String(i).padStart(2, '0')}`;
      ids.push(id);
      await store.createWorkflow(newWorkflow(id, { owner: 'dead', expiresAt: new Date(now - 1_000) }));
      await store.commit(
        id,
        events(id, 1, [
          { type: 'RunStarted', agentId: 'writer', input: {} },
          ...Array.from({ length: i % 4 }, () => delta('x')),
        ]),
        { status: 'RUNNING' },
        { epoch: 1 },
      );
    }
    await store.createWorkflow(newWorkflow('alive', { owner: 'other', expiresAt: new Date(now + 60_000) }));

    // Store level: four takeovers at the same moment share the rows out, none twice.
    const rounds = await Promise.all(
      peers.map((peer, index) =>
        peer.takeOverExpiredLeases({
          owner: `sweeper-${index}`,
          expiredAt: new Date(now),
          leaseExpiresAt: new Date(now + 300),
          limit: 100,
        }),
      ),
    );
    const taken = rounds.flat().map((t) => t.workflow.id);
    expect(taken.sort()).toEqual(ids);
    expect(new Set(rounds.flat().map((t) => t.epoch))).toEqual(new Set([2]));

    // The sweepers (once the takeover leases above expired): each on its own connection,
    // with its own pubsub, sweeping at the same moment. Exactly one RunFailed per workflow.
    await sleep(Math.max(0, now + 350 - Date.now()));
    const published = new Map<string, number[]>();
    const updates: string[] = [];
    const sweepers = peers.map((peer, index) => {
      const pubsub = createInProcessPubSub();
      pubsub.subscribeWorkflowUpdates((workflow) => void updates.push(`${workflow.id}:${workflow.status}`));
      for (const id of ids) {
        pubsub.subscribe(id, (batch) =>
          published.set(id, [...(published.get(id) ?? []), ...batch.map((e) => e.sequence)]),
        );
      }
      const leases = new LeaseKeeper(
        { store: peer, logger: silentLogger },
        { instanceId: `instance-${index}`, leaseMs: 5_000 },
      );
      return new LeaseSweeper({ store: peer, pubsub, logger: silentLogger, leases });
    });
    const closed = await Promise.all(sweepers.map((sweeper) => sweeper.sweep()));
    expect(closed.reduce((sum, count) => sum + count, 0)).toBe(ids.length);

    for (const [index, id] of ids.entries()) {
      const stored = await store.readEvents(id, 0, 100);
      expect(stored.map((e) => e.sequence)).toEqual(Array.from({ length: 2 + (index % 4) }, (_, i) => i + 1));
      expect(stored.filter((e) => e.type === 'RunFailed')).toEqual([
        expect.objectContaining({ code: 'INTERRUPTED', retryable: true, sequence: 2 + (index % 4) }),
      ]);
      expect(published.get(id)).toEqual([2 + (index % 4)]);
      const workflow = (await store.getWorkflow(id)) as WorkflowRecord;
      expect(workflow).toMatchObject({
        status: 'INTERRUPTED',
        error: { code: 'INTERRUPTED' },
        lastSequence: 2 + (index % 4),
      });
    }
    expect(updates.sort()).toEqual(ids.map((id) => `${id}:INTERRUPTED`));
    expect((await store.getWorkflow('alive'))!.status).toBe('RUNNING');
    // The old owner is fenced.
    await expect(store.commit('w00', events('w00', 3, [delta('late')]), {}, { epoch: 1 })).rejects.toBeInstanceOf(
      LeaseLostError,
    );
  });

  it('migration 0004 gives rows written before it no owner, epoch 0: the first sweep closes them', async () => {
    store = await backend.open();
    // Back to the schema before 0004: the later migrations (0005_interrupts, 0007_run_control) go too, and come back with it.
    await store.exec("delete from synapse_migration where name >= '0004_leases'");
    for (const statement of [
      'drop table idempotency_keys',
      'drop index workflows_queue_idx',
      backend.dialect === 'postgres'
        ? 'drop trigger workflows_webhook_outbox on workflows'
        : 'drop trigger workflows_webhook_outbox',
      'drop table webhook_outbox',
      'drop table webhook_deliveries',
      'drop index workflows_interrupt_expiry_idx',
      'alter table workflows drop column interrupt_expires_at',
      'alter table workflows drop column pause',
      'drop index workflows_lease_sweep_idx',
      'alter table workflows drop column lease_expires_at',
      'alter table workflows drop column lease_epoch',
      'alter table workflows drop column owner_id',
    ]) {
      await store.exec(statement);
    }
    await store.exec(
      `insert into workflows (id, tenant_id, kind, status, created_at, last_sequence) values ('old', 'acme', 'AGENT_RUN', 'RUNNING', ${T0}, 0)`,
    );
    await store.migrate();
    expect(await leaseRow(store, 'old')).toMatchObject({ owner: null, epoch: 0, expiresAt: null });
    const taken = await store.takeOverExpiredLeases({
      owner: 'b',
      expiredAt: new Date(),
      leaseExpiresAt: new Date(Date.now() + 1_000),
      limit: 10,
    });
    expect(taken.map((t) => [t.workflow.id, t.epoch])).toEqual([['old', 1]]);
  });
});

describe.each(BACKENDS)('renewals beside group commits on $name', (backend) => {
  it('never deadlock: 200 workflows, commits and renewals racing in opposite orders', async () => {
    const store = await backend.open();
    const peer = await store.peer();
    try {
      const ids = Array.from({ length: 200 }, (_, index) => `w${String(index).padStart(3, '0')}`);
      const expiry = new Date(Date.now() + 60_000);
      for (const id of ids) await store.createWorkflow(newWorkflow(id, { owner: 'a', expiresAt: expiry }));
      const shuffled = (list: string[]) =>
        list
          .map((id) => [Math.random(), id] as const)
          .sort()
          .map(([, id]) => id);
      let next = 1;
      for (let round = 0; round < 15; round++) {
        const from = next;
        next += 1;
        const commits = shuffled(ids).map((id) =>
          store.commit(id, events(id, from, [delta(`r${round}`)]), {}, { epoch: 1 }),
        );
        // The renewal runs on another connection (another instance's, in production).
        const renewals = [
          peer.renewLeases(
            'a',
            shuffled(ids).map((workflowId) => ({ workflowId, epoch: 1 })),
            expiry,
          ),
          peer.renewLeases(
            'a',
            [...ids].reverse().map((workflowId) => ({ workflowId, epoch: 1 })),
            expiry,
          ),
        ];
        const [lost] = await Promise.all([...renewals, ...commits]);
        expect(lost).toEqual([]);
      }
      expect((await leaseRow(store, 'w199')).lastSequence).toBe(15);
    } finally {
      await peer.close();
      await store.close();
    }
  });
});
