import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../../src/schema/index.js';
import { ROOT_FIELD_SCOPES } from '../../../src/server/auth/scope-table.js';
import { apiKeyEntry, authedRequest } from '../../helpers/auth-clients.js';
import { RUN_AGENT } from '../../helpers/operations.js';
import { startSynapse } from '../../helpers/synapse.js';

describe('the scope table', () => {
  it('has a line for every root field of the schema (an unlisted field would need admin)', () => {
    const roots = {
      query: schema.getQueryType(),
      mutation: schema.getMutationType(),
      subscription: schema.getSubscriptionType(),
    };
    for (const [operation, type] of Object.entries(roots)) {
      for (const field of Object.keys(type!.getFields())) {
        expect(ROOT_FIELD_SCOPES[operation as keyof typeof roots], `${operation}.${field}`).toHaveProperty(field);
      }
    }
  });
});

describe('fields of the tools and history issues, behind authentication', () => {
  const ACME = 'acme-key-0123456789';
  const GLOBEX = 'globex-key-0123456789';
  const READER = 'acme-reader-0123456789';
  const OPS = 'ops-admin-0123456789';
  let server: Awaited<ReturnType<typeof startSynapse>>;
  let threadId: string;

  beforeAll(async () => {
    server = await startSynapse({
      config: {
        auth: {
          apiKeys: [
            apiKeyEntry('acme', ACME, 'acme', ['agents:run', 'tools:call', 'workflows:read']),
            apiKeyEntry('globex', GLOBEX, 'globex', ['agents:run', 'tools:call', 'workflows:read']),
            apiKeyEntry('acme-reader', READER, 'acme', ['workflows:read']),
            apiKeyEntry('ops', OPS, 'acme', ['admin']),
          ],
        },
      },
    });
    const run = await authedRequest(server.url, ACME, RUN_AGENT, {
      input: { agentId: 'demo', prompt: 'What is 2 + 3?', wait: true },
    });
    threadId = run.body.data!.runAgent.workflow.threadId;
  });
  afterAll(async () => {
    await server.stop();
  });

  const CALL = /* GraphQL */ `
    mutation { callTool(input: { agentId: "demo", tool: "calculator", arguments: { expression: "6 * 7" } }) {
      __typename ... on CallToolPayload { result workflow { id } } } }
  `;

  it('callTool needs tools:call', async () => {
    const refused = await authedRequest(server.url, READER, CALL);
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'tools:call' });
    const allowed = await authedRequest(server.url, ACME, CALL);
    expect(allowed.body.data?.callTool).toMatchObject({ __typename: 'CallToolPayload', result: { value: 42 } });
  });

  it("thread and usageSummary are scoped to the caller's tenant", async () => {
    const THREAD = `query($id: ID!) { thread(id: $id) { id workflows { id } } }`;
    const own = await authedRequest(server.url, READER, THREAD, { id: threadId });
    expect(own.body.data?.thread?.workflows).toHaveLength(1);
    const other = await authedRequest(server.url, GLOBEX, THREAD, { id: threadId });
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data?.thread ?? { workflows: [] }).toMatchObject({ workflows: [] });
    const USAGE = `{ usageSummary(groupBy: AGENT) { key workflows } }`;
    const acmeUsage = await authedRequest(server.url, ACME, USAGE);
    expect(acmeUsage.body.data?.usageSummary.length).toBeGreaterThan(0);
    const globexUsage = await authedRequest(server.url, GLOBEX, USAGE);
    expect(globexUsage.body.data?.usageSummary).toEqual([]);
  });

  it('/metrics needs an admin principal once authentication is on', async () => {
    const metrics = server.url.replace(/\/graphql$/, '/metrics');
    expect((await fetch(metrics)).status).toBe(401);
    expect((await fetch(metrics, { headers: { authorization: `Bearer ${READER}` } })).status).toBe(403);
    const scraped = await fetch(metrics, { headers: { authorization: `Bearer ${OPS}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('synapse_');
  });
});
