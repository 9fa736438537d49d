import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import type { Logger } from '../../src/logger.js';
import { createSynapseServer, type SynapseServer } from '../../src/server/index.js';
import { authedRequest, authedWsClient, wsResults } from '../helpers/auth-clients.js';
import { RUN_AGENT } from '../helpers/operations.js';
import { startGatewayProcess } from '../helpers/process.js';

const SECRET = 'sk-live-DO-NOT-LEAK-4242';
const AGENTS = [
  { id: 'demo', dialect: 'demo', demo: { wordDelayMs: 1 }, headers: { authorization: `Bearer ${SECRET}` } },
];

function recordingLogger(): Logger & { text: () => string } {
  const lines: string[] = [];
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push(
      JSON.stringify({ level, message, fields }, (_key, value) =>
        value instanceof Error ? { message: value.message, stack: value.stack } : value,
      ),
    );
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    text: () => lines.join('\n'),
  };
}

describe('production mode', () => {
  let server: SynapseServer;
  let dataDir: string;
  const logger = recordingLogger();

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-prod-'));
    const config = parseConfig(
      { server: { port: 0, shutdownGraceMs: 500 }, agents: AGENTS },
      { env: { SYNAPSE_DATA_DIR: dataDir } },
    );
    server = await createSynapseServer({ config, logger, development: false });
    await server.listen();
  });

  afterAll(async () => {
    await server.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses introspection, over HTTP and graphql-ws', async () => {
    const http = await authedRequest(server.url, null, '{ __schema { types { name } } }');
    expect(http.status).toBe(400);
    expect(http.body.errors?.[0]?.message).toMatch(/introspection/i);
    const client = authedWsClient(server.url, null);
    const overWs = await wsResults(client, '{ __type(name: "Agent") { fields { name } } }');
    await client.dispose();
    expect(JSON.stringify(overWs.error)).toMatch(/introspection/i);
  });

  it('does not spell out the schema through "Did you mean" suggestions', async () => {
    const result = await authedRequest(server.url, null, '{ agnets { id } }');
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.message).toBe('Cannot query field "agnets" on type "Query".');
  });

  it('serves no GraphiQL', async () => {
    const response = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/graphiql/i);
  });

  it('masks internal errors: no message, no stack, no originalError', async () => {
    const run = await authedRequest(server.url, null, RUN_AGENT, {
      input: { agentId: 'demo', prompt: 'hi', wait: true },
    });
    expect(run.body.data!.runAgent.workflow.status).toBe('SUCCEEDED');
    await server.services.store.close(); // the store goes away under the server's feet
    const result = await authedRequest(server.url, null, '{ workflows { edges { node { id } } } }');
    const text = JSON.stringify(result.body);
    expect(result.body.errors?.[0]).toMatchObject({
      message: 'Unexpected error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(text).not.toMatch(/stack|originalError|sqlite|database|\.ts:/i);
  });

  it('never returns or logs agent header secrets', async () => {
    const result = await authedRequest(
      server.url,
      null,
      '{ agents { id dialect description tools { name description inputSchema } } }',
    );
    expect(JSON.stringify(result.body)).not.toContain(SECRET);
    expect(logger.text()).not.toContain(SECRET);
  });
});

describe('the serve command', () => {
  it('never writes agent header secrets to its output, even at debug level', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'synapse-secret-'));
    const file = path.join(dir, 'synapse.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        agents: AGENTS.map((agent) => ({ ...agent, headers: { authorization: 'Bearer ${AGENT_KEY}' } })),
      }),
    );
    const gateway = await startGatewayProcess({
      SYNAPSE_CONFIG: file,
      SYNAPSE_DATA_DIR: dir,
      AGENT_KEY: SECRET,
      LOG_LEVEL: 'debug',
    });
    try {
      const run = await authedRequest(gateway.url, null, RUN_AGENT, {
        input: { agentId: 'demo', prompt: 'hi', wait: true },
      });
      expect(run.body.data!.runAgent.workflow.status).toBe('SUCCEEDED');
      await authedRequest(gateway.url, null, '{ agents { nope } }');
      expect(gateway.stderr()).toContain('authentication is off');
    } finally {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
      rmSync(dir, { recursive: true, force: true });
    }
    expect(gateway.stderr()).not.toContain(SECRET);
  });
});
