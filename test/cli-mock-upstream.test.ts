import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { graphqlRequest } from './helpers/graphql-clients.js';
import { runCli } from './helpers/process.js';
import { RUN_AGENT } from './helpers/operations.js';
import { startSynapse } from './helpers/synapse.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const children: ReturnType<typeof spawn>[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
});

/** Starts `synapse mock-upstream` and resolves with the agent url it prints. */
function startMockProcess(dialect: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'mock-upstream', '--dialect', dialect, '--frame-delay', '0'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`mock-upstream did not start: ${stdout}`)), 20_000);
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const match = stdout.match(/url: "([^"]+)"/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`mock-upstream exited with ${code}`)));
  });
}

describe('synapse mock-upstream', () => {
  it('serves a dialect that a gateway agent can run against, with the config it prints', async () => {
    const url = await startMockProcess('anthropic-messages');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/messages$/);
    const server = await startSynapse({
      config: { agents: [{ id: 'claude', dialect: 'anthropic-messages', url, model: 'claude-mock' }] },
    });
    try {
      const run = await graphqlRequest(server.url, RUN_AGENT, { input: { agentId: 'claude', prompt: 'hello', wait: true } });
      expect(run.data!.runAgent.workflow.status).toBe('SUCCEEDED');
      expect(run.data!.runAgent.workflow.text.length).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });

  it('refuses an unknown dialect with exit code 2 and the list of dialects', async () => {
    const { output } = runCli(['mock-upstream', '--dialect', 'nope'], {});
    const { code, stderr } = await output;
    expect(code).toBe(2);
    expect(stderr).toContain('--dialect must be one of openai-chat');
  });
});
