import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MOCK_DIALECTS,
  startMockUpstream,
  type MockDialectName,
  type MockFault,
  type RunningMock,
} from '../../src/mock-upstream/index.js';
import { DIALECT_CASES } from './expectations.js';
import { startGateway, terminalOf, type StreamedEvent } from './harness.js';

/**
 * Every dialect against every stream fault, through the gateway: each run ends with exactly one
 * terminal event of the right code, the events before the fault are kept, and a cancelled run's
 * upstream connection is closed at once.
 */
const FAULTS: Record<string, MockFault> = {
  http500: { status: 500 },
  reset: { resetAfterFrames: 4 },
  truncated: { truncateAfterFrames: 4 },
  malformed: { malformedAfterFrames: 4 },
  oversized: { oversizedAfterFrames: 4, oversizedBytes: 8_192 },
  cancel: { stallAfterFrames: 6 },
  retry429: { status: 429, statusTimes: 1, retryAfter: '0' },
  idle: { stallAfterFrames: 4 },
};

/** Per-fault agent settings beside the defaults of the matrix (one attempt, 4 KiB frames). */
const AGENT_OPTIONS: Record<string, Record<string, unknown>> = {
  retry429: { retry: { attempts: 2, backoffMs: 0 } },
  idle: { heartbeatMs: 50, timeouts: { idleMs: 600 } },
};

const EXPECTED: Record<string, string> = {
  http500: 'UPSTREAM_HTTP_500',
  reset: 'UPSTREAM_DISCONNECTED',
  truncated: 'UPSTREAM_DISCONNECTED',
  malformed: 'UPSTREAM_PROTOCOL',
  oversized: 'UPSTREAM_PROTOCOL',
  idle: 'UPSTREAM_TIMEOUT',
};

const mocks = new Map<string, RunningMock>();
let gateway: Awaited<ReturnType<typeof startGateway>>;
const id = (dialect: string, fault: string) => `${dialect}-${fault}`;

beforeAll(async () => {
  const agents: Record<string, unknown>[] = [];
  for (const dialect of MOCK_DIALECTS) {
    for (const [name, fault] of Object.entries(FAULTS)) {
      const mock = await startMockUpstream({ dialect, fault, chunking: 'random' });
      mocks.set(id(dialect, name), mock);
      agents.push({
        id: id(dialect, name),
        dialect,
        ...DIALECT_CASES[dialect]!.agent(mock.url),
        retry: { attempts: 1, backoffMs: 0 },
        maxFrameBytes: 4_096,
        ...AGENT_OPTIONS[name],
      });
    }
  }
  gateway = await startGateway(agents);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([...mocks.values()].map((mock) => mock.close()));
});

describe.each([...MOCK_DIALECTS] as MockDialectName[])('%s', (dialect) => {
  it.each(Object.keys(EXPECTED))('%s', async (fault) => {
    const events = await gateway.runAndStream({ agentId: id(dialect, fault), prompt: 'weather?' });
    // LangGraph's API ends a run by ending its stream: a clean early end reads as completion
    if (dialect === 'langgraph' && fault === 'truncated') {
      expect(terminalOf(events).__typename).toBe('RunCompleted');
      return;
    }
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: EXPECTED[fault] });
    if (fault !== 'http500') expect(events.length).toBeGreaterThan(1);
  });

  it('retries a 429 (Retry-After: 0), then streams the whole run', async () => {
    const events = await gateway.runAndStream({ agentId: id(dialect, 'retry429'), prompt: 'weather?' });
    expect(terminalOf(events).__typename).toBe('RunCompleted');
  });

  it('cancel closes the upstream connection at once', async () => {
    const agentId = id(dialect, 'cancel');
    const run = await gateway.run({ agentId, prompt: 'weather?' });
    let cancelled = null as Promise<unknown> | null; // set in a callback: not narrowed to null
    const events = await gateway.stream(run.id, (event: StreamedEvent) => {
      if (event.__typename !== 'RunStarted' && event.__typename !== 'Heartbeat' && !cancelled)
        cancelled = gateway.cancel(run.id);
    });
    expect(terminalOf(events).__typename).toBe('RunCancelled');
    expect(await cancelled).toMatchObject({ cancelled: true });
    await mocks.get(agentId)!.waitForClientDisconnect();
  });
});
