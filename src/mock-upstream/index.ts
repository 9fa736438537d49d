import { FIXTURES } from './fixtures/index.js';
import type { RunningMock } from './recorder.js';
import { startSseMock } from './sse-server.js';
import type { MockUpstreamOptions } from './types.js';
import { startWsMock } from './ws-server.js';

/**
 * Starts a fake upstream that speaks one dialect's wire protocol on loopback and replays a
 * recorded stream, with faults on demand. Used by the tests and by `synapse mock-upstream`.
 *
 * ```ts
 * const mock = await startMockUpstream({ dialect: 'openai-chat', scenario: 'full' });
 * // point an agent at `${mock.url}/v1/chat/completions`
 * await mock.close();
 * ```
 */
export async function startMockUpstream(options: MockUpstreamOptions): Promise<RunningMock> {
  const fixture = FIXTURES[options.dialect];
  if (!fixture) throw new Error(`no mock upstream for dialect "${options.dialect}"`);
  return fixture.kind === 'sse' ? startSseMock(fixture, options) : startWsMock(fixture, options);
}

/** The scenarios a dialect's mock can replay. */
export function mockScenarios(dialect: MockUpstreamOptions['dialect']): string[] {
  const fixture = FIXTURES[dialect];
  return [...Object.keys(fixture.scenarios), ...Object.keys((fixture.kind === 'sse' && fixture.scripted) || {})];
}

export { MOCK_DIALECTS } from './types.js';
export type { Chunking, MockDialectName, MockFault, MockUpstreamOptions, RecordedRequest } from './types.js';
export type { RunningMock } from './recorder.js';
