import { getIntrospectionQuery, parse, type OperationDefinitionNode } from 'graphql';
import { schema } from '../../../src/schema/index.js';
import { operationCost } from '../../../src/server/limits/operation-cost.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import {
  apiKeyEntry,
  authedRequest,
  authedWsClient,
  sseResults,
  wsResults,
  type HttpResult,
} from '../../helpers/auth-clients.js';
import { EVENT_FIELDS } from '../../helpers/operations.js';
import { startSynapse } from '../../helpers/synapse.js';

// The default limits (maxCost 5000, maxIntrospectionCost 500,000), in development mode (so
// introspection is on), as `npm start` and `synapse serve` run.
const KEY = 'cost-key-0000000';
const NOSCOPE = 'noscope-key-00000';
let server: Awaited<ReturnType<typeof startSynapse>>;
const clients: Client[] = [];

beforeAll(async () => {
  server = await startSynapse({
    config: {
      auth: {
        apiKeys: [
          apiKeyEntry('cost', KEY, 'cost', ['agents:run', 'workflows:read']),
          apiKeyEntry('none', NOSCOPE, 'none', []),
        ],
      },
    },
  });
});

afterAll(async () => {
  await Promise.all(clients.map(async (client) => client.dispose()));
  await server.stop();
});

const ask = (query: string, variables?: Record<string, unknown>, key = KEY, accept?: string) =>
  authedRequest(server.url, key, query, variables, accept ? { accept } : {});

function expectCost(result: HttpResult, limit = 'maxCost') {
  expect(result.status, JSON.stringify(result.body)).toBe(400);
  const error = result.body.errors?.find((entry) => entry.extensions?.limit === limit);
  expect(error, JSON.stringify(result.body)).toBeDefined();
  expect(error!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit });
  expect(result.body.data ?? null).toBeNull();
}

const PAGES =
  'query ($n: Int, $f: Int) { workflows(first: $n) { edges { node { events(first: $f) { __typename } } } } }';

describe('one cost model: list sizes from literals, variables and defaults', () => {
  it('page sizes passed as variables count like literals (HTTP, graphql-ws, SSE)', async () => {
    expectCost(await ask(PAGES, { n: 100, f: 10_000 }));
    expectCost(await ask('{ workflows(first: 100) { edges { node { events(first: 10000) { __typename } } } } }'));
    const client = authedWsClient(server.url, KEY);
    clients.push(client);
    const overWs = await wsResults(client, PAGES, { n: 100, f: 10_000 });
    expect(JSON.stringify(overWs.error ?? overWs.results)).toContain('limits.maxCost = 5000');
    const overSse = await sseResults(server.url, KEY, PAGES, { n: 100, f: 10_000 });
    expect(JSON.stringify(overSse)).toContain('limits.maxCost = 5000');
  });

  it('a variable default and the schema default count too', async () => {
    expectCost(
      await ask(
        'query ($n: Int = 100, $f: Int = 10000) { workflows(first: $n) { edges { node { events(first: $f) { __typename } } } } }',
      ),
    );
    // No arguments at all: 20 workflows (the resolver's default) × 1000 events (the schema's).
    expectCost(await ask('{ workflows { edges { node { events { __typename } } } } }'));
    // A small page of each passes.
    const small = await ask(PAGES, { n: 5, f: 50 });
    expect(small.status, JSON.stringify(small.body)).toBe(200);
  });

  it('an ordinary history read with every member of the union over 100 events passes the default', async () => {
    const query = `query ($id: ID!) { workflow(id: $id) { id status text output events(first: 100) { ${EVENT_FIELDS} } } }`;
    const result = await ask(query, { id: '00000000-0000-0000-0000-000000000000' });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body.errors).toBeUndefined();
    // The schema's default page (1,000 events) passes too; 10,000 is refused.
    expect(
      (await ask(query.replace('first: 100', 'first: 1000'), { id: '00000000-0000-0000-0000-000000000000' })).status,
    ).toBe(200);
    expectCost(await ask(query.replace('first: 100', 'first: 10000'), { id: '00000000-0000-0000-0000-000000000000' }));
  });

  it('refusals are HTTP 400 whatever the client accepts', async () => {
    const plainJson = await ask(PAGES, { n: 100, f: 10_000 }, KEY, 'application/json');
    expectCost(plainJson);
    const plainDepth = await ask(
      '{ workflows { edges { node { agent { tools { name description inputSchema } } } } } }'.replace(
        '{ name',
        '{ a1: name a2: name a3: name a4: name a5: name a6: name a7: name a8: name a9: name a10: name a11: name a12: name a13: name a14: name a15: name a16: name',
      ),
      undefined,
      KEY,
      'application/json',
    );
    expect(plainDepth.status, JSON.stringify(plainDepth.body)).toBe(400);
  });
});

describe('the estimate itself', () => {
  const cost = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    return operationCost(schema, document, document.definitions[0] as OperationDefinitionNode, variables);
  };

  it('an abstract selection costs its costliest member, not the sum of its fragments', () => {
    const one = cost(
      '{ workflow(id: "x") { events(first: 100) { ... on RunCompleted { usage { totalTokens } } } } }',
    ).cost;
    const all = cost(`{ workflow(id: "x") { events(first: 100) { ${EVENT_FIELDS} } } }`).cost;
    expect(one).toBe(1 + 100 * 2);
    expect(all).toBe(one); // RunCompleted (with its usage object) is the costliest member
  });

  it('nested lists multiply; a connection pays for its page once', () => {
    expect(cost('{ agents { id tools { name } } }').cost).toBe(10 * (1 + 10));
    expect(cost('query ($n: Int) { workflows(first: $n) { edges { node { id } } } }', { n: 7 }).cost).toBe(1 + 7 * 2);
    expect(cost('query ($n: Int = 3) { workflows(last: $n) { edges { node { id } } } }').cost).toBe(1 + 3 * 2);
  });
});

describe('introspection is measured outside production too', () => {
  it('the standard introspection query passes, even without scopes', async () => {
    const result = await ask(getIntrospectionQuery(), undefined, NOSCOPE);
    expect(result.status, JSON.stringify(result.body).slice(0, 500)).toBe(200);
    expect(result.body.data?.__schema.types.length).toBeGreaterThan(10);
  });

  it('a small hostile document of aliases and fragments inside __schema is refused at once', async () => {
    const fragment =
      'fragment T on __Type { name fields { name args { name type { name ofType { name } } } type { name fields { name args { name type { name } } } } } }';
    const aliases = Array.from({ length: 15 }, (_, index) => `a${index}: types { ...T }`).join(' ');
    const query = `{ __schema { ${aliases} } } ${fragment}`;
    expect(query.length).toBeLessThan(1_500);
    const started = performance.now();
    const result = await ask(query, undefined, NOSCOPE);
    const elapsed = performance.now() - started;
    expectCost(result, 'maxIntrospectionCost');
    expect(elapsed).toBeLessThan(1_000);
    // Aliases inside introspection count as well.
    const sixteen = Array.from({ length: 16 }, (_, index) => `a${index}: types { name }`).join(' ');
    const aliased = await ask(`{ __schema { ${sixteen} } }`, undefined, NOSCOPE);
    expect(aliased.status).toBe(400);
    expect(JSON.stringify(aliased.body)).toContain('limits.maxAliases');
  });
});
