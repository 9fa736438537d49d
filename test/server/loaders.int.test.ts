import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentEvent, AgentEventBody } from '../../src/events/index.js';
import type { Store } from '../../src/store/index.js';
import { executeQuery, servicesFor } from '../helpers/in-process.js';
import { BACKENDS, newWorkflowRecord } from '../helpers/stores.js';

const PAGE = /* GraphQL */ `
  query Page($first: Int!) {
    workflows(first: $first) {
      edges {
        node {
          id
          agent { id dialect }
          usage { totalTokens }
          toolCalls { id toolName arguments result status }
          events(first: 5) { __typename ... on StreamEvent { sequence } }
        }
      }
    }
  }
`;

function bodies(i: number): AgentEventBody[] {
  return [
    { type: 'RunStarted', agentId: 'demo', input: { prompt: `p${i}` } },
    { type: 'ReasoningStep', title: 'plan' },
    { type: 'ToolCallStarted', toolCallId: `c${i}`, toolName: 'calculator' },
    { type: 'ToolCallCompleted', toolCallId: `c${i}`, toolName: 'calculator', arguments: { expression: `${i}+1` } },
    { type: 'ToolResult', toolCallId: `c${i}`, result: i + 1, isError: false },
    { type: 'TextDelta', messageId: 'm', delta: 'the answer' },
    {
      type: 'UsageUpdated',
      usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7, reasoningTokens: null, cachedInputTokens: null },
    },
    { type: 'RunCompleted', output: null, text: 'the answer', usage: null },
  ];
}

/** The `workflows` page these tests select; each edge's node has the fields its query asked for. */
interface WorkflowPage {
  workflows: { edges: { node: { events: { sequence: number; __typename?: string }[]; [field: string]: unknown } }[] };
}

describe.each(BACKENDS)('no N+1 on $name', (backend) => {
  let store: Store;
  let statements: string[] = [];

  beforeAll(async () => {
    store = await backend.open({
      log: (event) => {
        if (event.level === 'query') statements.push(event.query.sql);
      },
    });
    for (let i = 0; i < 60; i += 1) {
      const id = `wf-${String(i).padStart(3, '0')}`;
      await store.createWorkflow(newWorkflowRecord(id, { createdAt: new Date(Date.UTC(2026, 0, 1) + i) }));
      const events: AgentEvent[] = bodies(i).map((body, index) => ({
        ...body,
        workflowId: id,
        sequence: index + 1,
        at: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
      }));
      await store.commit(id, events, {
        status: 'SUCCEEDED',
        usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7, reasoningTokens: null, cachedInputTokens: null },
      });
    }
  });
  afterAll(() => store.close());

  async function countStatements(first: number) {
    statements = [];
    const result = await executeQuery(servicesFor(store), PAGE, { first });
    expect(result.errors).toBeUndefined();
    return { count: statements.length, sql: [...statements], data: result.data as unknown as WorkflowPage };
  }

  it('a page of 50 workflows with agent, usage, toolCalls and 5 events costs 3 statements, as does a page of 5', async () => {
    const small = await countStatements(5);
    const large = await countStatements(50);
    expect(large.data.workflows.edges).toHaveLength(50);
    expect(large.count).toBe(small.count);
    expect(large.count).toBe(3); // the page, the events windows, the tool-call events
    const node = large.data.workflows.edges[0]!.node;
    expect(node).toMatchObject({
      id: 'wf-059',
      agent: { id: 'demo', dialect: 'demo' },
      usage: { totalTokens: 7 },
      toolCalls: [
        { id: 'c59', toolName: 'calculator', arguments: { expression: '59+1' }, result: 60, status: 'SUCCEEDED' },
      ],
    });
    expect(node.events.map((event: { sequence: number }) => event.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(node.events[2]!.__typename).toBe('ToolCallStarted');
    for (const edge of large.data.workflows.edges) expect(edge.node.events).toHaveLength(5);
  });

  it('pages events of many workflows with afterSequence past the end', async () => {
    const result = await executeQuery(
      servicesFor(store),
      `{ workflows(first: 3) { edges { node { late: events(afterSequence: 6, first: 5) { ... on StreamEvent { sequence } } none: events(afterSequence: 8) { __typename } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    for (const edge of (result.data as unknown as WorkflowPage).workflows.edges) {
      expect(edge.node.late).toEqual([{ sequence: 7 }, { sequence: 8 }]);
      expect(edge.node.none).toEqual([]);
    }
    const negative = await executeQuery(
      servicesFor(store),
      `{ workflows(first: 1) { edges { node { events(afterSequence: -1) { __typename } } } } }`,
    );
    expect(negative.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'afterSequence' });
  });
});
