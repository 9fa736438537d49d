import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageType } from 'graphql-ws';
import { WebSocket } from 'ws';
import { createResumableClient, type ResumableClient } from '../../src/client/index.js';
import { graphqlRequest } from '../helpers/graphql-clients.js';
import { startTcpProxy, startWebSocketRelay } from '../helpers/loopback-proxy.js';
import { AGENT_STREAM, RUN_AGENT, WORKFLOW } from '../helpers/operations.js';
import { startSynapse } from '../helpers/synapse.js';

let server: Awaited<ReturnType<typeof startSynapse>>;
beforeAll(async () => {
  server = await startSynapse();
});
afterAll(async () => {
  await server.stop();
});

type StreamEvent = { __typename: string; sequence: number };

async function startSlowRun(): Promise<string> {
  const run = await graphqlRequest(server.url, RUN_AGENT, {
    input: { agentId: 'slow', prompt: 'tell me about 6 * 7 slowly' },
  });
  return run.data!.runAgent.workflow.id as string;
}

/** A resumable client that retries quickly, counting the `next` messages that reach it. */
function resumableClient(url: string): { client: ResumableClient; delivered: () => number; connected: () => number } {
  let delivered = 0;
  let connected = 0;
  const client = createResumableClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 100,
    retryWait: () => sleep(50),
    on: {
      connected: () => connected++,
      message: (message) => {
        if (message.type === MessageType.Next) delivered++;
      },
    },
  });
  return { client, delivered: () => delivered, connected: () => connected };
}

/** Streams a workflow through `client`, calling `onEvent` for each event; resolves on completion. */
function consume(
  client: ResumableClient,
  workflowId: string,
  onEvent: (event: StreamEvent, count: number) => void,
): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  return new Promise((resolve, reject) => {
    client.subscribe<{ agentStream: StreamEvent }>(
      { query: AGENT_STREAM, variables: { workflowId, afterSequence: 0 } },
      {
        next: (result) => {
          if (result.errors) return reject(new Error(JSON.stringify(result.errors)));
          events.push(result.data!.agentStream);
          onEvent(result.data!.agentStream, events.length);
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(events),
      },
    );
  });
}

async function expectWholeHistory(workflowId: string, events: StreamEvent[]): Promise<void> {
  const stored = (await graphqlRequest(server.url, WORKFLOW, { id: workflowId })).data!.workflow;
  expect(stored.status).toBe('SUCCEEDED');
  expect(events.map((event) => event.sequence)).toEqual(
    Array.from({ length: stored.lastSequence }, (_, index) => index + 1),
  );
  expect(events.at(-1)?.__typename).toBe('RunCompleted');
}

describe('synapse/client: resumable workflow streams', () => {
  it('after a server-side close (1012), resubscribes after the last sequence: events 1..N, no gap, no repeat', async () => {
    const relay = await startWebSocketRelay(new URL(server.url));
    const { client, delivered, connected } = resumableClient(relay.url);
    try {
      const workflowId = await startSlowRun();
      const events = await consume(client, workflowId, (_event, count) => {
        if (count === 6) relay.closeClients(1012, 'service restart');
      });
      await expectWholeHistory(workflowId, events);
      expect(relay.connections).toBeGreaterThanOrEqual(2);
      expect(connected()).toBeGreaterThanOrEqual(2);
      // The server sent nothing twice: the resubscription carried afterSequence.
      expect(delivered()).toBe(events.length);
      expect(client.lastSequence(workflowId)).toBe(events.length);
    } finally {
      await client.dispose();
      await relay.close();
    }
  });

  it('after a network-level drop (the TCP proxy cuts every socket and refuses reconnects for 300 ms), events are 1..N with no gap or repeat', async () => {
    const proxy = await startTcpProxy(new URL(server.url));
    const { client, delivered, connected } = resumableClient(proxy.url);
    try {
      const workflowId = await startSlowRun();
      let outage = null as Promise<void> | null; // set in a callback: not narrowed to null
      const events = await consume(client, workflowId, (_event, count) => {
        if (count === 5) {
          proxy.cut();
          // The run goes on; its events wait in the store. Reconnects fail until the network is back.
          outage = sleep(300).then(() => proxy.restore());
        }
      });
      await outage;
      await expectWholeHistory(workflowId, events);
      expect(proxy.connections).toBeGreaterThanOrEqual(2);
      expect(connected()).toBeGreaterThanOrEqual(2);
      expect(delivered()).toBe(events.length);
    } finally {
      await client.dispose();
      await proxy.close();
    }
  });

  it('iterate() yields the whole stream and passes other subscriptions through untouched', async () => {
    const { client } = resumableClient(server.url);
    try {
      const run = await graphqlRequest(server.url, RUN_AGENT, {
        input: { agentId: 'demo', prompt: '2 + 2', wait: true },
      });
      const workflowId = run.data!.runAgent.workflow.id as string;
      const sequences: number[] = [];
      for await (const result of client.iterate<{ agentStream: StreamEvent }>({
        query: AGENT_STREAM,
        variables: { workflowId, afterSequence: 3 },
      })) {
        sequences.push(result.data!.agentStream.sequence);
      }
      expect(sequences[0]).toBe(4);
      expect(sequences).toEqual(sequences.map((_, index) => index + 4));
    } finally {
      await client.dispose();
    }
  });
});

describe('synapse/client/apollo and synapse/client/urql over a server-side close', () => {
  it('Apollo Client (InMemoryCache with possibleTypes) sees events 1..N once each', async () => {
    const { ApolloClient, InMemoryCache, gql } = await import('@apollo/client');
    const { createResumableLink, synapseTypePolicies } = await import('../../src/client/apollo.js');
    const possibleTypes = (await import('../../examples/generated/possible-types.js')).default.possibleTypes;
    const relay = await startWebSocketRelay(new URL(server.url));
    const apollo = new ApolloClient({
      link: createResumableLink({
        url: relay.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryWait: () => sleep(50),
      }),
      cache: new InMemoryCache({ possibleTypes, typePolicies: synapseTypePolicies }),
    });
    try {
      const workflowId = await startSlowRun();
      const events = await new Promise<StreamEvent[]>((resolve, reject) => {
        const seen: StreamEvent[] = [];
        apollo
          .subscribe<{ agentStream: StreamEvent }>({
            query: gql(AGENT_STREAM),
            variables: { workflowId, afterSequence: 0 },
          })
          .subscribe({
            next: (result) => {
              if (result.error)
                return reject(
                  result.error instanceof Error
                    ? result.error
                    : new Error(result.error.message, { cause: result.error }),
                );
              seen.push(result.data!.agentStream);
              if (seen.length === 7) relay.closeClients(1012, 'service restart');
            },
            error: reject,
            complete: () => resolve(seen),
          });
      });
      await expectWholeHistory(workflowId, events);
      expect(relay.connections).toBeGreaterThanOrEqual(2);
    } finally {
      apollo.stop();
      await relay.close();
    }
  });

  it('urql (subscriptionExchange) sees events 1..N once each', async () => {
    const { Client, fetchExchange } = await import('@urql/core');
    const { resumableSubscriptionExchange } = await import('../../src/client/urql.js');
    const relay = await startWebSocketRelay(new URL(server.url));
    const urql = new Client({
      url: server.url,
      exchanges: [
        fetchExchange,
        resumableSubscriptionExchange({
          url: relay.url.replace(/^http/, 'ws'),
          webSocketImpl: WebSocket,
          retryWait: () => sleep(50),
        }),
      ],
    });
    try {
      const workflowId = await startSlowRun();
      const events = await new Promise<StreamEvent[]>((resolve, reject) => {
        const seen: StreamEvent[] = [];
        const subscription = urql
          .subscription<{ agentStream: StreamEvent }>(AGENT_STREAM, { workflowId, afterSequence: 0 })
          .subscribe((result) => {
            if (result.error) return reject(result.error);
            seen.push(result.data!.agentStream);
            if (seen.length === 7) relay.closeClients(1012, 'service restart');
            if (seen.at(-1)?.__typename === 'RunCompleted') {
              subscription.unsubscribe();
              resolve(seen);
            }
          });
      });
      await expectWholeHistory(workflowId, events);
      expect(relay.connections).toBeGreaterThanOrEqual(2);
    } finally {
      await relay.close();
    }
  });
});
