import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlRequest } from '../helpers/graphql-clients.js';
import { HISTORY_BACKENDS, insertWorkflow, type TestServer } from '../helpers/history-server.js';

const PAGE = /* GraphQL */ `
  query Page($filter: WorkflowFilter, $first: Int, $after: String, $last: Int, $before: String) {
    workflows(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id createdAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

interface Page {
  workflows: {
    edges: { cursor: string; node: { id: string; createdAt: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

const SEEDED = 300;
const T0 = Date.UTC(2026, 0, 1);

describe.each(HISTORY_BACKENDS)('workflow history over HTTP ($name)', (backend) => {
  let server: TestServer;
  let seeded: string[]; // newest first
  let seededOdd: string[]; // newest first: metadata.parity 1 and created in the first 20 s

  beforeAll(async () => {
    server = await backend.start();
    const store = server.services.store;
    const rows = [];
    for (let i = 0; i < SEEDED; i += 1) {
      // pairs share a millisecond, so the id tie-break is exercised on every page boundary
      rows.push(
        await insertWorkflow(store, {
          createdAt: new Date(T0 + Math.floor(i / 2) * 1000),
          metadata: { i, parity: i % 2 },
        }),
      );
    }
    await insertWorkflow(store, { createdAt: new Date(T0), tenantId: 'someone-else' });
    rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    seeded = rows.map((w) => w.id);
    seededOdd = rows
      .filter((w) => (w.metadata as { parity: number }).parity === 1 && w.createdAt.getTime() < T0 + 20_000)
      .map((w) => w.id);
  }, 60_000);
  afterAll(() => server.stop());

  const page = async (variables: Record<string, unknown>) => {
    const response = await graphqlRequest<Page>(server.url, PAGE, variables);
    expect(response.errors).toBeUndefined();
    return response.data!.workflows;
  };

  it('pages forward and back with no skip or repeat while new workflows are inserted', async () => {
    const store = server.services.store;
    let inserted = 0;
    const insertSome = async () => {
      for (let k = 0; k < 3; k += 1, inserted += 1) await insertWorkflow(store, { createdAt: new Date() });
    };

    // Forward from the newest: the first page fixes the window; later inserts are newer than it.
    const first = await page({ first: 17 });
    const forward = first.edges.map((edge) => edge.node.id);
    let cursor = first.pageInfo.endCursor;
    let info = first.pageInfo;
    expect(info.hasPreviousPage).toBe(false);
    for (let pages = 0; info.hasNextPage && pages < 100; pages += 1) {
      await insertSome();
      const next = await page({ first: 17, after: cursor });
      forward.push(...next.edges.map((edge) => edge.node.id));
      expect(next.pageInfo.hasPreviousPage).toBe(true);
      info = next.pageInfo;
      cursor = info.endCursor;
    }
    const newOnTop = forward.length - SEEDED;
    expect(newOnTop).toBeGreaterThanOrEqual(0); // inserts that landed before the first page was read
    expect(forward.slice(newOnTop)).toEqual(seeded);
    expect(new Set(forward).size).toBe(forward.length);

    // Backward from the oldest end: pages move towards the newest; inserts join at the top.
    const backward: string[] = [];
    let before: string | null = null;
    for (let pages = 0; pages < 100; pages += 1) {
      await insertSome();
      const previous = await page({ last: 23, before });
      backward.unshift(...previous.edges.map((edge) => edge.node.id));
      expect(previous.pageInfo.hasNextPage).toBe(before !== null);
      if (!previous.pageInfo.hasPreviousPage) break;
      before = previous.pageInfo.startCursor;
    }
    expect(new Set(backward).size).toBe(backward.length);
    expect(backward.slice(backward.length - SEEDED)).toEqual(seeded);
    // Everything inserted while paging backward was reached, since paging ended at the top.
    const newer = await store.listWorkflows({
      filter: { tenantId: 'default', createdAfter: new Date(T0 + 10 ** 9) },
      first: 10_000,
    });
    expect(backward.length - SEEDED).toBe(newer.rows.length);
    expect(inserted).toBeGreaterThan(0);
  });

  it('filters by metadata containment through GraphQL', async () => {
    const result = await page({
      first: 100,
      filter: { metadata: { parity: 1 }, createdBefore: new Date(T0 + 20_000).toISOString() },
    });
    expect(result.edges.map((edge) => edge.node.id)).toEqual(seededOdd);
    expect(seededOdd).toHaveLength(20);
  });

  it('answers bad cursors, bad filters and bad page sizes with BAD_USER_INPUT naming the argument', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ after: 'not-a-cursor' }, 'after'],
      [{ last: 5, before: Buffer.from('["w1","x","y"]').toString('base64url') }, 'before'],
      [{ first: 0 }, 'first'],
      [{ first: 101 }, 'first'],
      [{ last: 101 }, 'last'],
      [{ first: 5, last: 5 }, 'last'],
      [{ filter: { metadata: [1, 2] } }, 'filter.metadata'],
      [{ filter: { metadata: { a: [{ b: 1 }] } } }, 'filter.metadata.a'],
      [
        { filter: { createdAfter: '2026-02-01T00:00:00Z', createdBefore: '2026-01-01T00:00:00Z' } },
        'filter.createdAfter',
      ],
    ];
    for (const [variables, argument] of cases) {
      const response = await graphqlRequest(server.url, PAGE, variables);
      expect(response.errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument,
      });
      expect(response.data).toBeNull();
    }
  });
});
