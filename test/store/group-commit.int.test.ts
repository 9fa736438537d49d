import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkflowWriter } from '../../src/bridge/workflow-writer.js';
import type { AgentEvent, AgentEventBody } from '../../src/events/index.js';
import { silentLogger } from '../../src/logger.js';
import { createInProcessPubSub } from '../../src/pubsub/index.js';
import {
  LeaseLostError,
  openPostgresStore,
  openSqliteStore,
  type NewWorkflow,
  type Store,
} from '../../src/store/index.js';
import { createPgTestSchema, type PgTestSchema } from '../helpers/postgres.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../helpers/async.js';
import { newWorkflowRecord } from '../helpers/stores.js';

/**
 * The group commit across workflows (src/store/group-commit.ts) on both stores: many workflows'
 * batches go to the store together, each still committed or refused on its own.
 */

const WORKFLOWS = 40;

function newWorkflow(id: string): NewWorkflow {
  return newWorkflowRecord(id, {
    status: 'RUNNING',
    agentId: 'group',
    lease: { owner: 'me', expiresAt: new Date(Date.now() + 60_000) },
  });
}

const delta = (text: string): AgentEventBody => ({ type: 'TextDelta', messageId: 'm1', delta: text });
const reasoning = (text: string): AgentEventBody => ({ type: 'ReasoningDelta', delta: text });

function events(workflowId: string, from: number, bodies: AgentEventBody[]): AgentEvent[] {
  return bodies.map((body, index) => ({ ...body, workflowId, sequence: from + index, at: new Date().toISOString() }));
}

interface Opened {
  store: Store;
  /** Group commits seen: workflows per group. */
  groups: number[];
  /** The SQL of every query Kysely ran (the SQLite group's own transaction is not Kysely's). */
  queries: string[];
  /** Raw SQL on a second connection. */
  exec(statement: string): Promise<Record<string, unknown>[]>;
  /** PostgreSQL only: a second connection that can hold a row lock. */
  schema?: PgTestSchema;
  close(): Promise<void>;
}

const BACKENDS: { name: string; open(): Promise<Opened> }[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'synapse-group-'));
      const groups: number[] = [];
      const queries: string[] = [];
      const store = await openSqliteStore({
        filename: join(dir, 'synapse.db'),
        onCommitGroup: (workflows) => groups.push(workflows),
        log: (event) => void queries.push(event.query.sql),
      });
      const { default: SqliteDatabase } = await import('better-sqlite3');
      const side = new SqliteDatabase(join(dir, 'synapse.db'));
      return {
        store,
        groups,
        queries,
        async exec(statement) {
          const prepared = side.prepare(statement);
          return prepared.reader ? (prepared.all() as Record<string, unknown>[]) : (prepared.run(), []);
        },
        async close() {
          side.close();
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const schema = await createPgTestSchema();
      const groups: number[] = [];
      const queries: string[] = [];
      const store = await openPostgresStore({
        connectionString: schema.url,
        onCommitGroup: (workflows) => groups.push(workflows),
        log: (event) => void queries.push(event.query.sql),
      });
      return {
        store,
        groups,
        queries,
        schema,
        async exec(statement) {
          const client = new pg.Client({ connectionString: schema.url });
          await client.connect();
          try {
            return (await client.query(statement)).rows as Record<string, unknown>[];
          } finally {
            await client.end();
          }
        },
        async close() {
          await store.close();
          await schema.drop();
        },
      };
    },
  },
];

describe.each(BACKENDS)('group commit on $name', (backend) => {
  let opened: Opened | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it('commits many workflows’ batches in one group: contiguous per workflow, each published after its commit', async () => {
    opened = await backend.open();
    const { store } = opened;
    const pubsub = createInProcessPubSub();
    const ids = Array.from({ length: WORKFLOWS }, (_, index) => `w${String(index).padStart(2, '0')}`);
    for (const id of ids) await store.createWorkflow(newWorkflow(id));

    // Every published batch is read back from the store the moment it is published: if a batch
    // were published before its commit, that read would come back short.
    const published = new Map<string, number[]>();
    const readBacks: Promise<void>[] = [];
    for (const id of ids) {
      published.set(id, []);
      pubsub.subscribe(id, (batch) => {
        const sequences = batch.map((event) => event.sequence);
        published.get(id)!.push(...sequences);
        readBacks.push(
          store.readEvents(id, sequences[0]! - 1, sequences.length).then((stored) => {
            expect(stored.map((event) => event.sequence)).toEqual(sequences);
          }),
        );
      });
    }
    const writers = ids.map(
      (id) => new WorkflowWriter({ store, pubsub, logger: silentLogger }, id, 0, {}, { epoch: 1 }),
    );
    opened.groups.length = 0;
    // Five rounds; in each, every workflow appends in the same turn (alternating types, so
    // nothing merges) and the rounds overlap the commits still in flight.
    for (let round = 0; round < 5; round++) {
      writers.forEach((writer, index) => {
        writer.append(round % 2 === 0 ? delta(`${index}.${round}`) : reasoning(`${index}.${round}`));
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(writers.map((writer) => writer.flush()));
    await Promise.all(readBacks);

    for (const [index, id] of ids.entries()) {
      const stored = await store.readEvents(id, 0, 100);
      expect(stored.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(stored.map((event) => ('delta' in event ? event.delta : null))).toEqual(
        [0, 1, 2, 3, 4].map((round) => `${index}.${round}`),
      );
      expect(published.get(id)).toEqual([1, 2, 3, 4, 5]);
      expect((await store.getWorkflow(id))?.lastSequence).toBe(5);
    }
    // Many workflows per group: far fewer groups than batches.
    const committedBatches = opened.groups.reduce((sum, workflows) => sum + workflows, 0);
    expect(committedBatches).toBeGreaterThanOrEqual(WORKFLOWS);
    expect(Math.max(...opened.groups)).toBeGreaterThanOrEqual(WORKFLOWS / 2);
    expect(opened.groups.length).toBeLessThan(committedBatches / 4);
  });

  it('fences set-wise: one fenced workflow among many is refused alone, its writer stops, the others commit', async () => {
    opened = await backend.open();
    const { store } = opened;
    const ids = Array.from({ length: 20 }, (_, index) => `f${String(index).padStart(2, '0')}`);
    for (const id of ids) await store.createWorkflow(newWorkflow(id));
    // Another instance took f07 over (epoch 2).
    await opened.exec(`update workflows set lease_epoch = 2, owner_id = 'other' where id = 'f07'`);

    opened.groups.length = 0;
    const results = await Promise.allSettled(
      ids.map((id) => store.commit(id, events(id, 1, [delta('a'), delta('b')]), { status: 'RUNNING' }, { epoch: 1 })),
    );
    expect(opened.groups).toEqual([20]);
    results.forEach((result, index) => {
      if (index === 7) {
        expect(result.status).toBe('rejected');
        expect(result.status === 'rejected' && result.reason).toBeInstanceOf(LeaseLostError);
        expect(result.status === 'rejected' && result.reason).toMatchObject({
          workflowId: 'f07',
          epoch: 1,
          currentEpoch: 2,
        });
      } else {
        expect(result.status).toBe('fulfilled');
      }
    });
    expect(await store.readEvents('f07', 0, 10)).toEqual([]);
    expect(await store.getWorkflow('f07')).toMatchObject({ lastSequence: 0, status: 'RUNNING' });
    expect((await store.readEvents('f08', 0, 10)).map((event) => event.sequence)).toEqual([1, 2]);

    // Through writers: the fenced one stops (onLost once, nothing published), the rest go on.
    const pubsub = createInProcessPubSub();
    const lost: string[] = [];
    const publishedBy = new Map<string, number>();
    for (const id of ids)
      pubsub.subscribe(id, (batch) => publishedBy.set(id, (publishedBy.get(id) ?? 0) + batch.length));
    const writers = ids.map(
      (id, index) =>
        new WorkflowWriter(
          { store, pubsub, logger: silentLogger },
          id,
          index === 7 ? 0 : 2,
          {},
          { epoch: 1, onLost: () => lost.push(id) },
        ),
    );
    for (const writer of writers) writer.append({ type: 'RunCompleted', output: null, text: 'done', usage: null });
    await Promise.all(writers.map((writer) => writer.flush()));
    expect(lost).toEqual(['f07']);
    expect(writers[7]!.error).toBeInstanceOf(LeaseLostError);
    expect(writers[7]!.append(delta('more'))).toBe(false);
    expect(publishedBy.has('f07')).toBe(false);
    for (const [index, id] of ids.entries()) {
      if (index === 7) continue;
      expect(publishedBy.get(id)).toBe(1);
      expect(await store.getWorkflow(id)).toMatchObject({ status: 'SUCCEEDED', lastSequence: 3 });
    }
    expect(await store.readEvents('f07', 0, 10)).toEqual([]);
  });

  it('a run’s last batch goes with the group and closes its workflow’s open tool calls there', async () => {
    opened = await backend.open();
    const { store } = opened;
    const ids = Array.from({ length: 10 }, (_, index) => `t${index}`);
    for (const id of ids) {
      await store.createWorkflow(newWorkflow(id));
      await store.commit(
        id,
        events(id, 1, [
          { type: 'ToolCallStarted', toolCallId: 'open', toolName: 'search' },
          { type: 'ToolCallStarted', toolCallId: 'done', toolName: 'fetch' },
          { type: 'ToolResult', toolCallId: 'done', result: 'ok', isError: false },
        ]),
        {},
        { epoch: 1 },
      );
    }
    await new Promise((resolve) => setImmediate(resolve)); // the last group's report is in
    opened.groups.length = 0;
    opened.queries.length = 0;
    const ends = ids.map((id, index) =>
      events(id, 4, [
        index % 2 === 0
          ? { type: 'RunCompleted', output: null, text: 'done', usage: null }
          : { type: 'RunCancelled', reason: 'stopped', usage: null },
      ]),
    );
    await Promise.all(
      ids.map((id, index) =>
        store.commit(id, ends[index]!, { status: index % 2 === 0 ? 'SUCCEEDED' : 'CANCELLED' }, { epoch: 1 }),
      ),
    );
    expect(opened.groups).toEqual([10]);
    // No transaction of its own per run: no read of the row to lock it, no separate UPDATE.
    expect(opened.queries.filter((query) => /^(select "last_sequence"|update "tool_calls")/.test(query))).toEqual([]);

    const calls = await store.listToolCalls('default', ids);
    calls.forEach((records, index) => {
      expect(records.map((call) => [call.id, call.status, call.isError, call.error])).toEqual([
        ['open', 'FAILED', true, 'the workflow ended before the tool call finished'],
        ['done', 'SUCCEEDED', false, null],
      ]);
      expect(records[0]!.finishedAt).toEqual(new Date(ends[index]![0]!.at));
    });
    for (const [index, id] of ids.entries()) {
      expect(await store.getWorkflow(id)).toMatchObject({
        status: index % 2 === 0 ? 'SUCCEEDED' : 'CANCELLED',
        lastSequence: 4,
      });
    }
  });

  it('refuses a sequence conflict alone and keeps a workflow’s concurrent commits in call order', async () => {
    opened = await backend.open();
    const { store } = opened;
    for (const id of ['s1', 's2', 's3']) await store.createWorkflow(newWorkflow(id));
    await store.commit('s2', events('s2', 1, [delta('x')]), {});
    const results = await Promise.allSettled([
      store.commit('s1', events('s1', 1, [delta('a')]), {}),
      store.commit('s2', events('s2', 1, [delta('again')]), {}), // a repeat of the stored sequence
      store.commit('s3', events('s3', 1, [delta('c')]), {}),
      store.commit('s1', events('s1', 2, [delta('b')]), {}), // after the first batch of s1
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(results[1].status === 'rejected' && results[1].reason).toMatchObject({
      name: 'SequenceConflictError',
      expected: 2,
      received: 1,
    });
    expect((await store.readEvents('s1', 0, 10)).map((event) => event.sequence)).toEqual([1, 2]);
    expect((await store.readEvents('s2', 0, 10)).map((event) => ('delta' in event ? event.delta : null))).toEqual([
      'x',
    ]);
  });
});

describe('group commit on PostgreSQL while the store is behind', () => {
  let opened: Opened | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it('grows the next batch while a group is in flight: one commit per workflow afterwards, not one per token', async () => {
    opened = await BACKENDS[1]!.open();
    const { store, schema } = opened;
    const pubsub = createInProcessPubSub();
    const ids = Array.from({ length: 10 }, (_, index) => `g${index}`);
    for (const id of ids) await store.createWorkflow(newWorkflow(id));
    const batches = new Map<string, number[][]>(ids.map((id) => [id, []]));
    for (const id of ids) pubsub.subscribe(id, (batch) => batches.get(id)!.push(batch.map((event) => event.sequence)));
    const writers = ids.map(
      (id) => new WorkflowWriter({ store, pubsub, logger: silentLogger }, id, 0, { commitDelayMs: 0 }, { epoch: 1 }),
    );

    // A second connection holds g0's row lock: the group that carries g0's first token waits.
    const locker = new pg.Client({ connectionString: schema!.url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query(`select 1 from workflows where id = 'g0' for update`);
      for (const writer of writers) writer.append(delta('t0'));
      await sleep(50);
      // 20 more tokens each, a turn apart, while that group is stuck.
      for (let token = 1; token <= 20; token++) {
        writers.forEach((writer, index) =>
          writer.append(token % 2 === 0 ? delta(`t${token}`) : reasoning(`t${token}.${index}`)),
        );
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(batches.get('g1')).toEqual([]);
      await locker.query('commit');
    } finally {
      await locker.end();
    }
    await Promise.all(writers.map((writer) => writer.flush()));
    for (const id of ids) {
      // The first token, then everything that arrived meanwhile as one batch.
      expect(batches.get(id)).toEqual([[1], Array.from({ length: 20 }, (_, index) => index + 2)]);
      expect((await store.readEvents(id, 0, 100)).map((event) => event.sequence)).toEqual(
        Array.from({ length: 21 }, (_, index) => index + 1),
      );
    }
    // The stuck group, then one group with every workflow's grown batch.
    expect(opened.groups.slice(-2)).toEqual([10, 10]);
  });
});
