import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentEvent, AgentEventBody, Usage } from '../../src/events/index.js';
import {
  createKyselyStore,
  EVENT_INSERT_CHUNK,
  MIGRATIONS,
  openSqliteStore,
  openStore,
  SequenceConflictError,
} from '../../src/store/index.js';
import { createMigrator } from '../../src/store/migrations.js';
import { createPgTestSchema } from '../helpers/postgres.js';
import { BACKENDS, newWorkflowRecord } from '../helpers/stores.js';
import type {
  Database,
  NewWorkflow,
  Store,
  WorkflowKind,
  WorkflowListFilter,
  WorkflowRecord,
  WorkflowStatus,
} from '../../src/store/index.js';
import { tempDir, removeTempDirs } from '../helpers/fs.js';

const T0 = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const usage: Usage = {
  inputTokens: 12,
  outputTokens: 34,
  totalTokens: 46,
  reasoningTokens: null,
  cachedInputTokens: 0,
};

afterAll(removeTempDirs);

function newWorkflow(id: string, overrides: Partial<NewWorkflow> = {}): NewWorkflow {
  return newWorkflowRecord(id, {
    tenantId: 'acme',
    agentId: 'writer',
    threadId: `thread-${id}`,
    input: { prompt: 'hello', messages: [{ role: 'user', content: 'héllo ✓' }] },
    metadata: { team: 'a', tags: ['x', 'y'], nested: { n: 1.5, ok: true, none: null } },
    createdAt: new Date(T0),
    ...overrides,
  });
}

/** A body of each stored type in turn, with JSON payloads of varied shapes. */
function body(i: number): AgentEventBody {
  const bodies: AgentEventBody[] = [
    { type: 'RunStarted', agentId: 'writer', input: { prompt: `p${i}` } },
    { type: 'TextDelta', messageId: 'm1', delta: `tok ${i} "quoted" \n ünïcødé 🚀` },
    { type: 'MessageCompleted', messageId: 'm1', role: 'assistant', text: 'done' },
    { type: 'ReasoningDelta', delta: 'thinking…' },
    { type: 'ReasoningStep', title: 'plan', detail: [1, 'two', { three: [3] }] },
    { type: 'ReasoningStep', title: 'no detail' },
    { type: 'ToolCallStarted', toolCallId: `c${i}`, toolName: 'search' },
    { type: 'ToolCallArgsDelta', toolCallId: `c${i}`, delta: '{"q":' },
    { type: 'ToolCallCompleted', toolCallId: `c${i}`, toolName: 'search', arguments: { q: 'x' } },
    { type: 'ToolResult', toolCallId: `c${i}`, result: null, isError: false },
    { type: 'ToolResult', toolCallId: `c${i}`, result: 'boom', isError: true },
    { type: 'StepStarted', name: 'node' },
    { type: 'StepFinished', name: 'node' },
    { type: 'StateSnapshot', state: { count: i, list: [], empty: {} } },
    { type: 'StateDelta', patch: [{ op: 'replace', path: '/count', value: i }] },
    {
      type: 'InterruptRequested',
      interruptId: `i${i}`,
      kind: 'INPUT',
      toolCallId: null,
      tool: null,
      arguments: null,
      message: 'ok?',
      responseSchema: null,
      expiresAt: null,
      value: 42,
    },
    { type: 'LogMessage', level: 'WARN', message: 'careful' },
    { type: 'UsageUpdated', usage },
    { type: 'CustomEvent', name: 'custom', value: false },
    { type: 'RunCompleted', output: { answer: i }, text: 'fin', usage },
    {
      type: 'RunFailed',
      code: 'UPSTREAM',
      message: 'x',
      retryable: true,
      recoverySuggestion: null,
      usage: null,
    },
    { type: 'RunCancelled', reason: null, usage },
  ];
  return bodies[i % bodies.length]!;
}

function makeEvents(workflowId: string, fromSequence: number, count: number): AgentEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    ...body(i),
    workflowId,
    sequence: fromSequence + i,
    at: new Date(T0 + i).toISOString(),
  }));
}

async function readAll(store: Store, workflowId: string, pageSize: number): Promise<AgentEvent[]> {
  const all: AgentEvent[] = [];
  for (;;) {
    const page = await store.readEvents(workflowId, all.at(-1)?.sequence ?? 0, pageSize);
    all.push(...page);
    if (page.length < pageSize) return all;
  }
}

describe.each(BACKENDS)('$name store', (backend) => {
  describe('listThread', () => {
    it("returns one tenant's turns of a thread, oldest first", async () => {
      const store = await backend.open();
      try {
        const base = { kind: 'AGENT_RUN', status: 'SUCCEEDED', agentId: 'demo', input: {}, metadata: null } as const;
        await store.createWorkflow({ ...base, id: 'b', tenantId: 't1', threadId: 'th', createdAt: new Date(2_000) });
        await store.createWorkflow({ ...base, id: 'a', tenantId: 't1', threadId: 'th', createdAt: new Date(1_000) });
        await store.createWorkflow({ ...base, id: 'c', tenantId: 't2', threadId: 'th', createdAt: new Date(1_500) });
        await store.createWorkflow({ ...base, id: 'd', tenantId: 't1', threadId: 'other', createdAt: new Date(1_500) });
        expect((await store.listThread('t1', 'th')).map((workflow) => workflow.id)).toEqual(['a', 'b']);
        expect(await store.listThread('t1', 'none')).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });

  describe('workflows and events', () => {
    it('migrates idempotently and answers ping', async () => {
      const store = await backend.open();
      await store.migrate();
      await store.migrate();
      await store.ping();
      await store.createWorkflow(newWorkflow('w'));
      await store.migrate();
      expect((await store.getWorkflow('w'))?.id).toBe('w');
      expect(store.dialect).toBe(backend.dialect);
      await store.close();
    });

    it('round-trips a workflow with dates, JSON and nulls', async () => {
      const store = await backend.open();
      const created = await store.createWorkflow(newWorkflow('w1'));
      const expected: WorkflowRecord = {
        ...newWorkflow('w1'),
        output: null,
        text: null,
        error: null,
        usage: null,
        startedAt: null,
        finishedAt: null,
        lastSequence: 0,
      };
      expect(created).toEqual(expected);
      expect(await store.getWorkflow('w1')).toEqual(expected);

      const bare = await store.createWorkflow(
        newWorkflow('w2', { agentId: null, threadId: null, input: null, metadata: undefined }),
      );
      expect(bare).toMatchObject({ agentId: null, threadId: null, input: null, metadata: null });
      expect(await store.getWorkflow('missing')).toBeUndefined();
      await expect(store.createWorkflow(newWorkflow('w1'))).rejects.toThrow();
      await store.close();
    });

    it('creates a workflow with its first events in one step, or writes nothing', async () => {
      const store = await backend.open();
      try {
        const first = makeEvents('f', 1, 3);
        const created = await store.createWorkflow(newWorkflow('f', { status: 'QUEUED' }), {
          events: first,
          patch: { status: 'RUNNING', startedAt: new Date(T0 + 5) },
        });
        const expected: WorkflowRecord = {
          ...newWorkflow('f'),
          status: 'RUNNING',
          output: null,
          text: null,
          error: null,
          usage: null,
          startedAt: new Date(T0 + 5),
          finishedAt: null,
          lastSequence: 3,
        };
        expect(created).toEqual(expected);
        expect(await store.getWorkflow('f')).toEqual(expected);
        expect(await store.readEvents('f', 0, 10)).toEqual(first);
        // The next commit continues it.
        await store.commit('f', makeEvents('f', 4, 1), {});
        expect((await store.getWorkflow('f'))?.lastSequence).toBe(4);

        // Events that do not start at 1, or an id taken: nothing of either is written.
        await expect(
          store.createWorkflow(newWorkflow('g'), { events: makeEvents('g', 2, 1), patch: {} }),
        ).rejects.toBeInstanceOf(SequenceConflictError);
        expect(await store.getWorkflow('g')).toBeUndefined();
        await expect(
          store.createWorkflow(newWorkflow('f'), { events: makeEvents('f', 1, 2), patch: { status: 'FAILED' } }),
        ).rejects.toThrow();
        expect(await store.getWorkflow('f')).toMatchObject({ status: 'RUNNING', lastSequence: 4 });
        expect((await store.readEvents('f', 0, 10)).map((event) => event.sequence)).toEqual([1, 2, 3, 4]);
        expect(await store.readLastEvent('f')).toEqual((await store.readEvents('f', 3, 10))[0]);
        expect(await store.readLastEvent('g')).toBeUndefined();
      } finally {
        await store.close();
      }
    });

    it('commits 1,000 events of every type in few INSERTs and reads them back deep-equal', async () => {
      let eventInserts = 0;
      const store = await backend.open({
        log: (event) => {
          if (event.level === 'query' && /^insert into "events"/i.test(event.query.sql)) {
            eventInserts += 1;
          }
        },
      });
      await store.createWorkflow(newWorkflow('big'));
      const events = makeEvents('big', 1, 1000);
      await store.commit('big', events, { status: 'RUNNING', startedAt: new Date(T0) });

      expect(eventInserts).toBe(Math.ceil(1000 / EVENT_INSERT_CHUNK));
      expect(eventInserts).toBeLessThan(10);
      expect(new Set(events.map((e) => e.type)).size).toBe(20);
      expect(await store.readEvents('big', 0, 5000)).toEqual(events);
      expect(await readAll(store, 'big', 137)).toEqual(events);
      expect(await store.readEvents('big', 990, 3)).toEqual(events.slice(990, 993));
      expect(await store.readEvents('big', 1000, 10)).toEqual([]);
      expect(await store.readEvents('big', 0, 0)).toEqual([]);
      expect(await store.readEvents('other', 0, 10)).toEqual([]);

      const wf = await store.getWorkflow('big');
      expect(wf).toMatchObject({ lastSequence: 1000, status: 'RUNNING', startedAt: new Date(T0) });
      await store.close();
    });

    it('stores undefined JSON values as absent', async () => {
      const store = await backend.open();
      await store.createWorkflow(newWorkflow('u'));
      const event = {
        type: 'RunCompleted',
        output: undefined,
        text: '',
        usage: null,
        workflowId: 'u',
        sequence: 1,
        at: new Date(T0).toISOString(),
      } satisfies AgentEvent;
      await store.commit('u', [event], { status: 'SUCCEEDED', output: undefined, text: '' });
      const [read] = await store.readEvents('u', 0, 10);
      expect(read).toEqual(event);
      expect(read && 'output' in read && read.output !== undefined).toBe(false);
      expect(await store.getWorkflow('u')).toMatchObject({ status: 'SUCCEEDED', output: null, text: '' });
      await store.close();
    });

    it('rejects a sequence gap, a repeat or a bad start without writing anything', async () => {
      const store = await backend.open();
      await store.createWorkflow(newWorkflow('c'));
      await store.commit('c', makeEvents('c', 1, 3), {});

      const attempts: [AgentEvent[], number, number][] = [
        [makeEvents('c', 5, 2), 4, 5], // gap before the batch
        [makeEvents('c', 3, 2), 4, 3], // repeat of a stored sequence
        [[...makeEvents('c', 4, 2), ...makeEvents('c', 7, 1)], 6, 7], // gap inside the batch
      ];
      for (const [events, expected, received] of attempts) {
        const error = await store.commit('c', events, { status: 'FAILED' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SequenceConflictError);
        expect(error).toMatchObject({ workflowId: 'c', expected, received });
      }
      expect(await store.readEvents('c', 0, 100)).toHaveLength(3);
      expect(await store.getWorkflow('c')).toMatchObject({ lastSequence: 3, status: 'QUEUED' });

      await expect(store.commit('nope', [], { status: 'RUNNING' })).rejects.toThrow(/unknown workflow nope/);
      await expect(store.commit('c', makeEvents('other', 4, 1), {})).rejects.toThrow(/event of workflow other/);
      await store.close();
    });

    it('lets exactly one of two racing commits of the same sequence win', async () => {
      const store = await backend.open();
      await store.createWorkflow(newWorkflow('r'));
      const results = await Promise.allSettled([
        store.commit('r', makeEvents('r', 1, 50), {}),
        store.commit('r', makeEvents('r', 1, 50), {}),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(SequenceConflictError);
      expect(await store.readEvents('r', 0, 100)).toHaveLength(50);
      await store.close();
    });

    it('applies patches, with and without events', async () => {
      const store = await backend.open();
      await store.createWorkflow(newWorkflow('p'));
      await store.commit('p', [], { status: 'RUNNING', startedAt: new Date(T0 + 1) });
      expect(await store.getWorkflow('p')).toMatchObject({ status: 'RUNNING', lastSequence: 0 });
      await store.commit('p', [], {});

      const error = { code: 'UPSTREAM_DISCONNECTED', message: 'gone', retryable: true };
      await store.commit('p', makeEvents('p', 1, 2), {
        status: 'FAILED',
        output: { partial: [1, 2] },
        text: 'half',
        error,
        usage,
        finishedAt: new Date(T0 + 99),
      });
      expect(await store.getWorkflow('p')).toMatchObject({
        status: 'FAILED',
        output: { partial: [1, 2] },
        text: 'half',
        error,
        usage,
        startedAt: new Date(T0 + 1),
        finishedAt: new Date(T0 + 99),
        lastSequence: 2,
      });

      await store.commit('p', [], { error: { ...error, retryable: false } });
      expect((await store.getWorkflow('p'))?.error).toEqual({ ...error, retryable: false });
      await store.commit('p', [], { error: null, usage: null, text: null, finishedAt: null });
      expect(await store.getWorkflow('p')).toMatchObject({
        error: null,
        usage: null,
        text: null,
        finishedAt: null,
        output: { partial: [1, 2] },
        lastSequence: 2,
      });
      await store.close();
    });
  });

  describe('listing', () => {
    const statuses: WorkflowStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'];

    /** 120 workflows in acme, plus noise in another tenant; several share a createdAt. */
    async function seeded(): Promise<{ store: Store; all: WorkflowRecord[] }> {
      const store = await backend.open();
      const all: WorkflowRecord[] = [];
      for (let i = 0; i < 120; i += 1) {
        const kind: WorkflowKind = i % 4 === 0 ? 'TOOL_CALL' : 'AGENT_RUN';
        all.push(
          await store.createWorkflow(
            newWorkflow(`wf-${String((i * 37) % 120).padStart(3, '0')}`, {
              kind,
              status: statuses[i % statuses.length]!,
              agentId: i % 3 === 0 ? 'writer' : 'coder',
              threadId: `t${i % 5}`,
              createdAt: new Date(T0 + Math.floor(i / 3) * 1000), // triples share a millisecond
            }),
          ),
        );
        await store.createWorkflow(newWorkflow(`other-${i}`, { tenantId: 'globex', createdAt: new Date(T0) }));
      }
      return { store, all };
    }

    function newestFirst(a: WorkflowRecord, b: WorkflowRecord): number {
      return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
    }

    async function pageThrough(store: Store, filter: WorkflowListFilter, first: number): Promise<string[]> {
      const ids: string[] = [];
      let after: { createdAt: Date; id: string } | null = null;
      for (let pages = 0; pages < 1000; pages += 1) {
        const page = await store.listWorkflows({ filter, first, after });
        ids.push(...page.rows.map((r) => r.id));
        const last = page.rows.at(-1);
        expect(page.rows.length).toBeLessThanOrEqual(first);
        if (!page.hasNextPage) return ids;
        expect(page.rows).toHaveLength(first);
        after = { createdAt: last!.createdAt, id: last!.id };
      }
      throw new Error('paging did not end');
    }

    it('pages newest-first with every filter, without skips or repeats', async () => {
      const { store, all } = await seeded();
      const cases: [WorkflowListFilter, (w: WorkflowRecord) => boolean][] = [
        [{ tenantId: 'acme' }, () => true],
        [{ tenantId: 'acme', status: ['RUNNING', 'FAILED'] }, (w) => ['RUNNING', 'FAILED'].includes(w.status)],
        [{ tenantId: 'acme', agentId: 'writer' }, (w) => w.agentId === 'writer'],
        [{ tenantId: 'acme', kind: 'TOOL_CALL' }, (w) => w.kind === 'TOOL_CALL'],
        [{ tenantId: 'acme', threadId: 't2' }, (w) => w.threadId === 't2'],
        [
          { tenantId: 'acme', createdAfter: new Date(T0 + 10_000), createdBefore: new Date(T0 + 30_000) },
          (w) => w.createdAt.getTime() >= T0 + 10_000 && w.createdAt.getTime() < T0 + 30_000,
        ],
        [
          {
            tenantId: 'acme',
            agentId: 'coder',
            status: ['QUEUED', 'SUCCEEDED', 'CANCELLED'],
            kind: 'AGENT_RUN',
          },
          (w) =>
            w.agentId === 'coder' && ['QUEUED', 'SUCCEEDED', 'CANCELLED'].includes(w.status) && w.kind === 'AGENT_RUN',
        ],
        [{ tenantId: 'acme', agentId: null, status: null, kind: null, threadId: null }, () => true],
        [{ tenantId: 'acme', status: [] }, () => false],
        [{ tenantId: 'nobody' }, () => false],
      ];
      for (const [filter, match] of cases) {
        const expected = all
          .filter(match)
          .sort(newestFirst)
          .map((w) => w.id);
        for (const first of [1, 7, 50, 500]) {
          const ids = await pageThrough(store, filter, first);
          expect(ids).toEqual(expected);
          expect(new Set(ids).size).toBe(ids.length);
        }
      }
      expect(await pageThrough(store, { tenantId: 'globex' }, 13)).toHaveLength(120);

      const firstPage = await store.listWorkflows({ filter: { tenantId: 'acme' }, first: 3 });
      expect(firstPage.rows[0]).toEqual([...all].sort(newestFirst)[0]);
      expect(firstPage.hasNextPage).toBe(true);
      await store.close();
    });

    it('gets workflows in the order asked', async () => {
      const { store, all } = await seeded();
      const ids = ['wf-005', 'missing', 'wf-001', 'wf-005', 'other-3'];
      const got = await store.getWorkflows(ids);
      expect(got.map((w) => w?.id)).toEqual(['wf-005', undefined, 'wf-001', 'wf-005', 'other-3']);
      expect(got[0]).toEqual(all.find((w) => w.id === 'wf-005'));
      expect(await store.getWorkflows([])).toEqual([]);
      await store.close();
    });
  });
});

describe('SQLite store: migrations', () => {
  it('records every migration once over a caller-built Kysely', async () => {
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }),
    });
    const store = createKyselyStore(db, 'sqlite');
    await store.migrate();
    await store.migrate();
    const migrations = await createMigrator(db).getMigrations();
    expect(migrations.map((m) => m.name)).toEqual(Object.keys(MIGRATIONS).sort());
    expect(migrations.every((m) => m.executedAt instanceof Date)).toBe(true);
    await store.close();
  });
});

describe('SQLite store: files and urls', () => {
  it('keeps data across reopening a file store (and creates its directory)', async () => {
    const filename = join(tempDir('synapse-store-'), 'nested', 'dir', 'synapse.db');
    const first = await openSqliteStore({ filename });
    await first.createWorkflow(newWorkflow('kept'));
    const events = makeEvents('kept', 1, 30);
    await first.commit('kept', events, { status: 'SUCCEEDED', finishedAt: new Date(T0 + 5) });
    await first.close();
    await first.close(); // idempotent

    const second = await openSqliteStore({ filename });
    expect(await second.getWorkflow('kept')).toMatchObject({ status: 'SUCCEEDED', lastSequence: 30 });
    expect(await second.readEvents('kept', 0, 100)).toEqual(events);
    await second.close();
  });

  it('opens the store a url names', async () => {
    const dataDir = tempDir('synapse-store-');
    const byDefault = await openStore({ dataDir });
    await byDefault.createWorkflow(newWorkflow('d'));
    await byDefault.close();
    const file = join(dataDir, 'synapse.db');
    const sameFile = await openStore({ dataDir: '/nonexistent', url: `sqlite:${file}` });
    expect(await sameFile.getWorkflow('d')).toBeDefined();
    await sameFile.close();
    const fileUrl = await openStore({ dataDir: '/nonexistent', url: `file://${file}` });
    expect(await fileUrl.getWorkflow('d')).toBeDefined();
    await fileUrl.close();

    for (const url of ['sqlite::memory:', ':memory:']) {
      const memory = await openStore({ dataDir: '/nonexistent', url });
      expect(await memory.getWorkflow('d')).toBeUndefined();
      await memory.close();
    }
  });

  it('opens a PostgreSQL url through openStore, and fails without echoing it', async () => {
    const schema = await createPgTestSchema();
    try {
      const store = await openStore({ dataDir: '/nonexistent', url: schema.url });
      expect(store.dialect).toBe('postgres');
      await store.createWorkflow(newWorkflow('pg'));
      expect((await store.getWorkflow('pg'))?.createdAt).toEqual(new Date(T0));
      await store.close();
    } finally {
      await schema.drop();
    }
    for (const url of ['postgres://u:secret@127.0.0.1:1/db', 'postgresql://u:secret@127.0.0.1:1/db']) {
      const error = await openStore({ dataDir: '/tmp', url }).catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/could not open the PostgreSQL store/);
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('refuses unknown schemes without echoing the url', async () => {
    await expect(openStore({ dataDir: '/tmp', url: 'postgres:secret@h' })).rejects.toThrow(/postgres:\/\//);
    await expect(openStore({ dataDir: '/tmp', url: 'mysql://u:secret@h/db' })).rejects.toThrow(/"mysql:"/);
    await expect(openStore({ dataDir: '/tmp', url: 'just-a-path' })).rejects.toThrow(/no scheme/);
  });
});
