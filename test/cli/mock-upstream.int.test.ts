import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { mockUpstream } from '../../src/cli/mock-upstream.js';
import { graphqlRequest } from '../helpers/graphql-clients.js';
import { runCli, startCliProcess, type GatewayProcess } from '../helpers/process.js';
import { RUN_AGENT } from '../helpers/operations.js';
import { startSynapse } from '../helpers/synapse.js';

const mocks: GatewayProcess[] = [];
afterAll(() => {
  for (const mock of mocks) mock.child.kill('SIGTERM');
});

/** Starts `synapse mock-upstream` and resolves with the agent url it prints. */
async function startMockProcess(dialect: string): Promise<string> {
  const mock = await startCliProcess(
    ['mock-upstream', '--dialect', dialect, '--frame-delay', '0'],
    {},
    /url: "([^"]+)"/,
  );
  mocks.push(mock);
  return mock.url;
}

describe('synapse mock-upstream', () => {
  it('serves a dialect that a gateway agent can run against, with the config it prints', async () => {
    const url = await startMockProcess('anthropic-messages');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/messages$/);
    const server = await startSynapse({
      config: { agents: [{ id: 'claude', dialect: 'anthropic-messages', url, model: 'claude-mock' }] },
    });
    try {
      const run = await graphqlRequest(server.url, RUN_AGENT, {
        input: { agentId: 'claude', prompt: 'hello', wait: true },
      });
      expect(run.data!.runAgent.workflow.status).toBe('SUCCEEDED');
      expect(run.data!.runAgent.workflow.text.length).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });

  it('prints an agent id that names the dialect and the port', async () => {
    const printed: string[] = [];
    for (const dialect of ['ag-ui', 'ai-sdk', 'ag-ui']) {
      const out = new PassThrough();
      let text = '';
      out.on('data', (chunk) => (text += chunk));
      const mock = await mockUpstream({ dialect, port: undefined, scenario: undefined, frameDelayMs: '0' }, out);
      try {
        const port = new URL(mock.url).port;
        expect(text).toContain(`  - id: mock-${dialect}-${port}\n    dialect: ${dialect}\n`);
        printed.push(/id: (\S+)/.exec(text)![1]!);
      } finally {
        await mock.close();
      }
    }
    expect(new Set(printed).size).toBe(3);
  });

  it('refuses an unknown dialect with exit code 2 and the list of dialects', async () => {
    const { output } = runCli(['mock-upstream', '--dialect', 'nope'], {});
    const { code, stderr } = await output;
    expect(code).toBe(2);
    expect(stderr).toContain('--dialect must be one of openai-chat');
  });
});
