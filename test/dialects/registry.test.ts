import { describe, expect, it } from 'vitest';
import { AgentRegistry } from '../../src/bridge/index.js';
import { ConfigError, parseConfig } from '../../src/config/index.js';
import { dialects } from '../../src/dialects/index.js';

describe('dialect registry', () => {
  it('refuses an agent whose dialect this build does not implement, naming the agent', () => {
    const config = parseConfig(
      { agents: [{ id: 'gpt', dialect: 'openai-chat', url: 'http://127.0.0.1:1/v1/chat/completions' }] },
      { env: {}, source: 'test' },
    );
    const build = () => new AgentRegistry(config.agents, new Map(), 'test');
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/agents\[0\]\.dialect: "openai-chat" is not implemented by this build yet/);
  });

  it('binds every implemented dialect by its config name', () => {
    for (const [name, dialect] of dialects) expect(dialect.name).toBe(name);
    expect([...dialects.keys()]).toContain('openai-chat');
  });
});
