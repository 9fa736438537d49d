import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type RunningMock } from '../../src/mock-upstream/index.js';
import { TRANSPORT_DEFAULTS } from '../../src/transport/settings.js';
import { ofType, startGateway, terminalOf } from '../dialects/harness.js';
import { sleep } from '../helpers/async.js';

/**
 * A run whose upstream origin's pool is at its cap waits for a connection, visibly: a LogMessage
 * (WARN) on the run and `synapse_upstream_pool_waits_total`; it still completes once a
 * connection is free. The default cap is sized for streaming, not undici's 16.
 */
describe('upstream pool cap', () => {
  let upstream: RunningMock;
  beforeAll(async () => {
    upstream = await startMockUpstream({ dialect: 'openai-chat', scenario: 'text', frameDelayMs: 40 });
  });
  afterAll(async () => {
    await upstream.close();
  });

  it('defaults to far more than 16 connections per origin', () => {
    expect(TRANSPORT_DEFAULTS.poolConnections).toBeGreaterThanOrEqual(1_000);
  });

  it('a run that finds every connection busy says so on its stream and in the metrics, then completes', async () => {
    const gateway = await startGateway([
      { id: 'narrow', dialect: 'openai-chat', url: upstream.url, pool: { connections: 1 } },
    ]);
    try {
      const first = await gateway.run({ agentId: 'narrow', prompt: 'one' });
      // The first run holds the only connection while it streams.
      await sleep(100);
      const second = await gateway.run({ agentId: 'narrow', prompt: 'two' });
      const [firstEvents, secondEvents] = await Promise.all([gateway.stream(first.id), gateway.stream(second.id)]);

      expect(terminalOf(firstEvents).__typename).toBe('RunCompleted');
      expect(ofType(firstEvents, 'LogMessage')).toEqual([]);
      expect(terminalOf(secondEvents).__typename).toBe('RunCompleted');
      const notices = ofType(secondEvents, 'LogMessage');
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ level: 'WARN' });
      expect(notices[0]!.message).toMatch(
        /^waiting for a free connection to http:\/\/127\.0\.0\.1:\d+: all 1 connections of its pool are in use/,
      );
      // The notice comes before the upstream's first event.
      expect(secondEvents.findIndex((event) => event.__typename === 'LogMessage')).toBeLessThan(
        secondEvents.findIndex((event) => event.__typename === 'TextDelta'),
      );

      const metrics = await (await fetch(gateway.server.url.replace('/graphql', '/metrics'))).text();
      expect(metrics).toMatch(/^synapse_upstream_pool_waits_total\{agent_id="narrow"\} 1$/m);
    } finally {
      await gateway.stop();
    }
  });
});
