import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/index.js';
import { graphqlRequest } from '../helpers/graphql-clients.js';
import { startSynapse } from '../helpers/synapse.js';
import { CALL_TOOL } from '../helpers/tool-operations.js';
import { startToolServer, type ToolServer } from '../helpers/tool-server.js';

let tools: ToolServer;
const dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-tools-shutdown-'));

beforeAll(async () => {
  tools = await startToolServer();
});

afterAll(async () => {
  await tools.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('a tool call in flight at shutdown gets the grace period, then ends INTERRUPTED with its record closed', async () => {
  const server = await startSynapse({
    dataDir,
    config: {
      server: { port: 0, shutdownGraceMs: 300 },
      agents: [
        {
          id: 'a',
          dialect: 'demo',
          tools: [{ type: 'http', name: 'hang', url: `${tools.base}/hang`, timeoutMs: 60_000 }],
        },
      ],
    },
  });
  const received = tools.nextRequest('/hang');
  const pending = graphqlRequest(server.url, CALL_TOOL, { input: { agentId: 'a', tool: 'hang', arguments: {} } });
  await received;
  const started = Date.now();
  await server.stop();
  expect(Date.now() - started).toBeLessThan(15_000);

  const response = await pending;
  expect(response.errors?.[0]).toMatchObject({
    message: 'the gateway shut down during the tool call',
    extensions: { code: 'SHUTTING_DOWN' },
  });

  const store = await openSqliteStore({ filename: path.join(dataDir, 'synapse.db') });
  try {
    const page = await store.listWorkflows({ first: 10, filter: { tenantId: 'default', kind: 'TOOL_CALL' } });
    expect(page.rows).toHaveLength(1);
    const workflow = page.rows[0]!;
    expect(workflow).toMatchObject({ status: 'INTERRUPTED', error: { code: 'INTERRUPTED', retryable: true } });
    const events = await store.readEvents(workflow.id, 0, 100);
    expect(events.map((event) => event.type)).toEqual([
      'RunStarted',
      'ToolCallStarted',
      'ToolCallCompleted',
      'ToolResult',
      'RunFailed',
    ]);
    const [calls] = await store.listToolCalls('default', [workflow.id]);
    expect(calls).toEqual([expect.objectContaining({ toolName: 'hang', status: 'FAILED', isError: true })]);
  } finally {
    await store.close();
  }
});
