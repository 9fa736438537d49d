import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockUpstream } from '../../src/cli/mock-upstream.js';
import type { RunningMock } from '../../src/mock-upstream/index.js';
import { startToolServer, type ToolServer } from '../helpers/tool-server.js';
import { ofType, startGateway, terminalOf } from '../dialects/harness.js';

/** `synapse mock-upstream --scenario tool-loop`: a keyless model that drives the agent runtime's loop (docs/runtime.md). */
const DIALECTS = [
  ['openai-chat', '/v1/chat/completions'],
  ['openai-responses', '/v1/responses'],
  ['anthropic-messages', '/v1/messages'],
] as const;

let toolServer: ToolServer;
let gateway: Awaited<ReturnType<typeof startGateway>>;
const mocks: Record<string, RunningMock> = {};

beforeAll(async () => {
  toolServer = await startToolServer();
  const agents = [];
  for (const [dialect, path] of DIALECTS) {
    const out = { write: () => true } as unknown as NodeJS.WritableStream;
    mocks[dialect] = await mockUpstream({ dialect, port: undefined, scenario: 'tool-loop', frameDelayMs: '0' }, out);
    agents.push({
      id: dialect,
      dialect,
      url: `${mocks[dialect].url}${path}`,
      tools: [
        {
          type: 'http',
          name: 'lookup',
          url: `${toolServer.base}/lookup`,
          inputSchema: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
        },
      ],
    });
  }
  gateway = await startGateway(agents);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(Object.values(mocks).map((mock) => mock.close()));
  await toolServer?.close();
});

describe.each(DIALECTS)('mock-upstream tool-loop: %s', (dialect) => {
  it('calls the offered tool, then answers with its result', async () => {
    const events = await gateway.runAndStream({ agentId: dialect, prompt: 'Look something up' });
    expect(terminalOf(events).__typename).toBe('RunCompleted');
    expect(ofType(events, 'ToolResult')).toEqual([
      expect.objectContaining({ isError: false, result: { found: true, query: { order: 'demo' } } }),
    ]);
    expect(terminalOf(events).text).toContain('The tool answered: {"found":true');
    expect(mocks[dialect]!.requests.filter((request) => request.method === 'POST')).toHaveLength(2);
  });
});
