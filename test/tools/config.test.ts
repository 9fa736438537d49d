import { describe, expect, it } from 'vitest';
import { AgentRegistry } from '../../src/bridge/index.js';
import { ConfigError, parseConfig } from '../../src/config/index.js';
import { dialects } from '../../src/dialects/index.js';
import { silentLogger } from '../../src/logger.js';
import { ToolRegistry } from '../../src/tools/index.js';

const parse = (tools: unknown[]) =>
  parseConfig({ agents: [{ id: 'a', dialect: 'demo', tools }] }, { source: 'test.yaml', env: {} });

function issuesOf(action: () => unknown): readonly { path: string; message: string }[] {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('the tools key of an agent', () => {
  it('accepts every documented source type, without adding defaults', () => {
    const config = parse([
      {
        type: 'agent',
        url: 'http://127.0.0.1:8000/agents/support/tool_call',
        tools: [{ name: 'get_weather', description: 'd', inputSchema: { type: 'object' } }],
      },
      {
        type: 'http',
        name: 'lookup',
        url: 'http://127.0.0.1:9000/lookup',
        method: 'POST',
        inputSchema: { type: 'object' },
        timeoutMs: 500,
        maxResultBytes: 1000,
      },
      { type: 'mcp', url: 'http://127.0.0.1:9100/mcp' },
      { type: 'mcp', command: 'node', args: ['mcp-server.mjs'], env: { A: 'b' } },
    ]);
    expect(config.agents[0]!.tools![1]).toEqual({
      type: 'http',
      name: 'lookup',
      url: 'http://127.0.0.1:9000/lookup',
      method: 'POST',
      inputSchema: { type: 'object' },
      timeoutMs: 500,
      maxResultBytes: 1000,
    });
  });

  it('names each bad key of each source', () => {
    const issues = issuesOf(() =>
      parse([
        { type: 'agent', url: 'ftp://x', tools: [] },
        { type: 'http', url: 'http://127.0.0.1:9000/x', method: 'FETCH', timeoutMs: 0 },
        { type: 'mcp' },
        { type: 'mcp', url: 'http://127.0.0.1:9100/mcp', command: 'node', args: ['x'] },
        { type: 'http', name: 'bad name', url: 'http://127.0.0.1:9000/x', verb: 'POST' },
      ]),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      'agents[0].tools[0].url',
      'agents[0].tools[0].tools',
      'agents[0].tools[1].name',
      'agents[0].tools[1].method',
      'agents[0].tools[1].timeoutMs',
      'agents[0].tools[2].url',
      'agents[0].tools[3].command',
      'agents[0].tools[3].args',
      'agents[0].tools[4].name',
      'agents[0].tools[4].verb',
    ]);
    expect(issues[0]!.message).toBe('must be an absolute http:// or https:// URL');
    expect(issues[5]!.message).toBe('give `url` (streamable HTTP) or `command` (stdio)');
  });

  it('stops start-up on an inputSchema that is not a JSON Schema, and on a tool name given twice', () => {
    const config = parse([
      { type: 'http', name: 'lookup', url: 'http://127.0.0.1:9000/x', inputSchema: { type: 'nonsense' } },
      { type: 'http', name: 'calculator', url: 'http://127.0.0.1:9000/y' },
      { type: 'agent', url: 'http://127.0.0.1:9000/z', tools: [{ name: 'lookup', inputSchema: {} }] },
    ]);
    const agents = new AgentRegistry(config.agents, dialects);
    const issues = issuesOf(() => new ToolRegistry(agents, { logger: silentLogger }));
    expect(issues).toEqual([
      { path: 'agents[0].tools[0].inputSchema', message: expect.stringMatching(/^not a valid JSON Schema: /) },
      { path: 'agents[0].tools[1].name', message: 'tool "calculator" is already provided by the dialect' },
      { path: 'agents[0].tools[2].tools[0].name', message: 'tool "lookup" is already provided by agents[0].tools[0]' },
    ]);
  });
});

describe('the agent tool endpoint of a synapse-ws agent', () => {
  it('is derived from the agent ws:// url as the Python wrapper lays it out', async () => {
    const { deriveAgentToolUrl } = await import('../../src/tools/agent-tool-url.js');
    expect(deriveAgentToolUrl({ dialect: 'synapse-ws', url: 'ws://127.0.0.1:8000/ws/pyagent' })).toBe(
      'http://127.0.0.1:8000/agents/pyagent/tool_call',
    );
    expect(deriveAgentToolUrl({ dialect: 'synapse-ws', url: 'wss://agents.example:443/ws/support/' })).toBe(
      'https://agents.example/agents/support/tool_call',
    );
    expect(deriveAgentToolUrl({ dialect: 'synapse-ws', url: 'ws://127.0.0.1:8000' })).toBeUndefined();
    expect(deriveAgentToolUrl({ dialect: 'chat-ws', url: 'ws://127.0.0.1:8000/ws/x' })).toBeUndefined();
  });

  it('must be given for any other dialect', () => {
    const config = parse([{ type: 'agent', tools: [{ name: 'get_weather', inputSchema: { type: 'object' } }] }]);
    const agents = new AgentRegistry(config.agents, dialects);
    expect(issuesOf(() => new ToolRegistry(agents, { logger: silentLogger }))).toEqual([
      {
        path: 'agents[0].tools[0].url',
        message: 'required (it is derived from the agent url only for dialect "synapse-ws")',
      },
    ]);
  });
});
