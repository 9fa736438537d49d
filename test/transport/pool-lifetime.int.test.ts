import { connect, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type RunningMock } from '../../src/mock-upstream/index.js';
import { startGateway, terminalOf } from '../dialects/harness.js';
import { sleep } from '../helpers/async.js';
import { listenOnLoopback } from '../helpers/net.js';

/**
 * The undici pools are shared by every gateway of a process (keep-alive across runs and agents);
 * the last gateway to close closes them, so no upstream socket outlives the gateways.
 */
describe('upstream connection pools', () => {
  let upstream: RunningMock;
  let proxy: { port: number; open: () => number; close: () => Promise<void> };

  beforeAll(async () => {
    upstream = await startMockUpstream({ dialect: 'openai-chat', scenario: 'text' });
    // A TCP relay in front of the upstream that counts the gateway's open sockets.
    const target = new URL(upstream.url);
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      const onward = connect(Number(target.port), target.hostname);
      socket.pipe(onward).pipe(socket);
      socket.on('error', () => onward.destroy());
      onward.on('error', () => socket.destroy());
      socket.on('close', () => onward.destroy());
      onward.on('close', () => socket.destroy());
    });
    await listenOnLoopback(server);
    proxy = {
      port: (server.address() as { port: number }).port,
      open: () => sockets.size,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  });

  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('stay open while one gateway of the process serves, and close with the last one', async () => {
    const agent = { id: 'gpt', dialect: 'openai-chat', url: `http://127.0.0.1:${proxy.port}/v1/chat/completions` };
    const first = await startGateway([agent]);
    const second = await startGateway([agent]);
    expect(terminalOf(await first.runAndStream({ agentId: 'gpt', prompt: 'hi' })).__typename).toBe('RunCompleted');
    expect(terminalOf(await second.runAndStream({ agentId: 'gpt', prompt: 'hi' })).__typename).toBe('RunCompleted');
    expect(proxy.open()).toBe(1); // one keep-alive socket, shared by both gateways

    await first.stop();
    await sleep(100);
    expect(proxy.open()).toBe(1);
    expect(terminalOf(await second.runAndStream({ agentId: 'gpt', prompt: 'again' })).__typename).toBe('RunCompleted');

    await second.stop();
    await expect.poll(() => proxy.open(), { timeout: 2_000 }).toBe(0);
  });
});
