import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockFault, type RunningMock } from '../../src/mock-upstream/index.js';
import { ofType, startGateway, terminalOf, textOf } from './harness.js';

/** Transport faults against a real WebSocket upstream (the synapse-ws mock), through the gateway. */
const FAULTS: Record<string, { fault?: MockFault; agent?: Record<string, unknown> }> = {
  handshake429: { fault: { status: 429, statusTimes: 1, retryAfter: '0' } },
  handshake403: { fault: { status: 403 } },
  reset: { fault: { resetAfterFrames: 2 } },
  truncated: { fault: { truncateAfterFrames: 2 } },
  malformed: { fault: { malformedAfterFrames: 2 } },
  oversized: { fault: { oversizedAfterFrames: 2, oversizedBytes: 10_000 }, agent: { maxFrameBytes: 4_096 } },
  idle: { fault: { stallAfterFrames: 2 }, agent: { timeouts: { idleMs: 800 } } },
  cancel: { fault: { stallAfterFrames: 2 } },
};

const mocks: Record<string, RunningMock> = {};
let gateway: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  const agents: Record<string, unknown>[] = [];
  for (const [name, setup] of Object.entries(FAULTS)) {
    mocks[name] = await startMockUpstream({ dialect: 'synapse-ws', fault: setup.fault });
    agents.push({
      id: name,
      dialect: 'synapse-ws',
      url: `${mocks[name].url}/ws/support`,
      retry: { attempts: 2, backoffMs: 10 },
      ...setup.agent,
    });
  }
  gateway = await startGateway(agents);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(Object.values(mocks).map((mock) => mock.close()));
});

const run = (agentId: string) => gateway.runAndStream({ agentId, prompt: 'weather?' });

describe('WebSocket upstream faults', () => {
  it('retries a handshake answered 429, then streams', async () => {
    const events = await run('handshake429');
    expect(terminalOf(events).__typename).toBe('RunCompleted');
    expect(mocks.handshake429!.requests).toHaveLength(2);
  });

  it('fails a handshake answered 403 with UPSTREAM_HTTP_403, without retrying', async () => {
    const events = await run('handshake403');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_HTTP_403', retryable: false });
    expect(mocks.handshake403!.requests).toHaveLength(1);
  });

  it('an abnormal close mid-stream is UPSTREAM_DISCONNECTED, events before it kept', async () => {
    const events = await run('reset');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_DISCONNECTED' });
    expect(textOf(events)).toBe('Checking the café ☕ ');
    expect(mocks.reset!.requests).toHaveLength(1);
  });

  it('a clean close before the complete frame is UPSTREAM_DISCONNECTED', async () => {
    const events = await run('truncated');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_DISCONNECTED' });
    expect(ofType(events, 'LogMessage')).toHaveLength(1);
  });

  it('a message that is not JSON is UPSTREAM_PROTOCOL', async () => {
    const events = await run('malformed');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_PROTOCOL' });
  });

  it('a message over maxFrameBytes is UPSTREAM_PROTOCOL', async () => {
    const events = await run('oversized');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_PROTOCOL' });
    expect(terminalOf(events).message).toContain('maxFrameBytes (4096 bytes)');
    expect(textOf(events)).toBe('Checking the café ☕ ');
  });

  it('an upstream that goes silent ends with the idle timeout and its socket closed', async () => {
    const events = await run('idle');
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_TIMEOUT' });
    expect(terminalOf(events).message).toMatch(/^idle timeout/);
    await mocks.idle!.waitForClientDisconnect();
  });

  it('cancelWorkflow closes the upstream socket at once', async () => {
    const workflow = await gateway.run({ agentId: 'cancel', prompt: 'hi' });
    let cancelled = null as Promise<unknown> | null; // set in a callback: not narrowed to null
    const events = await gateway.stream(workflow.id, (event) => {
      if (event.__typename === 'TextDelta' && !cancelled) cancelled = gateway.cancel(workflow.id);
    });
    expect(terminalOf(events).__typename).toBe('RunCancelled');
    await mocks.cancel!.waitForClientDisconnect();
    expect(await cancelled).toMatchObject({ cancelled: true });
  });
});
