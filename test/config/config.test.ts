import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, DIALECT_NAMES, loadConfig, parseConfig } from '../../src/config/index.js';
import type { SynapseConfig } from '../../src/config/index.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'synapse-config-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

/** Loads with an empty environment, so the host's PORT or SYNAPSE_CONFIG cannot leak in. */
function load(options: { configPath?: string; env?: Record<string, string> } = {}): Promise<SynapseConfig> {
  return loadConfig({
    cwd: dir,
    env: options.env ?? {},
    ...(options.configPath ? { configPath: options.configPath } : {}),
  });
}

async function loadError(options: { configPath?: string; env?: Record<string, string> } = {}): Promise<ConfigError> {
  const error: unknown = await load(options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

function parseError(raw: unknown, env: Record<string, string> = {}): ConfigError {
  try {
    parseConfig(raw, { source: 'test.yaml', env, cwd: dir });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const openai = { id: 'support', dialect: 'openai-chat', url: 'http://127.0.0.1:8000/v1/chat/completions' };

describe('loadConfig: files and discovery', () => {
  it('starts with the built-in demo agent and defaults when there is no file', async () => {
    const config = await load();
    expect(config.configPath).toBeNull();
    expect(config.server).toEqual({
      port: 4000,
      host: '127.0.0.1',
      shutdownGraceMs: 10_000,
      leaseMs: 10_000,
      studio: true,
    });
    expect(config.database).toEqual({});
    expect(config.dataDir).toBe(path.join(dir, '.synapse'));
    expect(config.agents).toEqual([
      {
        id: 'demo',
        dialect: 'demo',
        description:
          'Built-in scripted agent: streams its answer word by word, reasons, and calls a calculator tool. Needs no keys.',
        heartbeatMs: 15_000,
        maxFrameBytes: 1_048_576,
        retry: { attempts: 3, backoffMs: 250 },
        demo: { wordDelayMs: 40 },
      },
    ]);
  });

  it('uses the demo agent when the file has no agents', async () => {
    await write('synapse.config.json', JSON.stringify({ server: { port: 5000 } }));
    const config = await load();
    expect(config.server.port).toBe(5000);
    expect(config.agents.map((agent) => agent.id)).toEqual(['demo']);
  });

  it('loads a JSON file with defaults applied', async () => {
    const file = await write(
      'synapse.config.json',
      JSON.stringify({
        server: { port: 4100, host: '0.0.0.0' },
        database: { url: 'postgres://db/synapse' },
        agents: [{ ...openai, model: 'gpt-4o-mini', timeouts: { connectMs: 5000 }, retry: { attempts: 5 } }],
      }),
    );
    const config = await load();
    expect(config.configPath).toBe(file);
    expect(config.server).toEqual({
      port: 4100,
      host: '0.0.0.0',
      shutdownGraceMs: 10_000,
      leaseMs: 10_000,
      studio: true,
    });
    expect(config.database.url).toBe('postgres://db/synapse');
    const [agent] = config.agents;
    expect(agent).toMatchObject({ ...openai, model: 'gpt-4o-mini', timeouts: { connectMs: 5000 } });
    expect(agent?.retry).toEqual({ attempts: 5, backoffMs: 250 });
    expect(agent?.heartbeatMs).toBe(15_000);
    expect(agent?.demo).toBeUndefined();
  });

  it('loads a YAML file, including every dialect family and loose tool sources', async () => {
    await write(
      'synapse.config.yaml',
      [
        'server: { port: 4200 }',
        'agents:',
        '  - id: planner',
        '    dialect: langgraph',
        '    url: http://127.0.0.1:2024',
        '    assistantId: agent',
        '  - id: pyagent',
        '    dialect: synapse-ws',
        '    url: ws://127.0.0.1:8000/ws/pyagent',
        '    tools:',
        '      - { type: mcp, command: node, args: [ mcp-server.mjs ], timeoutMs: 1000 }',
        '  - id: slow-demo',
        '    dialect: demo',
        '    demo: { wordDelayMs: 0 }',
      ].join('\n'),
    );
    const config = await load();
    expect(config.server.port).toBe(4200);
    expect(config.agents.map((agent) => agent.dialect)).toEqual(['langgraph', 'synapse-ws', 'demo']);
    expect(config.agents[0]?.assistantId).toBe('agent');
    expect(config.agents[1]?.tools).toEqual([
      { type: 'mcp', command: 'node', args: ['mcp-server.mjs'], timeoutMs: 1000 },
    ]);
    expect(config.agents[2]?.demo).toEqual({ wordDelayMs: 0 });
  });

  it('discovers .json before .yaml before .yml', async () => {
    await write('synapse.config.yml', 'server: { port: 4003 }');
    expect((await load()).server.port).toBe(4003);
    await write('synapse.config.yaml', 'server: { port: 4002 }');
    expect((await load()).server.port).toBe(4002);
    await write('synapse.config.json', '{ "server": { "port": 4001 } }');
    expect((await load()).server.port).toBe(4001);
  });

  it('prefers --config over SYNAPSE_CONFIG over discovery, resolving relative paths against cwd', async () => {
    await write('synapse.config.json', '{ "server": { "port": 4001 } }');
    const fromEnv = await write('env/from-env.yaml', 'server: { port: 4002 }');
    const fromFlag = await write('flag/from-flag.yml', 'server: { port: 4003 }');

    expect((await load()).server.port).toBe(4001);
    const viaEnv = await load({ env: { SYNAPSE_CONFIG: 'env/from-env.yaml' } });
    expect([viaEnv.server.port, viaEnv.configPath]).toEqual([4002, fromEnv]);
    const viaFlag = await load({ configPath: 'flag/from-flag.yml', env: { SYNAPSE_CONFIG: fromEnv } });
    expect([viaFlag.server.port, viaFlag.configPath]).toEqual([4003, fromFlag]);
  });

  it('fails when an explicitly named file is missing, naming where the path came from', async () => {
    const viaFlag = await loadError({ configPath: 'nope.json' });
    expect(viaFlag.message).toContain(`Invalid configuration in ${path.join(dir, 'nope.json')}:`);
    expect(viaFlag.issues).toEqual([{ path: '--config', message: `no such file: ${path.join(dir, 'nope.json')}` }]);
    const viaEnv = await loadError({ env: { SYNAPSE_CONFIG: 'missing.yaml' } });
    expect(viaEnv.message).toMatch(/ {2}- SYNAPSE_CONFIG: no such file: .*missing\.yaml/);
  });
});

describe('environment overrides', () => {
  it('applies PORT, DATABASE_URL and SYNAPSE_DATA_DIR over the file', async () => {
    await write('synapse.config.json', '{ "server": { "port": 4001 }, "database": { "url": "sqlite://file" } }');
    const config = await load({
      env: { PORT: '8080', DATABASE_URL: 'postgres://env/db', SYNAPSE_DATA_DIR: 'state' },
    });
    expect(config.server.port).toBe(8080);
    expect(config.database.url).toBe('postgres://env/db');
    expect(config.dataDir).toBe(path.join(dir, 'state'));
  });

  it('accepts port 0 (any free port) from the file and from PORT', async () => {
    expect(parseConfig({ server: { port: 0 } }, { env: {}, cwd: dir }).server.port).toBe(0);
    expect((await load({ env: { PORT: '0' } })).server.port).toBe(0);
  });

  it('keeps an absolute SYNAPSE_DATA_DIR and treats empty variables as unset', async () => {
    const absolute = path.join(os.tmpdir(), 'synapse-data-elsewhere');
    const config = await load({ env: { SYNAPSE_DATA_DIR: absolute, PORT: '' } });
    expect(config.dataDir).toBe(absolute);
    expect(config.server.port).toBe(4000);
  });

  it.each(['abc', '-1', '65536', '80.5', '0x50', ' 80'])('rejects PORT=%s, naming PORT', async (port) => {
    const error = await loadError({ env: { PORT: port } });
    expect(error.issues).toEqual([
      { path: 'PORT', message: `environment variable must be an integer from 0 to 65535, received "${port}"` },
    ]);
    expect(error.message).toContain('  - PORT: ');
  });
});

describe('${VAR} substitution', () => {
  const withHeaders = (headers: Record<string, string>) => ({ agents: [{ ...openai, headers }] });

  it('substitutes variables in string values, after parsing', async () => {
    await write(
      'synapse.config.yaml',
      [
        'agents:',
        '  - id: support',
        '    dialect: openai-chat',
        '    url: ${UPSTREAM}/v1/chat/completions',
        '    headers: { authorization: "Bearer ${OPENAI_API_KEY}" }',
      ].join('\n'),
    );
    // A value that looks like YAML stays a plain string: substitution never touches the raw text.
    const key = 'sk-1: [not yaml]';
    const config = await load({ env: { UPSTREAM: 'https://api.example', OPENAI_API_KEY: key } });
    expect(config.agents[0]?.url).toBe('https://api.example/v1/chat/completions');
    expect(config.agents[0]?.headers).toEqual({ authorization: `Bearer ${key}` });
  });

  it('names the key path and the variable when a variable is unset', () => {
    const error = parseError(withHeaders({ authorization: 'Bearer ${OPENAI_API_KEY}' }));
    expect(error.issues).toEqual([
      { path: 'agents[0].headers.authorization', message: 'environment variable OPENAI_API_KEY is not set' },
    ]);
    expect(error.message).toBe(
      'Invalid configuration in test.yaml:\n' +
        '  - agents[0].headers.authorization: environment variable OPENAI_API_KEY is not set',
    );
  });

  it('turns $${NAME} into a literal ${NAME}', () => {
    const config = parseConfig(withHeaders({ literal: 'cost: $${PRICE} and $5' }), { env: { PRICE: '3' }, cwd: dir });
    expect(config.agents[0]?.headers?.literal).toBe('cost: ${PRICE} and $5');
  });

  it('uses ${NAME:-default} when the variable is unset or empty', () => {
    const raw = withHeaders({ a: '${REGION:-eu}', b: '${EMPTY:-fallback}', c: '${SET:-unused}', d: '${NONE:-}' });
    const config = parseConfig(raw, { env: { EMPTY: '', SET: 'value' }, cwd: dir });
    expect(config.agents[0]?.headers).toEqual({ a: 'eu', b: 'fallback', c: 'value', d: '' });
  });

  it('reports a malformed reference instead of passing it through', () => {
    const error = parseError(withHeaders({ bad: '${not valid}' }));
    expect(error.issues[0]?.path).toBe('agents[0].headers.bad');
    expect(error.issues[0]?.message).toMatch(/malformed/);
  });
});

describe('validation messages name the key', () => {
  it('bad dialect: what was received, the allowed values, and a suggestion', () => {
    const error = parseError({ agents: [{ ...openai, dialect: 'openai_chat' }] });
    expect(error.issues).toHaveLength(1);
    const [issue] = error.issues;
    expect(issue?.path).toBe('agents[0].dialect');
    expect(issue?.message).toContain('received "openai_chat"');
    expect(issue?.message).toContain('did you mean "openai-chat"?');
    for (const dialect of DIALECT_NAMES) expect(issue?.message).toContain(dialect);
    expect(error.message).toMatch(/^Invalid configuration in test\.yaml:\n {2}- agents\[0\]\.dialect: received/);
  });

  it('unknown top-level key', () => {
    const error = parseError({ sever: { port: 1 } });
    expect(error.issues).toEqual([
      {
        path: 'sever',
        message:
          'unknown key (did you mean "server"?); allowed keys: server, database, agents, redis, retention, auth, limits, webhooks, webhookDelivery',
      },
    ]);
  });

  it('unknown agent key', () => {
    const error = parseError({ agents: [{ ...openai, modle: 'gpt-4o' }] });
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toBe('agents[0].modle');
    expect(error.issues[0]?.message).toMatch(/^unknown key \(did you mean "model"\?\); allowed keys: id, dialect, /);
  });

  it('wrong type for port: expected vs received', () => {
    expect(parseError({ server: { port: '4000' } }).issues).toEqual([
      { path: 'server.port', message: 'expected a number, received the string "4000"' },
    ]);
    expect(parseError({ server: { port: true } }).issues).toEqual([
      { path: 'server.port', message: 'expected a number, received the boolean true' },
    ]);
    expect(parseError({ server: { port: 70_000 } }).issues).toEqual([
      { path: 'server.port', message: 'expected an integer from 0 to 65535, received 70000' },
    ]);
  });

  it('duplicate agent id names the later occurrence', () => {
    const agents = [openai, { ...openai, id: 'b' }, { ...openai, id: 'c' }, { ...openai }];
    expect(parseError({ agents }).issues).toEqual([
      { path: 'agents[3].id', message: 'duplicate agent id "support" (already used by agents[0])' },
    ]);
  });

  it('missing url for a non-demo dialect', () => {
    expect(parseError({ agents: [{ id: 'x', dialect: 'anthropic-messages' }] }).issues).toEqual([
      { path: 'agents[0].url', message: 'required for dialect "anthropic-messages"' },
    ]);
  });

  it('http url on a WebSocket dialect, and ws url on an HTTP dialect', () => {
    const agents = [
      { id: 'ws', dialect: 'chat-ws', url: 'http://127.0.0.1:8000/ws' },
      { id: 'sse', dialect: 'workflow-sse', url: 'wss://127.0.0.1/stream' },
      { id: 'junk', dialect: 'ai-sdk', url: 'not a url' },
    ];
    expect(parseError({ agents }).issues).toEqual([
      { path: 'agents[0].url', message: 'dialect "chat-ws" needs a ws:// or wss:// URL, not http://' },
      { path: 'agents[1].url', message: 'dialect "workflow-sse" needs an http:// or https:// URL, not wss://' },
      { path: 'agents[2].url', message: 'not a valid absolute URL' },
    ]);
  });

  it('langgraph without assistantId', () => {
    expect(
      parseError({ agents: [{ id: 'planner', dialect: 'langgraph', url: 'http://127.0.0.1:2024' }] }).issues,
    ).toEqual([
      { path: 'agents[0].assistantId', message: 'required for dialect "langgraph" (the graph or assistant to run)' },
    ]);
  });

  it('reports every problem at once, including cross-key rules beside type errors', () => {
    const error = parseError(
      {
        agents: [
          { id: 'a', dialect: 'openai-chat', heartbeatMs: 1.5 },
          { id: 'a', dialect: 'demo' },
        ],
      },
      { PORT: 'abc' },
    );
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'agents[0].heartbeatMs',
      'agents[0].url',
      'agents[1].id',
      'PORT',
    ]);
  });

  it('rejects other malformed shapes with readable messages', () => {
    expect(parseError([]).issues).toEqual([
      { path: '(root)', message: 'expected an object with the sections server, database, agents; received a list' },
    ]);
    expect(parseError({ agents: [] }).issues[0]?.path).toBe('agents');
    const error = parseError({ agents: [{ id: '-x', dialect: 'demo', headers: { a: 1 }, tools: [{ type: 'ftp' }] }] });
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'agents[0].id',
      'agents[0].headers.a',
      'agents[0].tools[0].type',
    ]);
    expect(error.issues[1]?.message).toBe('expected a string, received the integer 1');
  });
});

describe('syntax errors', () => {
  it('YAML syntax error names the line and column', async () => {
    await write('synapse.config.yaml', 'server:\n  port: 4000\nagents:\n  - id: a\n    headers: { a: "b"\n');
    const error = await loadError();
    expect(error.message).toContain(`Invalid configuration in ${path.join(dir, 'synapse.config.yaml')}:`);
    expect(error.issues[0]?.path).toBe('(file)');
    expect(error.issues[0]?.message).toMatch(/^YAML syntax error at line \d+, column \d+: /);
  });

  it('YAML error on a known line', async () => {
    await write('synapse.config.yml', 'server:\n  port: 4000\n  port: 4001\n');
    const error = await loadError();
    expect(error.issues).toEqual([
      { path: '(file)', message: 'YAML syntax error at line 3, column 3: Map keys must be unique' },
    ]);
  });

  it('invalid JSON names the line and column', async () => {
    await write('synapse.config.json', '{\n  "server": { "port": 4000, }\n}\n');
    const error = await loadError();
    expect(error.issues[0]?.path).toBe('(file)');
    expect(error.issues[0]?.message).toMatch(/^JSON syntax error at line 2, column 29: /);
  });

  it('an empty YAML file means no settings', async () => {
    await write('synapse.config.yaml', '# nothing yet\n');
    expect((await load()).agents.map((agent) => agent.id)).toEqual(['demo']);
  });
});
