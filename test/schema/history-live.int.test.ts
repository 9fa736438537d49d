import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Usage } from '../../src/events/index.js';
import { graphqlRequest, wsClient } from '../helpers/graphql-clients.js';
import { HISTORY_BACKENDS, insertWorkflow, type TestServer } from '../helpers/history-server.js';
import { RUN_AGENT } from '../helpers/operations.js';

const THREAD = /* GraphQL */ `
  query Thread($id: ID!) {
    thread(id: $id) { id workflows { id threadId status input text } }
    workflows(filter: { threadId: $id }) { edges { node { id } } }
  }
`;

const USAGE = /* GraphQL */ `
  query Usage($groupBy: UsageGroup!, $from: DateTime, $to: DateTime) {
    usageSummary(groupBy: $groupBy, from: $from, to: $to) { key workflows inputTokens outputTokens totalTokens }
  }
`;

const UPDATES = /* GraphQL */ `
  subscription Updates($filter: WorkflowFilter) {
    workflowUpdates(filter: $filter) { id status metadata usage { totalTokens } toolCalls { toolName status } }
  }
`;

const usage = (inputTokens: number, outputTokens: number, totalTokens: number | null): Usage => ({
  inputTokens,
  outputTokens,
  totalTokens,
  reasoningTokens: null,
  cachedInputTokens: null,
});

describe.each(HISTORY_BACKENDS)('threads, usage and live updates ($name)', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await backend.start();
  });
  afterAll(() => server.stop());

  async function run(input: Record<string, unknown>) {
    const response = await graphqlRequest(server.url, RUN_AGENT, { input: { agentId: 'demo', wait: true, ...input } });
    expect(response.errors).toBeUndefined();
    return response.data!.runAgent.workflow as { id: string; threadId: string; status: string };
  }

  it('shows a continued thread in history, oldest turn first', async () => {
    const first = await run({ prompt: 'What is 2 + 2?' });
    expect(first.threadId).toEqual(expect.any(String));
    const second = await run({ prompt: 'And 3 * 3?', threadId: first.threadId });
    const third = await run({ prompt: 'Thanks', threadId: first.threadId });
    await run({ prompt: 'Unrelated' });

    const response = await graphqlRequest(server.url, THREAD, { id: first.threadId });
    expect(response.errors).toBeUndefined();
    const { thread, workflows } = response.data!;
    expect(thread.id).toBe(first.threadId);
    expect(thread.workflows.map((w: { id: string }) => w.id)).toEqual([first.id, second.id, third.id]);
    expect(
      thread.workflows.every(
        (w: { status: string; threadId: string }) => w.status === 'SUCCEEDED' && w.threadId === first.threadId,
      ),
    ).toBe(true);
    expect(thread.workflows[1].input.prompt).toBe('And 3 * 3?');
    expect(workflows.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([
      third.id,
      second.id,
      first.id,
    ]);

    const none = await graphqlRequest(server.url, THREAD, { id: 'no-such-thread' });
    expect(none.data!.thread).toBeNull();
  });

  it('sums tokens by agent and by UTC day, within [from, to), for the caller’s tenant only', async () => {
    const store = server.services.store;
    const day = (d: number, hour: number) => new Date(Date.UTC(2020, 4, d, hour));
    const seeded: [Date, string, Usage | null][] = [
      [day(1, 0), 'alpha', usage(10, 5, 15)],
      [day(1, 23), 'beta', usage(1, 2, null)], // no total: counted as input + output
      [day(2, 12), 'alpha', usage(100, 50, 150)],
      [day(2, 13), 'alpha', null], // no usage at all
      [day(3, 1), 'gamma', usage(7, 0, 7)],
    ];
    for (const [createdAt, agentId, u] of seeded) {
      const workflow = await insertWorkflow(store, { createdAt, agentId });
      if (u) await store.commit(workflow.id, [], { usage: u });
    }
    await insertWorkflow(store, { createdAt: day(1, 5), tenantId: 'other', agentId: 'alpha' });
    const noAgent = await store.createWorkflow({
      id: 'no-agent',
      tenantId: 'default',
      kind: 'TOOL_CALL',
      status: 'SUCCEEDED',
      agentId: null,
      threadId: null,
      input: {},
      metadata: null,
      createdAt: day(3, 2),
    });
    await store.commit(noAgent.id, [], { usage: usage(2, 2, 4) });

    const range = { from: day(1, 0).toISOString(), to: day(4, 0).toISOString() };
    const byAgent = await graphqlRequest(server.url, USAGE, { groupBy: 'AGENT', ...range });
    expect(byAgent.errors).toBeUndefined();
    expect(byAgent.data!.usageSummary).toEqual([
      { key: '(none)', workflows: 1, inputTokens: 2, outputTokens: 2, totalTokens: 4 },
      { key: 'alpha', workflows: 3, inputTokens: 110, outputTokens: 55, totalTokens: 165 },
      { key: 'beta', workflows: 1, inputTokens: 1, outputTokens: 2, totalTokens: 3 },
      { key: 'gamma', workflows: 1, inputTokens: 7, outputTokens: 0, totalTokens: 7 },
    ]);
    const byDay = await graphqlRequest(server.url, USAGE, {
      groupBy: 'DAY',
      from: day(1, 0).toISOString(),
      to: day(3, 0).toISOString(),
    });
    expect(byDay.data!.usageSummary).toEqual([
      { key: '2020-05-01', workflows: 2, inputTokens: 11, outputTokens: 7, totalTokens: 18 },
      { key: '2020-05-02', workflows: 2, inputTokens: 100, outputTokens: 50, totalTokens: 150 },
    ]);
    const inverted = await graphqlRequest(server.url, USAGE, { groupBy: 'DAY', from: range.to, to: range.from });
    expect(inverted.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from' });
  });

  it('streams workflowUpdates over graphql-ws on every status change, filtered and in order', async () => {
    const client = wsClient(server.url);
    const received: { id: string; status: string; metadata: unknown; usage: unknown; toolCalls: unknown[] }[] = [];
    let notify: () => void = () => {};
    let failure: unknown = null;
    const dispose = client.subscribe<{ workflowUpdates: (typeof received)[number] }>(
      { query: UPDATES, variables: { filter: { metadata: { board: 'live' } } } },
      {
        next: (result) => {
          if (result.data) received.push(result.data.workflowUpdates);
          notify();
        },
        error: (error) => {
          failure = error;
          notify();
        },
        complete: () => {},
      },
    );
    const waitFor = async (predicate: () => boolean, what: string) => {
      const deadline = Date.now() + 15_000;
      while (!predicate()) {
        if (failure) throw new Error(`subscription failed: ${JSON.stringify(failure)}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(received)}`);
        await new Promise<void>((resolve) => {
          notify = resolve;
          setTimeout(resolve, 50);
        });
      }
    };
    try {
      // The subscription is live once a probe published on the channel reaches the client.
      const probe = await insertWorkflow(server.services.store, {
        createdAt: new Date(),
        metadata: { board: 'live', probe: true },
      });
      await waitFor(() => {
        server.services.pubsub.publishWorkflowUpdate(probe);
        return received.some((update) => update.id === probe.id);
      }, 'the probe');
      received.length = 0;

      const ignored = await run({ prompt: 'not on the board', metadata: { board: 'other' } });
      const watched = await run({ prompt: 'What is 6 * 7?', metadata: { board: 'live', team: 'a' } });
      await waitFor(
        () => received.some((update) => update.id === watched.id && update.status === 'SUCCEEDED'),
        'SUCCEEDED',
      );
      const mine = received.filter((update) => update.id === watched.id);
      expect(mine.map((update) => update.status)).toEqual(['RUNNING', 'SUCCEEDED']);
      expect(mine[1]).toMatchObject({
        metadata: { board: 'live', team: 'a' },
        usage: { totalTokens: expect.any(Number) },
      });
      expect(mine[1]!.toolCalls).toEqual([{ toolName: 'calculator', status: 'SUCCEEDED' }]);
      expect(received.some((update) => update.id === ignored.id)).toBe(false);
    } finally {
      dispose();
      await client.dispose();
    }
  });
});
