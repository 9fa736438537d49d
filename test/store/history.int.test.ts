import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidFilterError,
  jsonContains,
  metadataConditions,
  openSqliteStore,
  type Store,
  type WorkflowCursor,
  type WorkflowListFilter,
  type WorkflowRecord,
} from '../../src/store/index.js';
import { BACKENDS } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 1);

const METADATA: unknown[] = [
  { team: 'a', tags: ['x', 'y'], n: 1, flag: true, nested: { env: 'prod', level: 2 } },
  { team: 'a', tags: ['y'], n: 1.0, flag: false, nested: { env: 'dev' } },
  { team: 'b', tags: [], n: '1', flag: null, nested: {} },
  { team: 'b', tags: 'x', n: 2, extra: { deep: { deeper: [1, 2, 3] } } },
  { team: null, tags: ['x', 'y', 'z'], nested: { env: 'prod', level: 2, more: true } },
  null,
];

const FILTERS: Record<string, unknown>[] = [
  {},
  { team: 'a' },
  { team: null },
  { tags: ['x'] },
  { tags: ['x', 'y'] },
  { tags: [] },
  { tags: 'x' },
  { n: 1 },
  { n: '1' },
  { flag: true },
  { flag: false },
  { flag: null },
  { nested: { env: 'prod' } },
  { nested: { env: 'prod', level: 2 } },
  { nested: {} },
  { extra: { deep: { deeper: [3, 1] } } },
  { team: 'a', nested: { env: 'dev' } },
  { missing: 'key' },
];

describe.each(BACKENDS)('$name store: history queries', (backend) => {
  let store: Store;
  let all: WorkflowRecord[];

  beforeAll(async () => {
    store = await backend.open();
    all = [];
    for (let i = 0; i < 90; i += 1) {
      all.push(
        await store.createWorkflow({
          id: `w${String(i).padStart(3, '0')}`,
          tenantId: 'acme',
          kind: 'AGENT_RUN',
          status: 'SUCCEEDED',
          agentId: 'a',
          threadId: null,
          input: {},
          metadata: METADATA[i % METADATA.length],
          createdAt: new Date(T0 + Math.floor(i / 4) * 1000), // quadruples share a millisecond
        }),
      );
    }
    await store.createWorkflow({ ...all[0]!, id: 'elsewhere', tenantId: 'globex' });
  });
  afterAll(() => store.close());

  const newestFirst = (a: WorkflowRecord, b: WorkflowRecord) =>
    b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1);
  const cursorOf = (w: WorkflowRecord): WorkflowCursor => ({ createdAt: w.createdAt, id: w.id });

  it('counts a tenant’s workflows by status and kind, no further than the limit', async () => {
    expect(await store.countWorkflows({ tenantId: 'acme' }, 1_000)).toBe(90);
    expect(await store.countWorkflows({ tenantId: 'acme', status: ['SUCCEEDED'], kind: 'AGENT_RUN' }, 1_000)).toBe(90);
    expect(await store.countWorkflows({ tenantId: 'acme', status: ['SUCCEEDED'] }, 7)).toBe(7);
    expect(await store.countWorkflows({ tenantId: 'acme', status: ['QUEUED', 'RUNNING'], kind: 'AGENT_RUN' }, 50)).toBe(
      0,
    );
    expect(await store.countWorkflows({ tenantId: 'acme', kind: 'TOOL_CALL' }, 50)).toBe(0);
    expect(await store.countWorkflows({ tenantId: 'acme', status: [] }, 50)).toBe(0);
    expect(await store.countWorkflows({ tenantId: 'globex' }, 50)).toBe(1);
    expect(await store.countWorkflows({ tenantId: 'acme' }, 0)).toBe(0);
  });

  it('filters by metadata containment exactly as PostgreSQL @> means it', async () => {
    for (const metadata of FILTERS) {
      const expected = all
        .filter((w) => jsonContains(w.metadata, metadata))
        .sort(newestFirst)
        .map((w) => w.id);
      const page = await store.listWorkflows({ filter: { tenantId: 'acme', metadata }, first: 100 });
      expect(
        page.rows.map((w) => w.id),
        JSON.stringify(metadata),
      ).toEqual(expected);
    }
    // A few spot checks that the in-memory reference means what it should.
    expect(jsonContains({ tags: ['x', 'y'] }, { tags: ['y'] })).toBe(true);
    expect(jsonContains({ tags: 'x' }, { tags: ['x'] })).toBe(false);
    expect(jsonContains({ n: 1 }, { n: '1' })).toBe(false);
  });

  it('pages backward with last/before to the same rows as forward, reversed page by page', async () => {
    const filter: WorkflowListFilter = { tenantId: 'acme' };
    const expected = [...all].sort(newestFirst).map((w) => w.id);
    for (const size of [1, 7, 30, 100]) {
      const backward: string[] = [];
      let before: WorkflowCursor | null = null;
      for (let pages = 0; pages < 200; pages += 1) {
        const page = await store.listWorkflows({ filter, last: size, before });
        expect(page.rows.length).toBeLessThanOrEqual(size);
        backward.unshift(...page.rows.map((w) => w.id));
        expect(page.hasNextPage).toBe(before !== null);
        if (!page.hasPreviousPage) break;
        before = cursorOf(page.rows[0]!);
      }
      expect(backward).toEqual(expected);
    }
  });

  it('bounds a page on both sides when after and before are given', async () => {
    const sorted = [...all].sort(newestFirst);
    const after = cursorOf(sorted[10]!); // older than the 11th newest
    const before = cursorOf(sorted[40]!); // newer than the 41st newest
    const forward = await store.listWorkflows({ filter: { tenantId: 'acme' }, after, before, first: 5 });
    expect(forward.rows.map((w) => w.id)).toEqual(sorted.slice(11, 16).map((w) => w.id));
    const window = await store.listWorkflows({ filter: { tenantId: 'acme' }, after, before, last: 5 });
    expect(window.rows.map((w) => w.id)).toEqual(sorted.slice(35, 40).map((w) => w.id));
    const crossed = await store.listWorkflows({
      filter: { tenantId: 'acme' },
      after: before,
      before: after,
      first: 100,
    });
    expect(crossed.rows).toEqual([]);
    expect(window).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  it('rejects metadata filters it cannot evaluate the same way on every dialect', () => {
    for (const bad of [[1], 'x', { a: [{ b: 1 }] }, { 'a"b': 1 }, { a: [[1]] }, { a: Number.NaN }]) {
      expect(() => metadataConditions(bad)).toThrow(InvalidFilterError);
    }
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 10; i += 1) deep = { d: deep };
    expect(() => metadataConditions(deep)).toThrow(/deeper than 8/);
    const wide = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    expect(() => metadataConditions(wide)).toThrow(/more than 32 conditions/);
  });
});

describe('SQLite store: the concurrentRuns count of runAgent', () => {
  it('reads the live rows from an index, never the tenant’s whole history', async () => {
    const sqlite = BACKENDS.find((backend) => backend.dialect === 'sqlite')!;
    const queries: { sql: string; parameters: readonly unknown[] }[] = [];
    const store = await sqlite.open({
      log: (event) => {
        if (event.level === 'query') queries.push({ sql: event.query.sql, parameters: event.query.parameters });
      },
    });
    try {
      // The count `use-run-limits.ts` makes for every start. SQLite has no statistics (nothing runs
      // ANALYZE), so which index it takes follows from the schema alone: without
      // (tenant_id, status, kind) it took (tenant_id, kind, …) and read every AGENT_RUN ever run.
      await store.countWorkflows({ tenantId: 'acme', status: ['QUEUED', 'RUNNING'], kind: 'AGENT_RUN' }, 50);
      const count = queries.find((query) => /count\(\*\)/.test(query.sql))!;
      const plan = await store.exec(`explain query plan ${count.sql}`, [...count.parameters]);
      const details = plan.map((row) => String(row.detail)).join('\n');
      expect(details).toMatch(
        /COVERING INDEX workflows_tenant_status_kind_idx \(tenant_id=\? AND status=\? AND kind=\?\)/,
      );
      expect(details).not.toMatch(/\bSCAN workflows\b/);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite store: the query planner’s statistics', () => {
  it('are gathered at open, so the tool-call listing of a long history reads by id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synapse-stats-'));
    const filename = join(dir, 'synapse.db');
    try {
      await (await openSqliteStore({ filename })).close(); // the schema
      const seed = new SqliteDatabase(filename);
      seed.exec(`with recursive c(n) as (select 1 union all select n + 1 from c where n < 20000)
        insert into workflows (id, tenant_id, kind, status, agent_id, created_at, last_sequence)
        select 'w' || n, 'acme', 'AGENT_RUN', 'SUCCEEDED', 'a', n, 0 from c`);
      seed.close();

      const queries: { sql: string; parameters: readonly unknown[] }[] = [];
      const planOf = (connection: SqliteDatabase.Database) => {
        const listing = queries.find((query) => /from "tool_calls"/.test(query.sql))!;
        return connection
          .prepare(`explain query plan ${listing.sql}`)
          .all(...listing.parameters)
          .map((row) => (row as { detail: string }).detail)
          .join('\n');
      };
      // A connection opened before the store: it has no statistics (SQLite loads them with the schema).
      const before = new SqliteDatabase(filename, { readonly: true });
      before.prepare('select count(*) from workflows').get();
      const store = await openSqliteStore({
        filename,
        log: (event) => {
          if (event.level === 'query') queries.push({ sql: event.query.sql, parameters: event.query.parameters });
        },
      });
      const ids = Array.from({ length: 50 }, (_, index) => `w${index + 1}`);
      expect((await store.listToolCalls('acme', ids)).length).toBe(50);
      await store.close();
      // Without statistics an equality on tenant_id looks like ten rows, and the join starts there.
      expect(planOf(before)).toMatch(/workflows_tenant_\w+ \(tenant_id=\?\)/);
      before.close();
      const after = new SqliteDatabase(filename, { readonly: true });
      expect(planOf(after)).toMatch(/SEARCH workflows USING INDEX sqlite_autoindex_workflows_1 \(id=\?\)/);
      after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
