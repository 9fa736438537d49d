import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/index.js';
import { TRANSPORT_DEFAULTS, transportSettings } from '../../src/transport/settings.js';

const agentConfig = (agent: Record<string, unknown>) =>
  parseConfig(
    { agents: [{ id: 'a', dialect: 'openai-chat', url: 'http://127.0.0.1:1/v1/chat/completions', ...agent }] },
    { env: {}, source: 'test' },
  ).agents[0]!;

describe('transport settings from the agent config', () => {
  it('uses the defaults when the config says nothing', () => {
    expect(transportSettings(agentConfig({}))).toMatchObject({
      connectMs: TRANSPORT_DEFAULTS.connectMs,
      firstEventMs: TRANSPORT_DEFAULTS.firstEventMs,
      idleMs: TRANSPORT_DEFAULTS.idleMs,
      totalMs: TRANSPORT_DEFAULTS.totalMs,
      maxFrameBytes: 1_048_576,
      attempts: 3,
      backoffMs: 250,
      poolConnections: 1_024,
      headers: {},
    });
  });

  it('reads timeouts, pool, retry, headers and maxFrameBytes', () => {
    const settings = transportSettings(
      agentConfig({
        timeouts: { connectMs: 1, headersMs: 2, bodyMs: 3, firstEventMs: 4, idleMs: 5, totalMs: 6 },
        pool: { connections: 2, keepAliveMs: 7 },
        retry: { attempts: 1, backoffMs: 0 },
        headers: { authorization: 'Bearer x' },
        maxFrameBytes: 99,
      }),
    );
    expect(settings).toMatchObject({
      connectMs: 1,
      headersMs: 2,
      bodyMs: 3,
      firstEventMs: 4,
      idleMs: 5,
      totalMs: 6,
      poolConnections: 2,
      keepAliveMs: 7,
      attempts: 1,
      backoffMs: 0,
      maxFrameBytes: 99,
      headers: { authorization: 'Bearer x' },
    });
  });

  it('rejects an unknown pool key, naming it', () => {
    expect(() => agentConfig({ pool: { size: 3 } })).toThrow(ConfigError);
    expect(() => agentConfig({ pool: { size: 3 } })).toThrow(/agents\[0\]\.pool\.size: unknown key/);
  });
});
