import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { parseConfig } from '../../src/config/index.js';
import type { Logger } from '../../src/logger.js';
import { createSynapseServer, type SynapseServer } from '../../src/server/index.js';
import { authedRequest, authedWsClient, wsResults } from '../helpers/auth-clients.js';
import { CALL_TOOL } from '../helpers/tool-operations.js';
import { sleep } from '../helpers/async.js';

/**
 * What production answers to hostile input: no schema spelled out by suggestions, no internal
 * message, no long input echoed back, and one JSON log line (no stack) per refused socket frame.
 */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push(
      JSON.stringify({ level, message, ...fields }, (_key, value) =>
        value instanceof Error ? { message: value.message, stack: value.stack } : value,
      ),
    );
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), lines };
}

let server: SynapseServer;
let dataDir: string;
const logger = recordingLogger();

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-hostile-'));
  const config = parseConfig(
    {
      server: { port: 0, shutdownGraceMs: 500 },
      agents: [{ id: 'demo', dialect: 'demo', demo: { wordDelayMs: 1 } }],
      limits: { maxBodyBytes: 65_536 },
    },
    { env: { SYNAPSE_DATA_DIR: dataDir } },
  );
  server = await createSynapseServer({ config, logger, development: false });
  await server.listen();
});

afterAll(async () => {
  await server.close().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

const ask = (query: string, variables?: Record<string, unknown>) => authedRequest(server.url, null, query, variables);

describe('production answers hostile input without leaking', () => {
  it('strips "Did you mean" from variable errors too, over HTTP and graphql-ws', async () => {
    const query = 'mutation ($input: RunAgentInput!) { runAgent(input: $input) { __typename } }';
    const variables = { input: { agentI: 'demo', prompt: 'hi' } };
    const http = await ask(query, variables);
    expect(http.body.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(http.body)).toContain('agentI');
    expect(JSON.stringify(http.body)).not.toMatch(/Did you mean/);
    const client = authedWsClient(server.url, null);
    const overWs = await wsResults(client, query, variables);
    await client.dispose();
    expect(JSON.stringify(overWs)).toContain('agentI');
    expect(JSON.stringify(overWs)).not.toMatch(/Did you mean/);
  });

  it('a hostile calculator expression gets a plain answer, never an internal RangeError', async () => {
    for (const expression of [
      `${'('.repeat(5_000)}1${')'.repeat(5_000)}`,
      `${'-'.repeat(900)}1`,
      `1 + ${'2 * '.repeat(5_000)}x`,
    ]) {
      const result = await ask(CALL_TOOL, {
        input: { agentId: 'demo', tool: 'calculator', arguments: { expression } },
      });
      const payload = result.body.data?.callTool;
      expect(payload, JSON.stringify(result.body).slice(0, 300)).toMatchObject({
        __typename: 'CallToolPayload',
        isError: true,
      });
      const message = String(payload.result.error);
      expect(message).not.toMatch(/call stack|RangeError/i);
      expect(message.length).toBeLessThan(200);
    }
  });

  it('a 30 KB cursor is refused without being echoed', async () => {
    const cursor = 'A'.repeat(30_000);
    const result = await ask('query ($after: String) { workflows(after: $after) { edges { cursor } } }', {
      after: cursor,
    });
    const error = result.body.errors?.[0];
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(error!.message).toBe('a 30000-character string is not a cursor of this connection');
    expect(JSON.stringify(result.body).length).toBeLessThan(1_000);
  });

  it('a refused WebSocket frame (invalid UTF-8, over the size limit) is one JSON log line without a stack', async () => {
    const before = logger.lines.length;
    const closeCodes: number[] = [];
    for (const send of [
      (socket: WebSocket) => socket.send(Buffer.from([0xff, 0xfe, 0xfd]), { binary: false }),
      (socket: WebSocket) => socket.send('x'.repeat(70_000)),
    ]) {
      const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      socket.on('error', () => {});
      send(socket);
      closeCodes.push(await closed);
    }
    expect(closeCodes).toEqual([1007, 1009]);
    await sleep(50);
    const lines = logger.lines.slice(before).filter((line) => line.includes('WebSocket'));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(entry).toMatchObject({ level: 'warn', message: 'refused a WebSocket frame' });
      expect(String(entry.code)).toMatch(/^WS_ERR_/);
      expect(line).not.toContain('stack');
    }
  });
});
