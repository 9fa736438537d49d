import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, rmdirSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { collectSubscription, graphqlRequest, wsClient } from '../helpers/graphql-clients.js';
import { AGENT_STREAM, RUN_AGENT } from '../helpers/operations.js';
import { startSynapse } from '../helpers/synapse.js';
import { sleep } from '../helpers/async.js';
import { listenOnLoopback } from '../helpers/net.js';

/**
 * A full disk, for real: the gateway's SQLite file lives on a 6 MB tmpfs, and the test fills
 * what is left of it with a file of its own while a run streams. Needs root (mount); skipped
 * otherwise.
 */
const mountPoint = mkdtempSync(path.join(tmpdir(), 'synapse-full-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mountPoint], { stdio: 'ignore' });
  mounted = true;
} catch {
  mounted = false;
}

let upstream: Server;
let gateway: Awaited<ReturnType<typeof startSynapse>>;
let client: Client;
const filler = path.join(mountPoint, 'filler');

beforeAll(async () => {
  if (!mounted) return;
  // An openai-chat upstream that streams 4 KB text deltas every 5 ms until the client leaves.
  upstream = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const delta = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'x'.repeat(4_096) }, finish_reason: null }] })}\n\n`;
    const timer = setInterval(() => response.write(delta), 5);
    response.on('close', () => clearInterval(timer));
  });
  await listenOnLoopback(upstream);
  const dataDir = path.join(mountPoint, 'data');
  mkdirSync(dataDir);
  gateway = await startSynapse({
    dataDir,
    config: {
      agents: [
        {
          id: 'chatty',
          dialect: 'openai-chat',
          url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1/chat/completions`,
          retry: { attempts: 1 },
        },
        { id: 'demo', dialect: 'demo', demo: { wordDelayMs: 1 } },
      ],
    },
  });
  client = wsClient(gateway.url);
});

afterAll(async () => {
  if (!mounted) return rmdirSync(mountPoint);
  await client?.dispose();
  await gateway?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
  execFileSync('umount', ['-l', mountPoint]);
  rmdirSync(mountPoint);
});

/** Writes zeros until the filesystem is full. */
function fillDisk(): void {
  const fd = openSync(filler, 'w');
  const block = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

const readyz = async () => {
  const response = await fetch(gateway.url.replace('/graphql', '/readyz'));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}

describe.skipIf(!mounted)('a store that cannot write (SQLite on a full tmpfs)', () => {
  it('ends the run with STORE_UNAVAILABLE, reports store: down, refuses new runs, and recovers by itself', async () => {
    expect((await readyz()).status).toBe(200);
    const started = await graphqlRequest(gateway.url, RUN_AGENT, { input: { agentId: 'chatty', prompt: 'talk' } });
    const workflowId = started.data!.runAgent.workflow.id as string;
    const events: Record<string, unknown>[] = [];
    const streamed = collectSubscription<{ agentStream: Record<string, unknown> }>(
      client,
      AGENT_STREAM,
      { workflowId, afterSequence: 0 },
      (entry) => {
        if (entry.agentStream.__typename !== 'Heartbeat') events.push(entry.agentStream);
      },
    );
    await until(
      async () => events.length,
      (count) => count > 20,
    );

    fillDisk();
    // The store refuses the run's commits: readiness says so, and new runs get a typed error.
    const down = await until(readyz, (answer) => answer.status === 503);
    expect(down).toEqual({ status: 503, body: { status: 'degraded', store: 'down', pubsub: 'ok' } });
    const refused = await graphqlRequest(gateway.url, RUN_AGENT, { input: { agentId: 'demo', prompt: 'hi' } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
    expect(refused.errors?.[0]?.message).toMatch(/SQLite store is not accepting writes/);
    const tool = await graphqlRequest(
      gateway.url,
      'mutation ($input: CallToolInput!) { callTool(input: $input) { __typename } }',
      { input: { agentId: 'demo', tool: 'calculator', arguments: { expression: '1 + 1' } } },
    );
    expect(tool.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
    const beforeSpace = events.length;

    // Space comes back: the terminal event is written and published, readiness recovers.
    rmSync(filler);
    await streamed;
    const terminal = events.at(-1)!;
    expect(terminal).toMatchObject({ __typename: 'RunFailed', code: 'STORE_UNAVAILABLE', retryable: true });
    expect(terminal.message).toMatch(/the SQLite store refused to write this run's events \(SQLITE_FULL/);
    expect(events.length).toBeGreaterThan(beforeSpace - 1);
    // Every event is in order, without gaps: nothing committed was lost.
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => index + 1));
    expect(await until(readyz, (answer) => answer.status === 200)).toEqual({ status: 200, body: { status: 'ok' } });
    const stored = await graphqlRequest(
      gateway.url,
      'query ($id: ID!) { workflow(id: $id) { status error { code } lastSequence } }',
      { id: workflowId },
    );
    expect(stored.data!.workflow).toMatchObject({
      status: 'FAILED',
      error: { code: 'STORE_UNAVAILABLE' },
      lastSequence: terminal.sequence,
    });
    const again = await graphqlRequest(gateway.url, RUN_AGENT, {
      input: { agentId: 'demo', prompt: 'hi', wait: true },
    });
    expect(again.data?.runAgent.workflow.status, JSON.stringify(again)).toBe('SUCCEEDED');
  });
});
