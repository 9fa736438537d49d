import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventToRow, workflowToRow } from '../../src/store/codec.js';
import type { Database } from '../../src/store/index.js';
import { createMigrator } from '../../src/store/migrations.js';
import type { AgentEvent, AgentEventBody } from '../../src/events/index.js';
import { openSqliteStore, SequenceConflictError, type Store } from '../../src/store/index.js';
import { graphqlRequest } from '../helpers/graphql-clients.js';
import { RUN_AGENT } from '../helpers/operations.js';
import { startSynapse } from '../helpers/synapse.js';
import { CALL_TOOL } from '../helpers/tool-operations.js';
import { newWorkflowRecord } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 0);

describe('tool-call records in the store', () => {
  let store: Store;
  let queries: string[];
  let sequence: number;

  beforeEach(async () => {
    queries = [];
    store = await openSqliteStore({
      filename: ':memory:',
      log: (event) => {
        if (event.level === 'query') queries.push(event.query.sql);
      },
    });
    sequence = 0;
    for (const [id, tenantId] of [
      ['w1', 'acme'],
      ['w2', 'acme'],
      ['other', 'globex'],
    ] as const) {
      await store.createWorkflow(newWorkflowRecord(id, { tenantId, agentId: 'a', createdAt: new Date(T0) }));
    }
  });

  afterEach(async () => {
    await store.close();
  });

  const events = (workflowId: string, bodies: AgentEventBody[], from: number) =>
    bodies.map((body, index): AgentEvent => ({
      ...body,
      workflowId,
      sequence: from + index,
      at: new Date(T0 + (from + index) * 1000).toISOString(),
    }));
  const commit = async (workflowId: string, bodies: AgentEventBody[]) => {
    const batch = events(workflowId, bodies, sequence + 1);
    await store.commit(workflowId, batch, {});
    sequence += bodies.length;
  };

  it('folds a call spread over several batches into one record', async () => {
    await commit('w1', [
      { type: 'RunStarted', agentId: 'a', input: {} },
      { type: 'ToolCallStarted', toolCallId: 'c1', toolName: 'search' },
    ]);
    expect(await store.listToolCalls('acme', ['w1'])).toEqual([
      [
        {
          workflowId: 'w1',
          id: 'c1',
          toolName: 'search',
          arguments: null,
          result: null,
          isError: false,
          error: null,
          status: 'STARTED',
          startedAt: new Date(T0 + 2000),
          finishedAt: null,
        },
      ],
    ]);
    await commit('w1', [
      { type: 'ToolCallArgsDelta', toolCallId: 'c1', delta: '{"q":' },
      { type: 'ToolCallCompleted', toolCallId: 'c1', toolName: 'search', arguments: { q: 'x' } },
    ]);
    expect((await store.listToolCalls('acme', ['w1']))[0]![0]).toMatchObject({
      status: 'CALLED',
      arguments: { q: 'x' },
    });
    await commit('w1', [{ type: 'ToolResult', toolCallId: 'c1', result: { hits: 3 }, isError: false }]);
    expect((await store.listToolCalls('acme', ['w1']))[0]).toEqual([
      {
        workflowId: 'w1',
        id: 'c1',
        toolName: 'search',
        arguments: { q: 'x' },
        result: { hits: 3 },
        isError: false,
        error: null,
        status: 'SUCCEEDED',
        startedAt: new Date(T0 + 2000),
        finishedAt: new Date(T0 + 5000),
      },
    ]);
  });

  it('keeps calls in the order they started; errors get a message; open calls close with the workflow', async () => {
    await commit('w1', [
      { type: 'ToolCallStarted', toolCallId: 'b', toolName: 'first' },
      { type: 'ToolCallStarted', toolCallId: 'a', toolName: 'second' },
      { type: 'ToolResult', toolCallId: 'b', result: { message: 'denied' }, isError: true },
      { type: 'ToolResult', toolCallId: 'orphan', result: 'late', isError: false },
    ]);
    await commit('w1', [
      {
        type: 'RunFailed',
        code: 'UPSTREAM_DISCONNECTED',
        message: 'gone',
        retryable: true,
        recoverySuggestion: null,
        usage: null,
      },
    ]);
    const [calls] = await store.listToolCalls('acme', ['w1']);
    expect(calls!.map((call) => [call.id, call.toolName, call.status, call.isError, call.error])).toEqual([
      ['b', 'first', 'FAILED', true, 'denied'],
      ['a', 'second', 'FAILED', true, 'the workflow ended before the tool call finished'],
      ['orphan', 'unknown', 'SUCCEEDED', false, null],
    ]);
    expect(calls![1]!.finishedAt).toEqual(new Date(T0 + 5000));
  });

  it('is written in the same transaction as the events: a refused commit leaves no record', async () => {
    await commit('w1', [{ type: 'RunStarted', agentId: 'a', input: {} }]);
    const stale = events('w1', [{ type: 'ToolCallStarted', toolCallId: 'c9', toolName: 'x' }], 1);
    await expect(store.commit('w1', stale, {})).rejects.toBeInstanceOf(SequenceConflictError);
    expect(await store.listToolCalls('acme', ['w1'])).toEqual([[]]);
  });

  it('reads many workflows in one query, in the order asked, scoped to the tenant', async () => {
    await commit('w1', [{ type: 'ToolCallStarted', toolCallId: 'c1', toolName: 'one' }]);
    sequence = 0;
    await commit('w2', [{ type: 'ToolCallStarted', toolCallId: 'c2', toolName: 'two' }]);
    sequence = 0;
    await commit('other', [{ type: 'ToolCallStarted', toolCallId: 'c3', toolName: 'three' }]);
    queries.length = 0;
    const lists = await store.listToolCalls('acme', ['w2', 'missing', 'other', 'w1']);
    expect(lists.map((list) => list.map((call) => call.toolName))).toEqual([['two'], [], [], ['one']]);
    expect(queries).toHaveLength(1);
    expect((await store.listToolCalls('globex', ['other']))[0]!.map((call) => call.toolName)).toEqual(['three']);
  });

  it('costs nothing for a batch without tool events, and one upsert for a batch with any number of calls', async () => {
    queries.length = 0;
    await commit('w1', [{ type: 'TextDelta', messageId: 'm', delta: 'hi' }]);
    expect(queries.filter((query) => /tool_calls/.test(query))).toEqual([]);
    await commit('w1', [
      { type: 'ToolCallStarted', toolCallId: 'x', toolName: 'one' },
      { type: 'ToolCallStarted', toolCallId: 'y', toolName: 'two' },
      { type: 'ToolResult', toolCallId: 'x', result: 1, isError: false },
    ]);
    await commit('w1', [
      { type: 'ToolResult', toolCallId: 'y', result: 2, isError: false },
      { type: 'ToolCallStarted', toolCallId: 'z', toolName: 'three' },
    ]);
    expect(queries.filter((query) => /tool_calls/.test(query))).toHaveLength(2);
    const [calls] = await store.listToolCalls('acme', ['w1']);
    expect(calls!.map((call) => [call.toolName, call.status, call.result])).toEqual([
      ['one', 'SUCCEEDED', 1],
      ['two', 'SUCCEEDED', 2],
      ['three', 'STARTED', null],
    ]);
  });
});

describe('migration 0003_tool_calls', () => {
  it('gives the workflows stored before it their tool-call records', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'synapse-backfill-'));
    const filename = path.join(dir, 'synapse.db');
    try {
      const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(filename) }) });
      const migrated = await createMigrator(db).migrateTo('0001_initial');
      expect(migrated.error).toBeUndefined();
      const bodies: AgentEventBody[] = [
        { type: 'RunStarted', agentId: 'a', input: {} },
        { type: 'ToolCallStarted', toolCallId: 'c1', toolName: 'calculator' },
        { type: 'ToolCallCompleted', toolCallId: 'c1', toolName: 'calculator', arguments: { expression: '1+1' } },
        { type: 'ToolResult', toolCallId: 'c1', result: { value: 2 }, isError: false },
        { type: 'ToolCallStarted', toolCallId: 'c2', toolName: 'search' },
        { type: 'TextDelta', messageId: 'm', delta: 'two' },
        { type: 'RunCancelled', reason: null, usage: null },
      ];
      for (const id of ['old-1', 'old-2', 'no-tools']) {
        await db
          .insertInto('workflows')
          .values(
            workflowToRow({
              id,
              tenantId: 'default',
              kind: 'AGENT_RUN',
              status: 'CANCELLED',
              agentId: 'a',
              threadId: null,
              input: {},
              metadata: null,
              createdAt: new Date(T0),
            }),
          )
          .execute();
        const own = id === 'no-tools' ? bodies.filter((body) => !body.type.startsWith('Tool')) : bodies;
        const rows = own.map((body, index) =>
          eventToRow({ ...body, workflowId: id, sequence: index + 1, at: new Date(T0 + index * 1000).toISOString() }),
        );
        await db.insertInto('events').values(rows).execute();
      }
      await db.destroy();

      const store = await openSqliteStore({ filename });
      try {
        const lists = await store.listToolCalls('default', ['old-1', 'old-2', 'no-tools']);
        for (const list of lists.slice(0, 2)) {
          expect(list.map((call) => [call.id, call.toolName, call.status, call.result, call.error])).toEqual([
            ['c1', 'calculator', 'SUCCEEDED', { value: 2 }, null],
            ['c2', 'search', 'FAILED', null, 'the workflow ended before the tool call finished'],
          ]);
        }
        expect(lists[2]).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Workflow.toolCalls over GraphQL', () => {
  let server: Awaited<ReturnType<typeof startSynapse>>;
  beforeAll(async () => {
    server = await startSynapse();
  });
  afterAll(async () => {
    await server.stop();
  });

  const TOOL_CALLS = /* GraphQL */ `
    query ToolCalls($id: ID!) {
      workflow(id: $id) { toolCalls { id toolName arguments result isError error status startedAt finishedAt } }
    }
  `;

  it("stores the demo agent's calculator call as a record", async () => {
    const run = await graphqlRequest(server.url, RUN_AGENT, {
      input: { agentId: 'demo', prompt: 'What is 12 * (3 + 4)?', wait: true },
    });
    const response = await graphqlRequest(server.url, TOOL_CALLS, { id: run.data!.runAgent.workflow.id });
    expect(response.errors).toBeUndefined();
    const calls = response.data!.workflow.toolCalls;
    expect(calls).toEqual([
      {
        id: 'call_1',
        toolName: 'calculator',
        arguments: { expression: '12 * (3 + 4)' },
        result: { value: 84 },
        isError: false,
        error: null,
        status: 'SUCCEEDED',
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
      },
    ]);
    expect(Date.parse(calls[0].finishedAt)).toBeGreaterThanOrEqual(Date.parse(calls[0].startedAt));
  });

  it('a callTool workflow has exactly one record', async () => {
    const called = await graphqlRequest(server.url, CALL_TOOL, {
      input: { agentId: 'demo', tool: 'calculator', arguments: { expression: '6 / 0 +' } },
    });
    const payload = called.data!.callTool;
    expect(payload).toMatchObject({
      __typename: 'CallToolPayload',
      isError: true,
      workflow: { status: 'FAILED', error: { code: 'TOOL_ERROR' } },
    });
    const response = await graphqlRequest(server.url, TOOL_CALLS, { id: payload.workflow.id });
    expect(response.data!.workflow.toolCalls).toEqual([
      expect.objectContaining({
        toolName: 'calculator',
        arguments: { expression: '6 / 0 +' },
        isError: true,
        status: 'FAILED',
        error: 'unexpected end in "6 / 0 +"',
      }),
    ]);
  });

  it('lists the tool calls of a page of workflows', async () => {
    for (const prompt of ['1 + 1', '2 + 2', '3 + 3']) {
      await graphqlRequest(server.url, RUN_AGENT, { input: { agentId: 'demo', prompt, wait: true } });
    }
    const response = await graphqlRequest(
      server.url,
      '{ workflows(first: 3, filter: { kind: AGENT_RUN }) { edges { node { input toolCalls { arguments result } } } } }',
    );
    expect(response.errors).toBeUndefined();
    expect(
      response.data!.workflows.edges.map((edge: { node: { toolCalls: unknown[] } }) => edge.node.toolCalls),
    ).toEqual([
      [{ arguments: { expression: '3 + 3' }, result: { value: 6 } }],
      [{ arguments: { expression: '2 + 2' }, result: { value: 4 } }],
      [{ arguments: { expression: '1 + 1' }, result: { value: 2 } }],
    ]);
  });
});
