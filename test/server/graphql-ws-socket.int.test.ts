import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, parse } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { silentLogger } from '../../src/logger.js';
import { PreparedBatch } from '../../src/subscription/prepared-batch.js';
import { useGraphqlWsServer } from '../../src/server/graphql-ws-socket.js';
import { rawText } from '../helpers/raw-data.js';

/**
 * The socket adapter hands a fast-path batch to the socket through state of that socket, keyed
 * by operation id: with several subscriptions of one socket yielding batches in the same turn,
 * graphql-ws calls every `onNext` hook before any of their sends, so a batch kept anywhere but
 * under its own operation id would be lost or written with another operation's id.
 */

const schema = buildSchema('type Query { x: Int } type Subscription { x: Int }');
const document = parse('subscription { x }');

let httpServer: Server | undefined;
let disposable: { dispose(): Promise<void> } | undefined;

afterEach(async () => {
  await disposable?.dispose();
  await new Promise<void>((resolve) => (httpServer ? httpServer.close(() => resolve()) : resolve()));
  httpServer = undefined;
  disposable = undefined;
});

/** Per operation id, two rounds of results; every operation's round n is released at once. */
function startServer(rounds: (id: string) => unknown[]): Promise<string> {
  httpServer = createServer();
  const wsServer = new WebSocketServer({ server: httpServer });
  let release: () => void = () => {};
  let released = new Promise<void>((resolve) => (release = resolve));
  let waiting = 0;
  disposable = useGraphqlWsServer(
    {
      onSubscribe: (_ctx, id) => ({ schema, document, contextValue: { id }, rootValue: {} }),
      subscribe: (args) => {
        const results = rounds((args.contextValue as { id: string }).id);
        let index = 0;
        const iterator: AsyncIterableIterator<unknown> = {
          async next() {
            if (index >= results.length) return { value: undefined, done: true };
            // Every operation waits for the others: all of them yield in the same turn.
            const round = released;
            if (++waiting === 2) {
              waiting = 0;
              const releaseRound = release;
              released = new Promise<void>((resolve) => (release = resolve));
              releaseRound();
            }
            await round;
            return { value: results[index++], done: false };
          },
          async return() {
            return { value: undefined, done: true };
          },
          [Symbol.asyncIterator]() {
            return iterator;
          },
        };
        return iterator as never;
      },
    },
    wsServer,
    silentLogger,
  );
  return new Promise((resolve) =>
    httpServer!.listen(0, '127.0.0.1', () => resolve(`ws://127.0.0.1:${(httpServer!.address() as AddressInfo).port}`)),
  );
}

/** Subscribes `ids` on one socket; every message received, in order, until all completed. */
function subscribeAll(url: string, ids: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    const received: string[] = [];
    let open = ids.length;
    socket.on('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      const text = rawText(data);
      const message = JSON.parse(text) as { type: string };
      if (message.type === 'connection_ack') {
        for (const id of ids)
          socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: 'subscription { x }' } }));
        return;
      }
      received.push(text);
      if (message.type === 'complete' && --open === 0) {
        socket.close();
        resolve(received);
      }
    });
  });
}

describe('graphql-ws socket adapter: fast-path batches', () => {
  it('writes each batch under its own operation id when two subscriptions of one socket yield together', async () => {
    const url = await startServer((id) => [
      new PreparedBatch([`{"data":{"x":"${id}1"}}`, `{"data":{"x":"${id}2"}}`]),
      { data: { x: `${id}3` } },
      new PreparedBatch([`{"data":{"x":"${id}4"}}`]),
    ]);
    const received = await subscribeAll(url, ['a', 'b']);
    for (const id of ['a', 'b']) {
      expect(received.filter((text) => text.startsWith(`{"id":"${id}"`))).toEqual([
        `{"id":"${id}","type":"next","payload":{"data":{"x":"${id}1"}}}`,
        `{"id":"${id}","type":"next","payload":{"data":{"x":"${id}2"}}}`,
        `{"id":"${id}","type":"next","payload":{"data":{"x":"${id}3"}}}`,
        `{"id":"${id}","type":"next","payload":{"data":{"x":"${id}4"}}}`,
        `{"id":"${id}","type":"complete"}`,
      ]);
    }
    // The two operations' messages really interleaved (the case a misplaced batch would break).
    const order = received.map((text) => text.slice(7, 8)).join('');
    expect(order).not.toMatch(/^a+b+$|^b+a+$/);
  });
});
