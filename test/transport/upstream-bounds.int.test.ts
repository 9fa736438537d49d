import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nestedDeeperThan } from '../../src/transport/upstream-bounds.js';
import { ofType, startGateway, terminalOf, textOf } from '../dialects/harness.js';
import { listenOnLoopback } from '../helpers/net.js';
import { handled } from '../helpers/http-handler.js';

/**
 * Hostile upstreams (an openai-chat SSE server of our own on loopback, so each frame is exactly
 * what the test says): a tool call whose arguments nest thousands of levels, arguments that
 * never end. Each run ends at once with RunFailed UPSTREAM_PROTOCOL, the events before the bad
 * one kept; and when a value that deep does reach the store (bounds raised), the run still ends
 * with a truthful terminal event instead of stopping silently.
 */
const DEPTH = 6_000;
const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const toolDelta = (args: string, start = false) =>
  chunk({
    tool_calls: [
      {
        index: 0,
        ...(start
          ? { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: args } }
          : { function: { arguments: args } }),
      },
    ],
  });

const SCENARIOS: Record<string, () => AsyncGenerator<string>> = {
  // Text first, then a tool call whose arguments are 6,000 nested arrays (12 KB), then more.
  async *deep() {
    yield chunk({ role: 'assistant', content: 'before ' });
    yield toolDelta(`${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`, true);
    yield chunk({}, 'tool_calls');
    yield 'data: [DONE]\n\n';
  },
  // 64 KB of argument deltas per frame, without end.
  async *endless() {
    yield chunk({ role: 'assistant', content: 'before ' });
    yield toolDelta('{"blob": "', true);
    const piece = toolDelta('x'.repeat(65_536));
    for (let index = 0; index < 2_000; index++) yield piece;
    yield toolDelta('"}');
    yield chunk({}, 'tool_calls');
    yield 'data: [DONE]\n\n';
  },
};

let upstream: Server;
let gateway: Awaited<ReturnType<typeof startGateway>>;
const sentFrames: Record<string, number> = {};

beforeAll(async () => {
  upstream = createServer(
    handled(async (request, response) => {
      const scenario = new URL(request.url!, 'http://x').pathname.split('/')[1]!;
      request.resume();
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      sentFrames[scenario] = 0;
      for await (const frame of SCENARIOS[scenario]!()) {
        if (response.destroyed) return;
        sentFrames[scenario] += 1;
        if (!response.write(frame))
          await new Promise((resolve) => response.once('drain', resolve).once('close', resolve));
      }
      response.end();
    }),
  );
  await listenOnLoopback(upstream);
  const url = (scenario: string) =>
    `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/${scenario}/v1/chat/completions`;
  gateway = await startGateway([
    { id: 'deep', dialect: 'openai-chat', url: url('deep'), retry: { attempts: 1 } },
    {
      id: 'endless',
      dialect: 'openai-chat',
      url: url('endless'),
      retry: { attempts: 1 },
      maxToolCallArgumentsBytes: 1_000_000,
    },
    {
      id: 'endlessRun',
      dialect: 'openai-chat',
      url: url('endless'),
      retry: { attempts: 1 },
      maxRunToolArgumentsBytes: 500_000,
    },
    // The bound raised past what the store can serialize: the commit itself throws.
    { id: 'deepUnbounded', dialect: 'openai-chat', url: url('deep'), retry: { attempts: 1 }, maxJsonDepth: 100_000 },
  ]);
});

afterAll(async () => {
  await gateway?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
});

describe('upstream bounds', () => {
  it('a value nested 6,000 levels ends the run at once with UPSTREAM_PROTOCOL, events before it kept', async () => {
    const started = performance.now();
    const events = await gateway.runAndStream({ agentId: 'deep', prompt: 'go' });
    expect(performance.now() - started).toBeLessThan(5_000);
    const terminal = terminalOf(events);
    expect(terminal).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_PROTOCOL' });
    expect(terminal.message).toContain('maxJsonDepth (128 levels)');
    expect(textOf(events)).toBe('before ');
    expect(ofType(events, 'ToolCallStarted')).toHaveLength(1);
    const stored = await gateway.workflow(events[0]!.workflowId);
    expect(stored).toMatchObject({ status: 'FAILED', error: { code: 'UPSTREAM_PROTOCOL' } });
    expect(stored.events.map((event: { sequence: number }) => event.sequence)).toEqual(
      events.map((event) => event.sequence),
    );
  });

  it('tool-call arguments over the per-call bound end the run at once', async () => {
    const events = await gateway.runAndStream({ agentId: 'endless', prompt: 'go' });
    const terminal = terminalOf(events);
    expect(terminal).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_PROTOCOL' });
    expect(terminal.message).toContain('maxToolCallArgumentsBytes (1000000 bytes)');
    const stored = ofType(events, 'ToolCallArgsDelta').reduce((sum, event) => sum + event.delta.length, 0);
    expect(stored).toBeLessThanOrEqual(1_000_000);
    expect(stored).toBeGreaterThan(900_000);
    // The upstream was cut off long before its 128 MB.
    expect(sentFrames.endless).toBeLessThan(200);
  });

  it('and over the per-run bound', async () => {
    const events = await gateway.runAndStream({ agentId: 'endlessRun', prompt: 'go' });
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunFailed', code: 'UPSTREAM_PROTOCOL' });
    expect(terminalOf(events).message).toContain('maxRunToolArgumentsBytes (500000 bytes)');
  });

  it('an exception while committing ends the run with a truthful terminal event, never a silent stop', async () => {
    const started = performance.now();
    const events = await gateway.runAndStream({ agentId: 'deepUnbounded', prompt: 'go' });
    expect(performance.now() - started).toBeLessThan(5_000); // not the lease's expiry
    const terminal = terminalOf(events);
    expect(terminal).toMatchObject({ __typename: 'RunFailed', code: 'INTERNAL' });
    expect(terminal.message).toMatch(/could not store/);
    expect(terminal.message).not.toMatch(/stopped|shut down/);
    const stored = await gateway.workflow(events[0]!.workflowId);
    expect(stored).toMatchObject({ status: 'FAILED', error: { code: 'INTERNAL' } });
    // The gateway goes on serving runs.
    expect(terminalOf(await gateway.runAndStream({ agentId: 'deep', prompt: 'again' })).__typename).toBe('RunFailed');
  });

  it('the depth check is iterative and stops early', () => {
    let deep: unknown[] = [];
    const root = deep;
    for (let index = 0; index < 100_000; index++) deep = deep[0] = [];
    expect(nestedDeeperThan(root, 128)).toBe(true);
    expect(nestedDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestedDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
  });
});
