import { parsePort, PORT_RULE } from '../config/index.js';
import {
  MOCK_DIALECTS,
  mockScenarios,
  startMockUpstream,
  type MockDialectName,
  type RunningMock,
} from '../mock-upstream/index.js';

/** Where an agent of each dialect points on the mock (the mock accepts any path). */
const AGENT_PATHS: Record<MockDialectName, string> = {
  'openai-chat': '/v1/chat/completions',
  'openai-responses': '/v1/responses',
  'anthropic-messages': '/v1/messages',
  'ag-ui': '/agent',
  'ai-sdk': '/api/chat',
  langgraph: '',
  'synapse-ws': '/ws/mock',
  'workflow-sse': '/chat',
  'chat-ws': '/ws/{threadId}',
};

export interface MockUpstreamCommandOptions {
  dialect: string | undefined;
  port: string | undefined;
  scenario: string | undefined;
  frameDelayMs: string | undefined;
}

/** Thrown for arguments the command cannot use; the message says which and why. */
export class MockUsageError extends Error {}

/**
 * `synapse mock-upstream`: serves a realistic fake upstream of one dialect on loopback (the
 * recorded streams the dialect tests use), so a frontend can be built against any dialect with
 * no API keys. Prints the agent config that points at it; runs until SIGINT or SIGTERM.
 */
export async function mockUpstream(
  options: MockUpstreamCommandOptions,
  out: NodeJS.WritableStream,
): Promise<RunningMock> {
  const dialect = options.dialect;
  if (!dialect || !(MOCK_DIALECTS as readonly string[]).includes(dialect)) {
    throw new MockUsageError(
      `--dialect must be one of ${MOCK_DIALECTS.join(', ')}${dialect ? `, got "${dialect}"` : ''}`,
    );
  }
  const name = dialect as MockDialectName;
  const port = options.port === undefined ? 0 : parsePort(options.port);
  if (port === null) throw new MockUsageError(`--port must be ${PORT_RULE}, got "${options.port}"`);
  const scenarios = mockScenarios(name);
  const scenario = options.scenario ?? 'full';
  if (!scenarios.includes(scenario)) {
    throw new MockUsageError(`--scenario of ${name} must be one of ${scenarios.join(', ')}, got "${scenario}"`);
  }
  const frameDelayMs = options.frameDelayMs === undefined ? 30 : Number(options.frameDelayMs);
  if (!Number.isInteger(frameDelayMs) || frameDelayMs < 0) {
    throw new MockUsageError(`--frame-delay must be a whole number of milliseconds, got "${options.frameDelayMs}"`);
  }

  const mock = await startMockUpstream({ dialect: name, port, scenario, frameDelayMs });
  // The id names the dialect and the port, so two mocks (or a mock restarted on another port)
  // never print the same agent id for different upstreams.
  const agent = [
    `  - id: mock-${name}-${new URL(mock.url).port}`,
    `    dialect: ${name}`,
    `    url: "${mock.url}${AGENT_PATHS[name]}"`,
    ...(name === 'langgraph' ? ['    assistantId: agent'] : []),
  ];
  out.write(
    `Mock ${name} upstream listening on ${mock.url} (scenario "${scenario}", ${frameDelayMs} ms between frames)\n` +
      `Point an agent at it in synapse.config.yaml:\n\nagents:\n${agent.join('\n')}\n\n`,
  );
  return mock;
}
