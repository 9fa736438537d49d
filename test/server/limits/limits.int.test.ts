import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { parseConfig } from '../../../src/config/index.js';
import { InMemoryRateLimiter } from '../../../src/server/limits/rate-limiter.js';
import { inputProblem, jsonDepthExceeds } from '../../../src/server/limits/use-run-limits.js';
import { AGENT_STREAM, CANCEL, RUN_AGENT } from '../../helpers/operations.js';
import { createClient as createSseClient } from 'graphql-sse';
import {
  apiKeyEntry,
  authedRequest,
  authedWsClient,
  sseResults,
  wsResults,
  type HttpResult,
} from '../../helpers/auth-clients.js';
import { startSynapse, TEST_AGENTS } from '../../helpers/synapse.js';
import { sleep } from '../../helpers/async.js';

const ALL = ['agents:run', 'tools:call', 'workflows:read'];
const KEYS = {
  shape: 'shape-key-000000',
  rate: 'rate-key-000000',
  busy: 'busy-key-000000',
  flood: 'flood-key-000000',
  sse: 'sse-key-000000',
};
const LIMITS = {
  maxDepth: 5,
  maxCost: 500,
  maxAliases: 3,
  maxDirectives: 3,
  maxTokens: 300,
  maxOperationBytes: 4_000,
  maxBodyBytes: 16_384,
  maxPromptBytes: 100,
  maxMessages: 3,
  maxInputBytes: 2_000,
  runsPerMinute: 3,
  concurrentRuns: 2,
  subscriptionsPerConnection: 3,
  subscriptionsPerTenant: 4,
};

let server: Awaited<ReturnType<typeof startSynapse>>;
const clients: Client[] = [];

beforeAll(async () => {
  server = await startSynapse({
    config: {
      agents: [...TEST_AGENTS, { id: 'glacial', dialect: 'demo', demo: { wordDelayMs: 2_000 } }],
      auth: { apiKeys: Object.entries(KEYS).map(([tenant, key]) => apiKeyEntry(tenant, key, tenant, ALL)) },
      limits: LIMITS,
    },
  });
});

afterAll(async () => {
  await Promise.all(clients.map(async (client) => client.dispose()));
  await server.stop();
});

function expectLimit(result: HttpResult, limit: string, max: number, status = 400) {
  expect(result.status).toBe(status);
  const error = result.body.errors?.find((entry) => entry.extensions?.limit === limit);
  expect(error, JSON.stringify(result.body)).toBeDefined();
  expect(error!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit, max });
  expect(error!.message).toContain(`(limits.${limit} = ${max})`);
  expect(result.body.data ?? null).toBeNull();
}

const ask = (query: string, variables?: Record<string, unknown>, key = KEYS.shape) =>
  authedRequest(server.url, key, query, variables);

describe('the shape of an operation', () => {
  it('depth', async () => {
    expectLimit(await ask('{ workflows { edges { node { agent { tools { name } } } } } }'), 'maxDepth', 5);
    // Fragments do not hide depth.
    expectLimit(
      await ask(
        '{ workflows { ...E } } fragment E on WorkflowConnection { edges { node { agent { tools { name } } } } }',
      ),
      'maxDepth',
      5,
    );
    expect((await ask('{ workflows { edges { node { agent { id } } } } }')).status).toBe(200);
  });

  it('aliases, counted through every spread of a fragment', async () => {
    expectLimit(await ask('{ a: agents { id } b: agents { id } c: agents { id } d: agents { id } }'), 'maxAliases', 3);
    expectLimit(await ask('{ ...F ...F ...F ...F } fragment F on Query { x: agents { id } }'), 'maxAliases', 3);
  });

  it('cost: a page of pages is refused before anything runs', async () => {
    const result = await ask('{ workflows(first: 100) { edges { node { events(first: 10000) { __typename } } } } }');
    expectLimit(result, 'maxCost', 500);
    expect(result.body.errors![0]!.message).toMatch(/estimated cost is \d+, more than 500/);
  });

  it('directives', async () => {
    expectLimit(
      await ask(
        '{ agents { id @include(if: true) dialect @include(if: true) description @include(if: true) tools @include(if: true) { name } } }',
      ),
      'maxDirectives',
      3,
    );
  });

  it('tokens and operation size, before parsing', async () => {
    expectLimit(await ask(`{ agents { ${'id '.repeat(400)} } }`), 'maxTokens', 300);
    expectLimit(await ask(`# ${'x'.repeat(5_000)}\n{ agents { id } }`), 'maxOperationBytes', 4_000);
  });

  it('a fragment cycle or a deeply nested hostile document does not hang the rules', async () => {
    const cyclic = await ask('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }');
    expect(cyclic.status).toBe(400);
    const nested = await ask(`{ ${'a { '.repeat(100)}b${' }'.repeat(100)} }`);
    expect(nested.status).toBe(400);
    expect((await ask('{ agents { id } }')).status).toBe(200);
  });

  it('the same rules hold on graphql-ws, and the socket survives them', async () => {
    const client = authedWsClient(server.url, KEYS.shape);
    clients.push(client);
    const errors = await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: '{ a: agents { id } b: agents { id } c: agents { id } d: agents { id } }' },
        { next: () => {}, error: resolve, complete: () => resolve(null) },
      );
    });
    expect(JSON.stringify(errors)).toContain('limits.maxAliases = 3');
    const ok = await new Promise<unknown>((resolve, reject) => {
      client.subscribe({ query: '{ agents { id } }' }, { next: resolve, error: reject, complete: () => {} });
    });
    expect(ok).toMatchObject({ data: { agents: expect.any(Array) } });
  });
});

describe('request and input sizes', () => {
  it('a body over maxBodyBytes is 413, with Content-Length or chunked', async () => {
    expectLimit(
      await ask('query ($pad: String) { agents { id } }', { pad: 'x'.repeat(20_000) }),
      'maxBodyBytes',
      16_384,
      413,
    );
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        server.url,
        { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.shape}` } },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, body }));
        },
      );
      request.on('error', reject);
      request.write('{"query": "{ agents { id } }", "variables": {"pad": "');
      for (let index = 0; index < 20; index++) request.write('x'.repeat(1_024));
      request.end('"}}');
    });
    expect(chunked.status).toBe(413);
    expect(chunked.body).toContain('limits.maxBodyBytes = 16384');
    // A small chunked body still works.
    const small = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        server.url,
        { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.shape}` } },
        (response) => {
          response.resume();
          resolve(response.statusCode!);
        },
      );
      request.on('error', reject);
      request.write('{"query": "{ agents');
      request.end(' { id } }"}');
    });
    expect(small).toBe(200);
  });

  it('prompt, messages and whole input of runAgent', async () => {
    expectLimit(await ask(RUN_AGENT, { input: { agentId: 'demo', prompt: 'x'.repeat(101) } }), 'maxPromptBytes', 100);
    const messages = Array.from({ length: 4 }, () => ({ role: 'user', content: 'hi' }));
    expectLimit(await ask(RUN_AGENT, { input: { agentId: 'demo', messages } }), 'maxMessages', 3);
    expectLimit(
      await ask(RUN_AGENT, { input: { agentId: 'demo', prompt: 'hi', metadata: { blob: 'x'.repeat(3_000) } } }),
      'maxInputBytes',
      2_000,
    );
    // Inline literals are measured the same as variables.
    expectLimit(
      await ask(`mutation { runAgent(input: { agentId: "demo", prompt: "${'y'.repeat(150)}" }) { __typename } }`),
      'maxPromptBytes',
      100,
    );
  });
});

describe('hostile JSON', () => {
  it('deeply nested metadata or tool arguments neither crash nor slip through', async () => {
    const depth = 8_000; // 16 kB of brackets: just under maxBodyBytes, far over any sane nesting
    const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const body = `{"query": ${JSON.stringify('mutation ($input: RunAgentInput!) { runAgent(input: $input) { __typename } }')}, "variables": {"input": {"agentId": "demo", "prompt": "hi", "metadata": {"deep": ${nested}}}}}`;
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.shape}` },
      body,
    });
    expectLimit(
      { status: response.status, headers: response.headers, body: (await response.json()) as HttpResult['body'] },
      'maxInputDepth',
      64,
    );
    const shallow = { a: [[[[{ b: 1 }]]]] };
    expect(
      (await ask(RUN_AGENT, { input: { agentId: 'demo', prompt: 'hi', metadata: shallow } })).body.data!.runAgent
        .__typename,
    ).toBe('RunAgentPayload');
    expect((await ask('{ agents { id } }')).status).toBe(200);
  });
});

describe('per-tenant rates', () => {
  it('runsPerMinute: the fourth run in a minute is RATE_LIMITED with a retry time', async () => {
    for (let index = 0; index < 3; index++) {
      const ok = await ask(RUN_AGENT, { input: { agentId: 'demo', prompt: 'hi', wait: true } }, KEYS.rate);
      expect(ok.body.data!.runAgent.workflow.status).toBe('SUCCEEDED');
    }
    const refused = await ask(RUN_AGENT, { input: { agentId: 'demo', prompt: 'hi' } }, KEYS.rate);
    expect(refused.status).toBe(429);
    const error = refused.body.errors![0]!;
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'runsPerMinute', max: 3 });
    expect(error.extensions!.retryAfterMs).toBeGreaterThan(0);
    expect(error.extensions!.retryAfterMs).toBeLessThanOrEqual(20_000);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(error.message).toMatch(/\(limits\.runsPerMinute = 3\); retry in \d+ s/);
    // Another tenant is not affected.
    expect(
      (await ask(RUN_AGENT, { input: { agentId: 'demo', prompt: 'hi' } }, KEYS.shape)).body.data!.runAgent.__typename,
    ).toBe('RunAgentPayload');
  });

  it('concurrentRuns: of five parallel starts two run and three are refused, then allowed once one ends', async () => {
    const started = await Promise.all(
      [0, 1, 2, 3, 4].map(() => ask(RUN_AGENT, { input: { agentId: 'glacial', prompt: 'slow' } }, KEYS.busy)),
    );
    const refused = started.filter((result) => result.status === 429);
    const running = started
      .filter((result) => result.status === 200)
      .map((result) => result.body.data!.runAgent.workflow.id as string);
    expect(running).toHaveLength(2);
    expect(refused).toHaveLength(3);
    expect(refused[0]!.body.errors![0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      limit: 'concurrentRuns',
      max: 2,
    });
    await ask(CANCEL, { id: running[0] }, KEYS.busy);
    const again = await ask(RUN_AGENT, { input: { agentId: 'glacial', prompt: 'slow' } }, KEYS.busy);
    expect(again.body.data?.runAgent.__typename, JSON.stringify(again.body)).toBe('RunAgentPayload');
    await Promise.all([running[1], again.body.data!.runAgent.workflow.id].map((id) => ask(CANCEL, { id }, KEYS.busy)));
  });
});

describe('subscriptions per connection', () => {
  it('a flood of subscribe attempts on one socket gets errors past the cap, and the socket keeps serving', async () => {
    const runs = await Promise.all(
      [0, 1].map(() => ask(RUN_AGENT, { input: { agentId: 'glacial', prompt: 'watch me' } }, KEYS.flood)),
    );
    const ids = runs.map((run) => run.body.data!.runAgent.workflow.id as string);
    const client = authedWsClient(server.url, KEYS.flood);
    clients.push(client);
    const events: string[] = [];
    const unsubscribers: (() => void)[] = [];
    const refusals: Promise<string>[] = [];
    // Three live subscriptions fill the cap of 3 ...
    for (let index = 0; index < 3; index++) {
      const first = new Promise<void>((resolve) => {
        unsubscribers.push(
          client.subscribe(
            { query: AGENT_STREAM, variables: { workflowId: ids[index % 2] } },
            {
              next: () => {
                events.push('next');
                resolve();
              },
              error: () => {},
              complete: () => {},
            },
          ),
        );
      });
      await first;
    }
    // ... and 200 more attempts are each refused, without closing the socket.
    for (let index = 0; index < 200; index++) {
      refusals.push(
        new Promise((resolve) => {
          client.subscribe(
            { query: AGENT_STREAM, variables: { workflowId: ids[0] } },
            {
              next: () => resolve('next'),
              error: (error) => resolve(JSON.stringify(error)),
              complete: () => resolve('complete'),
            },
          );
        }),
      );
    }
    const outcomes = await Promise.all(refusals);
    expect(outcomes.every((outcome) => outcome.includes('limits.subscriptionsPerConnection = 3'))).toBe(true);
    // Freeing a slot lets a new subscription in on the same socket.
    unsubscribers[0]!();
    const admitted = await new Promise<string>((resolve) => {
      client.subscribe(
        { query: '{ agents { id } }' },
        { next: () => resolve('ok'), error: (error) => resolve(JSON.stringify(error)), complete: () => {} },
      );
    });
    expect(admitted).toBe('ok');
    unsubscribers.forEach((unsubscribe) => unsubscribe());
    await Promise.all(ids.map((id) => ask(CANCEL, { id }, KEYS.flood)));
  });
});

describe('subscriptions per tenant, over SSE and graphql-ws together', () => {
  it('refuses the fifth live subscription of a tenant, and frees the slot when one ends', async () => {
    const runs = await Promise.all(
      [0, 1].map(() => ask(RUN_AGENT, { input: { agentId: 'glacial', prompt: 'watch me' } }, KEYS.sse)),
    );
    const ids = runs.map((run) => run.body.data!.runAgent.workflow.id as string);
    const sse = createSseClient({
      url: server.url,
      retryAttempts: 0,
      headers: { authorization: `Bearer ${KEYS.sse}` },
    });
    const stops: (() => void)[] = [];
    for (let index = 0; index < 4; index++) {
      await new Promise<void>((resolve, reject) => {
        stops.push(
          sse.subscribe(
            { query: AGENT_STREAM, variables: { workflowId: ids[index % 2] } },
            { next: () => resolve(), error: reject, complete: () => {} },
          ),
        );
      });
    }
    const refused = await sseResults(server.url, KEYS.sse, AGENT_STREAM, { workflowId: ids[0] });
    expect(refused.error).toMatchObject({
      status: 429,
      body: expect.stringContaining('limits.subscriptionsPerTenant = 4'),
    });
    const client = authedWsClient(server.url, KEYS.sse);
    clients.push(client);
    const overWs = await wsResults(client, AGENT_STREAM, { workflowId: ids[0] });
    expect(JSON.stringify(overWs)).toContain('limits.subscriptionsPerTenant = 4');
    // Queries are not subscriptions: they still run.
    expect((await wsResults(client, '{ agents { id } }')).results[0]?.data).toBeDefined();
    stops[0]!();
    let admitted: unknown;
    for (let attempt = 0; attempt < 50 && !admitted; attempt++) {
      // The server sees the SSE request end asynchronously: retry briefly until the slot is back.
      const outcome = await new Promise<unknown>((resolve) => {
        const stop = sse.subscribe(
          { query: AGENT_STREAM, variables: { workflowId: ids[1] } },
          {
            next: () => {
              resolve('admitted');
              stop();
            },
            error: () => resolve(undefined),
            complete: () => resolve(undefined),
          },
        );
      });
      admitted = outcome;
      if (!admitted) await sleep(100);
    }
    expect(admitted).toBe('admitted');
    stops.forEach((stop) => stop());
    sse.dispose();
    await Promise.all(ids.map((id) => ask(CANCEL, { id }, KEYS.sse)));
  });
});

describe('InMemoryRateLimiter', () => {
  it('allows a burst of perMinute, then refills continuously, and stays bounded', async () => {
    let now = 0;
    const limiter = new InMemoryRateLimiter(10, () => now);
    for (let index = 0; index < 3; index++) expect(await limiter.take('t', 3)).toEqual({ allowed: true });
    expect(await limiter.take('t', 3)).toEqual({ allowed: false, retryAfterMs: 20_000 });
    now += 10_000;
    expect(await limiter.take('t', 3)).toEqual({ allowed: false, retryAfterMs: 10_000 });
    now += 10_000;
    expect(await limiter.take('t', 3)).toEqual({ allowed: true });
    for (let index = 0; index < 1_000; index++) await limiter.take(`key-${index}`, 3);
    expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(10);
  });
});

describe('callTool inputs (the field arrives with the tools issue; the check is already in place)', () => {
  const limits = parseConfig({ limits: { maxToolArgumentsBytes: 100, maxInputDepth: 4 } }, { env: {} }).limits;

  it('refuses arguments over maxToolArgumentsBytes or maxInputDepth, by name', () => {
    expect(
      inputProblem('callTool', { input: { tool: 'lookup', arguments: { q: 'x'.repeat(10) } } }, limits),
    ).toBeNull();
    expect(
      inputProblem('callTool', { input: { tool: 'lookup', arguments: { q: 'x'.repeat(200) } } }, limits)?.extensions,
    ).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'maxToolArgumentsBytes', max: 100 });
    expect(
      inputProblem('callTool', { input: { tool: 'lookup', arguments: { a: { b: { c: { d: { e: 1 } } } } } } }, limits)
        ?.message,
    ).toBe('input.arguments is nested more than 4 levels deep (limits.maxInputDepth = 4)');
  });

  it('measures depth without recursion, even a million levels down', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 1_000_000; level++) deep = [deep];
    expect(jsonDepthExceeds(deep, 64)).toBe(true);
    expect(jsonDepthExceeds({ a: [1, { b: null }] }, 3)).toBe(false);
    expect(jsonDepthExceeds({ a: [1, { b: {} }] }, 3)).toBe(true);
  });
});
