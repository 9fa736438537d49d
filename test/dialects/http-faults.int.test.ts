import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type Chunking, type MockFault, type RunningMock } from '../../src/mock-upstream/index.js';
import { ofType, startGateway, terminalOf, textOf, type StreamedEvent } from './harness.js';
import { refusedPort } from '../helpers/net.js';

/**
 * Transport faults against a real SSE upstream (the openai-chat mock), through the real gateway:
 * each ends in the right RunFailed code, keeps the events before it, and leaves the gateway
 * serving other runs.
 */
const FAULTS: Record<
  string,
  { fault?: MockFault; scenario?: string; frameDelayMs?: number; chunking?: Chunking; agent?: Record<string, unknown> }
> = {
  retry429: { fault: { status: 429, statusTimes: 1, retryAfter: '1' } },
  retry503: { fault: { status: 503, statusTimes: 1 } },
  http400: { fault: { status: 400 } },
  http401: { fault: { status: 401 } },
  http500: { fault: { status: 500 } },
  reset: { fault: { resetAfterFrames: 4 } },
  truncated: { fault: { truncateAfterFrames: 4 } },
  malformed: { fault: { malformedAfterFrames: 3 } },
  garbage: { fault: { garbageAfterFrames: 3 } },
  oversized: { fault: { oversizedAfterFrames: 3, oversizedBytes: 10_000 }, agent: { maxFrameBytes: 4_096 } },
  firstEvent: { fault: { stallAfterFrames: 0 }, agent: { timeouts: { firstEventMs: 300 } } },
  slowHeaders: { fault: { headersDelayMs: 3_000 }, agent: { timeouts: { firstEventMs: 300 } } },
  keepAlive: { scenario: 'text', chunking: 'byte' },
  idle: { fault: { stallAfterFrames: 4 }, agent: { heartbeatMs: 40, timeouts: { idleMs: 1_000 } } },
  total: { frameDelayMs: 150, agent: { timeouts: { totalMs: 500 } } },
  cancel: { fault: { stallAfterFrames: 4 } },
  midStreamError: { scenario: 'error' },
  jsonValid: {
    scenario: 'json',
    agent: { outputSchema: { type: 'object', required: ['answer'], properties: { answer: { type: 'integer' } } } },
  },
  jsonInvalid: {
    scenario: 'json',
    agent: { outputSchema: { type: 'object', required: ['answer'], properties: { answer: { type: 'string' } } } },
  },
};

const mocks: Record<string, RunningMock> = {};
let gateway: Awaited<ReturnType<typeof startGateway>>;
let closedPort: number;

beforeAll(async () => {
  // nothing listens there, and no other test's server can take it (below the ephemeral range)
  closedPort = await refusedPort();
  const agents: Record<string, unknown>[] = [{ id: 'demo', dialect: 'demo', demo: { wordDelayMs: 0 } }];
  for (const [name, setup] of Object.entries(FAULTS)) {
    mocks[name] = await startMockUpstream({
      dialect: 'openai-chat',
      scenario: setup.scenario ?? 'full',
      fault: setup.fault,
      frameDelayMs: setup.frameDelayMs,
      chunking: setup.chunking,
    });
    agents.push({
      id: name,
      dialect: 'openai-chat',
      url: `${mocks[name].url}/v1/chat/completions`,
      retry: { attempts: 2, backoffMs: 10 },
      ...setup.agent,
    });
  }
  agents.push({
    id: 'refused',
    dialect: 'openai-chat',
    url: `http://127.0.0.1:${closedPort}/v1/chat/completions`,
    retry: { attempts: 3, backoffMs: 10 },
  });
  gateway = await startGateway(agents);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(Object.values(mocks).map((mock) => mock.close()));
});

const run = (agentId: string) => gateway.runAndStream({ agentId, prompt: 'weather in Zürich and Tokyo?' });

describe('retries', () => {
  it('retries a 429 after its Retry-After, then streams the run', async () => {
    const started = Date.now();
    const events = await run('retry429');
    expect(terminalOf(events).__typename).toBe('RunCompleted');
    expect(mocks.retry429!.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('retries a 503 with backoff', async () => {
    const events = await run('retry503');
    expect(terminalOf(events).__typename).toBe('RunCompleted');
    expect(mocks.retry503!.requests).toHaveLength(2);
    const metrics = await (await fetch(gateway.server.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toContain('synapse_upstream_retries_total{agent_id="retry503"} 1');
  });

  it('never retries another 4xx', async () => {
    for (const [agent, code] of [
      ['http400', 'UPSTREAM_HTTP_400'],
      ['http401', 'UPSTREAM_HTTP_401'],
    ] as const) {
      const events = await run(agent);
      expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code, retryable: false });
      expect(mocks[agent]!.requests).toHaveLength(1);
    }
  });

  it('gives up on a 5xx after the configured attempts', async () => {
    const events = await run('http500');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_HTTP_500', retryable: true });
    expect(terminalOf(events).message).toContain('after 2 attempts');
    expect(mocks.http500!.requests).toHaveLength(2);
  });

  it('retries a refused connection, then fails with UPSTREAM_DISCONNECTED', async () => {
    const events = await run('refused');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_DISCONNECTED' });
    expect(terminalOf(events).message).toMatch(/could not connect .*ECONNREFUSED.*after 3 attempts/);
  });

  it('does not retry once an upstream event was committed: a reset mid-stream ends the run', async () => {
    const events = await run('reset');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_DISCONNECTED' });
    expect(ofType(events, 'ReasoningDelta').length).toBeGreaterThan(0);
    expect(mocks.reset!.requests).toHaveLength(1);
  });
});

describe('broken streams', () => {
  it('a stream that ends without its terminal frame is UPSTREAM_DISCONNECTED, events kept', async () => {
    const events = await run('truncated');
    expect(terminalOf(events)).toMatchObject({
      __typename: 'RunFailed',
      code: 'UPSTREAM_DISCONNECTED',
      retryable: true,
    });
    expect(textOf(events)).toBe('Checking the café ☕ ');
    expect(mocks.truncated!.requests).toHaveLength(1);
  });

  it.each([['malformed'], ['garbage']])('a %s frame is UPSTREAM_PROTOCOL', async (agent) => {
    const events = await run(agent);
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_PROTOCOL', retryable: false });
    expect(ofType(events, 'ReasoningDelta')).toHaveLength(2);
  });

  it('a frame over maxFrameBytes is UPSTREAM_PROTOCOL', async () => {
    const events = await run('oversized');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_PROTOCOL' });
    expect(terminalOf(events).message).toContain('maxFrameBytes (4096 bytes)');
  });

  it('an error reported mid-stream is UPSTREAM_ERROR with the text so far kept', async () => {
    const events = await run('midStreamError');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_ERROR' });
    expect(terminalOf(events).message).toContain('The server had an error');
    expect(textOf(events)).toBe('Partial ');
  });
});

describe('timeouts', () => {
  it('first-event timeout', async () => {
    const events = await run('firstEvent');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_TIMEOUT', retryable: true });
    expect(terminalOf(events).message).toMatch(/^first-event timeout/);
    await mocks.firstEvent!.waitForClientDisconnect();
  });

  it('first-event timeout while the response headers are still awaited aborts the request', async () => {
    const events = await run('slowHeaders');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_TIMEOUT' });
    expect(terminalOf(events).message).toMatch(/^first-event timeout/);
    await mocks.slowHeaders!.waitForClientDisconnect();
  });

  it('idle timeout, with Heartbeats while the upstream is silent', async () => {
    const workflow = await gateway.run({ agentId: 'idle', prompt: 'hi' });
    const live: StreamedEvent[] = [];
    const events = await gateway.stream(workflow.id, (event) => live.push(event));
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_TIMEOUT' });
    expect(terminalOf(events).message).toMatch(/^idle timeout/);
    expect(live.filter((event) => event.__typename === 'Heartbeat').length).toBeGreaterThan(0);
    expect(ofType(events, 'ReasoningDelta')).toHaveLength(2);
  });

  it('total timeout', async () => {
    const events = await run('total');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_TIMEOUT' });
    expect(terminalOf(events).message).toMatch(/^total timeout/);
  });
});

describe('cancel', () => {
  it('cancelWorkflow mid-stream closes the upstream connection at once', async () => {
    const workflow = await gateway.run({ agentId: 'cancel', prompt: 'hi' });
    let cancelled = null as Promise<unknown> | null; // set in a callback: not narrowed to null
    const events = await gateway.stream(workflow.id, (event) => {
      if (event.__typename === 'TextDelta' && !cancelled) cancelled = gateway.cancel(workflow.id);
    });
    expect(terminalOf(events).__typename).toBe('RunCancelled');
    await mocks.cancel!.waitForClientDisconnect();
    expect(mocks.cancel!.clientDisconnects).toBe(1);
    expect(await cancelled).toMatchObject({ cancelled: true });
  });
});

describe('outputSchema', () => {
  it('accepts a conforming output, parsed from the text', async () => {
    const events = await run('jsonValid');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunCompleted', output: { answer: 42, unit: 'none' } });
  });

  it('fails a violating output with OUTPUT_VALIDATION listing the violations', async () => {
    const events = await run('jsonInvalid');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'OUTPUT_VALIDATION', retryable: false });
    expect(terminalOf(events).message).toContain('/answer must be string');
  });
});

describe('the shared pool', () => {
  it('reuses one keep-alive connection for sequential runs of an origin', async () => {
    for (let index = 0; index < 4; index++) expect(terminalOf(await run('keepAlive')).__typename).toBe('RunCompleted');
    expect(mocks.keepAlive!.requests).toHaveLength(4);
    expect(mocks.keepAlive!.connections).toBe(1);
  });
});

describe('the gateway after all of that', () => {
  it('still serves other runs', async () => {
    const events = await run('demo');
    expect(terminalOf(events).__typename).toBe('RunCompleted');
  });
});
