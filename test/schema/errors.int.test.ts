import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSubscription, graphqlRequest, wsClient } from '../helpers/graphql-clients.js';
import { AGENT_STREAM, CANCEL, RUN_AGENT } from '../helpers/operations.js';
import { startSynapse } from '../helpers/synapse.js';

let server: Awaited<ReturnType<typeof startSynapse>>;

beforeAll(async () => {
  server = await startSynapse();
});

afterAll(async () => {
  await server.stop();
});

async function stillServing() {
  const response = await graphqlRequest(server.url, '{ agents { id } }');
  expect(response.data?.agents).toEqual([{ id: 'demo' }, { id: 'slow' }, { id: 'pulse' }]);
}

describe('caller mistakes get typed, readable errors and the server keeps serving', () => {
  it('an unknown agent is an UnknownAgentError in the payload', async () => {
    const response = await graphqlRequest(server.url, RUN_AGENT, { input: { agentId: 'nope', prompt: 'hi' } });
    expect(response.errors).toBeUndefined();
    expect(response.data!.runAgent).toEqual({
      __typename: 'UnknownAgentError',
      code: 'UNKNOWN_AGENT',
      message: 'no agent with id "nope" is configured',
      agentId: 'nope',
    });
    await stillServing();
  });

  it('an empty prompt is an InvalidInputError naming the field', async () => {
    const response = await graphqlRequest(server.url, RUN_AGENT, { input: { agentId: 'demo', prompt: '   ' } });
    expect(response.data!.runAgent).toEqual({
      __typename: 'InvalidInputError',
      code: 'INVALID_INPUT',
      message: 'input.prompt: must not be empty',
      field: 'input.prompt',
      issues: [{ field: 'input.prompt', message: 'must not be empty' }],
    });
    await stillServing();
  });

  it('no prompt and no messages, a bad role, a bad metadata value: every issue is listed', async () => {
    const none = await graphqlRequest(server.url, RUN_AGENT, { input: { agentId: 'demo' } });
    expect(none.data!.runAgent).toMatchObject({ __typename: 'InvalidInputError', field: 'input.prompt' });
    const bad = await graphqlRequest(server.url, RUN_AGENT, {
      input: { agentId: 'demo', messages: [{ role: 'robot', content: 'hi' }], metadata: [1, 2] },
    });
    expect(bad.data!.runAgent.issues).toEqual([
      { field: 'input.messages[0].role', message: 'must be one of system, user, assistant, tool' },
      { field: 'input.metadata', message: 'must be a JSON object' },
    ]);
  });

  it('malformed JSON variables are a 400 with a readable message', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "mutation { runAgent(input: {agentId: \\"demo\\", prompt: \\"x\\"}) { __typename } }", "variables": {"a": ',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).toMatch(/JSON/i);
    await stillServing();
  });

  it('variables of the wrong type are a GraphQL error naming the variable', async () => {
    const response = await graphqlRequest(server.url, RUN_AGENT, {
      input: { agentId: 'demo', prompt: 42, wait: 'yes' },
    });
    expect(response.errors?.[0]?.message).toMatch(/\$input/);
    await stillServing();
  });

  it('a cancel of an unknown workflow is a NotFoundError', async () => {
    const response = await graphqlRequest(server.url, CANCEL, { id: 'missing' });
    expect(response.data!.cancelWorkflow).toEqual({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      message: 'no workflow with id "missing"',
    });
  });

  it('streaming an unknown workflow is a NOT_FOUND error, and the socket keeps serving', async () => {
    const client = wsClient(server.url);
    try {
      await expect(collectSubscription(client, AGENT_STREAM, { workflowId: 'missing' })).rejects.toThrow(
        /no workflow with id "missing"/,
      );
      await expect(collectSubscription(client, 'subscription { agentStream(', {})).rejects.toThrow(/Syntax Error/);
      await expect(collectSubscription(client, 'subscription { nothing }', {})).rejects.toThrow(
        /Cannot query field "nothing"/,
      );
      const run = await graphqlRequest(server.url, RUN_AGENT, {
        input: { agentId: 'demo', prompt: 'still here?', wait: true },
      });
      const events = await collectSubscription(client, AGENT_STREAM, { workflowId: run.data!.runAgent.workflow.id });
      expect(events.length).toBeGreaterThan(5);
    } finally {
      await client.dispose();
    }
  });

  it('bad page sizes and cursors are BAD_USER_INPUT errors', async () => {
    const big = await graphqlRequest(server.url, '{ workflows(first: 1000) { edges { node { id } } } }');
    expect(big.errors?.[0]).toMatchObject({
      message: 'first must be between 1 and 100, got 1000',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const cursor = await graphqlRequest(server.url, '{ workflows(after: "garbage") { edges { node { id } } } }');
    expect(cursor.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(cursor.errors?.[0]?.message).toMatch(/not a cursor/);
    await stillServing();
  });
});
