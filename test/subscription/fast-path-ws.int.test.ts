import { execute, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { schema } from '../../src/schema/index.js';
import { graphqlRequest } from '../helpers/graphql-clients.js';
import { RUN_AGENT } from '../helpers/operations.js';
import { startSynapse } from '../helpers/synapse.js';
import { rawText } from '../helpers/raw-data.js';

/**
 * The agentStream fast path end to end: what a graphql-ws socket receives is, message for
 * message and byte for byte, what graphql-ws would write for graphql-js's result of each stored
 * event, for several selections at once on one socket (compiled ones and one left to the
 * executor), while the run is live and when replayed.
 */

let server: Awaited<ReturnType<typeof startSynapse>>;

beforeAll(async () => {
  server = await startSynapse();
});

afterAll(async () => {
  await server.stop();
});

const SELECTIONS: Record<string, { query: string; variables?: Record<string, unknown> }> = {
  full: {
    query: `subscription S($id: ID!) { agentStream(workflowId: $id) { __typename ...E } }
      fragment E on AgentEvent {
        ... on StreamEvent { workflowId sequence at }
        ... on RunStarted { agentId input }
        ... on TextDelta { messageId delta }
        ... on MessageCompleted { messageId role text }
        ... on ToolCallStarted { toolCallId toolName }
        ... on ToolCallArgsDelta { toolCallId delta }
        ... on ToolCallCompleted { toolCallId toolName arguments }
        ... on ToolResult { toolCallId result isError }
        ... on UsageUpdated { usage { inputTokens outputTokens totalTokens } }
        ... on RunCompleted { output text usage { totalTokens outputTokens } }
      }`,
  },
  aliased: {
    query: `subscription($id: ID!, $after: Int) { e: agentStream(workflowId: $id, afterSequence: $after) { t: __typename ... on StreamEvent { s: sequence } ... on TextDelta { d: delta } } }`,
    variables: { after: 3 },
  },
  // A variable the client leaves to its default: the plan does not compile it, the executor runs it.
  executor: {
    query: `subscription($id: ID!, $v: Boolean = true) { agentStream(workflowId: $id) { __typename @include(if: $v) ... on StreamEvent { sequence } } }`,
  },
};

function subscribeAll(workflowId: string): Promise<Map<string, string[]>> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const received = new Map<string, string[]>(Object.keys(SELECTIONS).map((id) => [id, []]));
    let open = received.size;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('error', reject);
    socket.on('message', (data) => {
      const text = rawText(data);
      const message = JSON.parse(text) as { type: string; id?: string };
      if (message.type === 'connection_ack') {
        for (const [id, { query, variables }] of Object.entries(SELECTIONS)) {
          socket.send(
            JSON.stringify({ id, type: 'subscribe', payload: { query, variables: { id: workflowId, ...variables } } }),
          );
        }
      } else if (message.type === 'next') {
        received.get(message.id!)!.push(text);
      } else if (message.type === 'complete') {
        if (--open === 0) {
          socket.close();
          resolve(received);
        }
      } else {
        reject(new Error(`unexpected message ${text}`));
      }
    });
  });
}

async function expectedMessages(workflowId: string, id: string): Promise<string[]> {
  const { query, variables } = SELECTIONS[id]!;
  const variableValues = { id: workflowId, ...variables };
  const after = typeof variables?.after === 'number' ? variables.after : 0;
  const events = await server.services.store.readEvents(workflowId, after, 10_000);
  const document = parse(query);
  const messages: string[] = [];
  for (const event of events) {
    const result = await execute({ schema, document, rootValue: event, variableValues, contextValue: {} });
    messages.push(JSON.stringify({ id, type: 'next', payload: result }));
  }
  return messages;
}

describe('agentStream over graphql-ws, fast path', () => {
  it('sends exactly the bytes graphql-ws + graphql-js would, live and replayed, per selection', async () => {
    const run = await graphqlRequest(server.url, RUN_AGENT, {
      input: { agentId: 'demo', prompt: 'What is 12 * (3 + 4)?' },
    });
    const workflowId = run.data!.runAgent.workflow.id as string;
    const live = await subscribeAll(workflowId);
    const replayed = await subscribeAll(workflowId);
    for (const id of Object.keys(SELECTIONS)) {
      const expected = await expectedMessages(workflowId, id);
      expect(expected.length).toBeGreaterThan(5);
      expect(live.get(id), `live ${id}`).toEqual(expected);
      expect(replayed.get(id), `replayed ${id}`).toEqual(expected);
    }
  });
});
