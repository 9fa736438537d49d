import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { AGENT_STREAM, CANCEL, RUN_AGENT, WORKFLOW } from '../../helpers/operations.js';
import {
  apiKeyEntry,
  authedRequest,
  type HttpResult,
  authedWsClient,
  sseResults,
  wsResults,
} from '../../helpers/auth-clients.js';
import { startSynapse } from '../../helpers/synapse.js';

const ALL = ['agents:run', 'tools:call', 'workflows:read'];
const ACME = 'acme-key-0123456789';
const GLOBEX = 'globex-key-0123456789';
const READER = 'acme-reader-0123456789';
const RUNNER = 'acme-runner-0123456789';
const ADMIN = 'ops-admin-0123456789';
const REVOKED = 'acme-old-key-0123456789';

const WORKFLOWS = /* GraphQL */ `
  query List($first: Int, $after: String) {
    workflows(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
  }
`;
const AGENTS = /* GraphQL */ `query { agents { id } }`;

let server: Awaited<ReturnType<typeof startSynapse>>;
let acmeWorkflow: string;
const clients: Client[] = [];

beforeAll(async () => {
  server = await startSynapse({
    config: {
      auth: {
        apiKeys: [
          apiKeyEntry('acme', ACME, 'acme', ALL),
          apiKeyEntry('globex', GLOBEX, 'globex', ALL),
          apiKeyEntry('acme-reader', READER, 'acme', ['workflows:read']),
          apiKeyEntry('acme-runner', RUNNER, 'acme', ['agents:run']),
          apiKeyEntry('ops', ADMIN, 'acme', ['admin']),
        ],
      },
    },
  });
  // A slow run stays RUNNING through the tests, so "cancel" and "stream" hit a live workflow.
  const run = await authedRequest(server.url, ACME, RUN_AGENT, {
    input: { agentId: 'slow', prompt: 'a long answer please' },
  });
  expect(run.body.errors).toBeUndefined();
  acmeWorkflow = run.body.data!.runAgent.workflow.id;
});

afterAll(async () => {
  await Promise.all(clients.map(async (client) => client.dispose()));
  await server.stop();
});

function ws(token: string | null): Client {
  const client = authedWsClient(server.url, token);
  clients.push(client);
  return client;
}

describe('authentication', () => {
  it('refuses a request without credentials with 401 UNAUTHENTICATED', async () => {
    const result = await authedRequest(server.url, null, AGENTS);
    expect(result.status).toBe(401);
    expect(result.headers.get('www-authenticate')).toBe('Bearer');
    expect(result.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.body.data ?? null).toBeNull();
  });

  it('refuses before parsing: an anonymous caller learns nothing from validation errors', async () => {
    for (const query of ['{ secretField }', '{ agents { id ', '{ __schema { types { name } } }']) {
      const result = await authedRequest(server.url, null, query);
      expect(result.status, query).toBe(401);
      expect(result.body.errors, query).toHaveLength(1);
      expect(result.body.errors![0]!.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('still serves the GraphiQL page in development (it holds no data; its requests authenticate)', async () => {
    const response = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/graphiql/i);
  });

  it('refuses a revoked (unknown) key', async () => {
    const result = await authedRequest(server.url, REVOKED, AGENTS);
    expect(result.status).toBe(401);
    expect(result.body.errors?.[0]).toMatchObject({
      message: 'invalid credentials',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('serves a configured key', async () => {
    const result = await authedRequest(server.url, GLOBEX, AGENTS);
    expect(result.status).toBe(200);
    expect(result.body.data!.agents.length).toBeGreaterThan(0);
  });

  it('closes a graphql-ws connection without credentials, or with a bad key, with 4403', async () => {
    for (const token of [null, REVOKED]) {
      const outcome = await wsResults(ws(token), AGENTS);
      expect(outcome.error).toMatchObject({ code: 4403 });
      expect(String((outcome.error as { reason: string }).reason)).toMatch(/^Forbidden: /);
    }
  });

  it('refuses SSE without credentials', async () => {
    const outcome = await sseResults(server.url, null, AGENT_STREAM, { workflowId: acmeWorkflow });
    expect(outcome.error).toMatchObject({ status: 401, body: expect.stringContaining('UNAUTHENTICATED') });
  });
});

describe('scopes, enforced from one table on every transport', () => {
  it('workflows:read alone cannot start or cancel a run', async () => {
    const run = await authedRequest(server.url, READER, RUN_AGENT, { input: { agentId: 'demo', prompt: 'hi' } });
    expect(run.status).toBe(403);
    expect(run.body.errors?.[0]).toMatchObject({
      message: 'Mutation.runAgent needs the scope "agents:run"',
      extensions: { code: 'FORBIDDEN', scope: 'agents:run' },
    });
    const cancel = await authedRequest(server.url, READER, CANCEL, { id: acmeWorkflow });
    expect(cancel.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const overWs = await wsResults(ws(READER), RUN_AGENT, { input: { agentId: 'demo', prompt: 'hi' } });
    expect(overWs.results[0]?.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });

  it('agents:run alone cannot read history, over HTTP, graphql-ws or SSE', async () => {
    const http = await authedRequest(server.url, RUNNER, WORKFLOW, { id: acmeWorkflow });
    expect(http.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(http.body.data ?? null).toBeNull();
    const overWs = await wsResults(ws(RUNNER), AGENT_STREAM, { workflowId: acmeWorkflow });
    expect(overWs.results).toHaveLength(1);
    expect(overWs.results[0]?.errors?.[0]).toMatchObject({
      message: 'Subscription.agentStream needs the scope "workflows:read"',
    });
    const overSse = await sseResults(server.url, RUNNER, AGENT_STREAM, { workflowId: acmeWorkflow });
    expect(overSse.error).toMatchObject({ status: 403, body: expect.stringContaining('FORBIDDEN') });
  });

  it('one forbidden field refuses the whole operation, even inside a fragment', async () => {
    const query = /* GraphQL */ `query { agents { id } ...Sneaky } fragment Sneaky on Query { workflows { edges { node { id } } } }`;
    const result = await authedRequest(server.url, RUNNER, query);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(result.body.data ?? null).toBeNull();
  });

  it('admin may do everything', async () => {
    const result = await authedRequest(server.url, ADMIN, WORKFLOW, { id: acmeWorkflow });
    expect(result.body.data!.workflow.id).toBe(acmeWorkflow);
  });
});

describe('tenant isolation: another tenant’s workflow is indistinguishable from a missing one', () => {
  const MISSING = '00000000-0000-4000-8000-000000000000';

  it('workflow(id) is null over HTTP and graphql-ws', async () => {
    const mine = await authedRequest(server.url, ACME, WORKFLOW, { id: acmeWorkflow });
    expect(mine.body.data!.workflow.id).toBe(acmeWorkflow);
    const theirs = await authedRequest(server.url, GLOBEX, WORKFLOW, { id: acmeWorkflow });
    expect(theirs.body).toEqual({ data: { workflow: null } });
    const overWs = await wsResults(ws(GLOBEX), WORKFLOW, { id: acmeWorkflow });
    expect(overWs.results).toEqual([{ data: { workflow: null } }]);
  });

  it('workflows paging never lists them, on any page', async () => {
    await authedRequest(server.url, GLOBEX, RUN_AGENT, { input: { agentId: 'demo', prompt: 'mine', wait: true } });
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const result: HttpResult = await authedRequest(server.url, GLOBEX, WORKFLOWS, { first: 1, after });
      const connection = result.body.data!.workflows;
      seen.push(...connection.edges.map((edge: { node: { id: string } }) => edge.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).not.toContain(acmeWorkflow);
    // acme's own cursor does not open acme's rows to globex either.
    const acmePage = await authedRequest(server.url, ACME, WORKFLOWS, { first: 1 });
    const cursor = acmePage.body.data!.workflows.pageInfo.endCursor;
    const borrowed = await authedRequest(server.url, GLOBEX, WORKFLOWS, { first: 100, after: cursor });
    expect(JSON.stringify(borrowed.body)).not.toContain(acmeWorkflow);
  });

  it('agentStream by id answers exactly as for a missing id, over graphql-ws and SSE', async () => {
    const client = ws(GLOBEX);
    const theirs = await wsResults(client, AGENT_STREAM, { workflowId: acmeWorkflow });
    const missing = await wsResults(client, AGENT_STREAM, { workflowId: MISSING });
    const strip = (value: unknown) => JSON.stringify(value).replaceAll(acmeWorkflow, 'ID').replaceAll(MISSING, 'ID');
    expect(strip(theirs)).toBe(strip(missing));
    expect(JSON.stringify(theirs)).toContain('NOT_FOUND');

    const sseTheirs = await sseResults(server.url, GLOBEX, AGENT_STREAM, { workflowId: acmeWorkflow });
    const sseMissing = await sseResults(server.url, GLOBEX, AGENT_STREAM, { workflowId: MISSING });
    expect(strip(sseTheirs)).toBe(strip(sseMissing));
    expect(JSON.stringify(sseTheirs)).toContain('NOT_FOUND');
  });

  it('cancelWorkflow answers NotFound and leaves the run alone', async () => {
    const theirs = await authedRequest(server.url, GLOBEX, CANCEL, { id: acmeWorkflow });
    const missing = await authedRequest(server.url, GLOBEX, CANCEL, { id: MISSING });
    expect(theirs.body.data!.cancelWorkflow).toEqual({
      ...missing.body.data!.cancelWorkflow,
      message: `no workflow with id "${acmeWorkflow}"`,
    });
    expect(theirs.body.data!.cancelWorkflow.__typename).toBe('NotFoundError');
    const overWs = await wsResults(ws(GLOBEX), CANCEL, { id: acmeWorkflow });
    expect(overWs.results[0]?.data?.cancelWorkflow).toMatchObject({ __typename: 'NotFoundError' });
    const still = await authedRequest(server.url, ACME, WORKFLOW, { id: acmeWorkflow });
    expect(still.body.data!.workflow.status).not.toBe('CANCELLED');
  });

  it('the owner streams and cancels their own run', async () => {
    const client = ws(ACME);
    const stream = wsResults(client, AGENT_STREAM, { workflowId: acmeWorkflow });
    const cancel = await authedRequest(server.url, ACME, CANCEL, { id: acmeWorkflow });
    expect(cancel.body.data!.cancelWorkflow.__typename).toBe('CancelWorkflowPayload');
    const { results, error } = await stream;
    expect(error).toBeUndefined();
    expect(results.at(-1)?.data?.agentStream).toMatchObject({
      __typename: expect.stringMatching(/^Run(Cancelled|Completed)$/),
    });
  });
});
