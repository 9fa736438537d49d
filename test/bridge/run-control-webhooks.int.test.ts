import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookDispatcher } from '../../src/bridge/index.js';
import { parseConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logger.js';
import type { Store } from '../../src/store/index.js';
import { executeQuery } from '../helpers/in-process.js';
import { instanceServices, settleWorkflow } from '../helpers/run-control.js';
import { BACKENDS, type TestStore } from '../helpers/stores.js';
import { sleep, until } from '../helpers/async.js';
import { listenOnLoopback } from '../helpers/net.js';

/**
 * Webhooks from the outbox (docs/run-control.md): a real HTTP receiver on loopback, signatures
 * checked with the `standardwebhooks` package, two dispatcher instances over one database,
 * retries under one webhook-id, and deliveries that wait in the store while no dispatcher runs.
 */
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

class Receiver {
  readonly received: Received[] = [];
  /** Per path: how many requests to fail (HTTP 500) before answering 204. */
  readonly failFirst = new Map<string, number>();
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      this.received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const left = this.failFirst.get(path) ?? 0;
      if (left > 0) {
        this.failFirst.set(path, left - 1);
        response.writeHead(500).end('not now');
        return;
      }
      response.writeHead(204).end();
    });
  });
  async listen(): Promise<string> {
    await listenOnLoopback(this.server);
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
  for(path: string, workflowId: string): Received[] {
    return this.received.filter(
      (entry) => entry.path === path && JSON.parse(entry.body).data.workflowId === workflowId,
    );
  }
}

const secret = `whsec_${randomBytes(24).toString('base64')}`;
let receiver: Receiver;
let base: string;
beforeAll(async () => {
  receiver = new Receiver();
  base = await receiver.listen();
});
afterAll(() => receiver.close());

const AGENTS = [
  { id: 'demo', dialect: 'demo', demo: { wordDelayMs: 1 } },
  { id: 'other', dialect: 'demo', demo: { wordDelayMs: 1 } },
  { id: 'ask', dialect: 'demo', demo: { wordDelayMs: 0, askHuman: true } },
];
const RUN = /* GraphQL */ `
  mutation Run($input: RunAgentInput!) { runAgent(input: $input) { __typename ... on RunAgentPayload { workflow { id status } } } }
`;
const DELIVERIES = /* GraphQL */ `
  query W($id: ID!) { workflow(id: $id) { id webhookDeliveries { id url event state attempts lastStatusCode lastError deliveredAt } } }
`;

function webhooks(path: string, extra: Record<string, unknown> = {}) {
  return parseConfig({ webhooks: [{ url: `${base}${path}`, secret, ...extra }] }, { env: {} }).webhooks!;
}

/** The `runAgent` field these tests read. */
interface StartedRun {
  workflow: { id: string };
}

for (const backend of BACKENDS) {
  describe(`webhooks on ${backend.name}`, () => {
    let store: TestStore;
    let peer: Store;
    let services: ReturnType<typeof instanceServices>;
    const dispatchers: WebhookDispatcher[] = [];
    beforeAll(async () => {
      store = await backend.open();
      peer = await store.peer();
      services = instanceServices(store, AGENTS);
    });
    afterAll(async () => {
      await Promise.all(dispatchers.map((dispatcher) => dispatcher.stop()));
      await services.stop();
      await store.close();
    });

    /**
     * Two instances delivering from the same outbox, with one config (as a deployment's instances
     * share theirs); the previous test's pair stops first.
     */
    async function startDispatchers(
      path: string,
      options: { retryDelaysMs?: number[]; extra?: Record<string, unknown> } = {},
    ) {
      await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.stop()));
      const pair = [store, peer].map(
        (instanceStore, index) =>
          new WebhookDispatcher(
            { store: instanceStore, logger: silentLogger },
            {
              webhooks: webhooks(path, options.extra),
              instanceId: `instance-${index}`,
              pollMs: 20,
              retryDelaysMs: options.retryDelaysMs ?? [50, 100, 200],
            },
          ),
      );
      for (const dispatcher of pair) dispatcher.start();
      dispatchers.push(...pair);
      return pair;
    }

    it('one signed POST per status change, verified by standardwebhooks, with two instances', async () => {
      const path = `/ok-${backend.dialect}`;
      await startDispatchers(path);
      const run = (await executeQuery(services, RUN, { input: { agentId: 'demo', prompt: 'hi' } })).data!
        .runAgent as StartedRun;
      const workflow = await settleWorkflow(store, run.workflow.id);
      await until(() => receiver.for(path, workflow.id).length >= 1, 10_000);
      await sleep(300); // a second POST would come now
      const posts = receiver.for(path, workflow.id);
      expect(posts).toHaveLength(1);
      const post = posts[0]!;
      const verified = new Webhook(secret).verify(post.body, post.headers as Record<string, string>) as {
        timestamp: unknown;
        data: { usage: unknown };
      };
      expect(verified).toMatchObject({
        type: 'workflow.succeeded',
        data: {
          workflowId: workflow.id,
          status: 'SUCCEEDED',
          agentId: 'demo',
          threadId: workflow.threadId,
          error: null,
        },
      });
      expect(typeof verified.timestamp).toBe('string');
      expect(verified.data.usage).toEqual(workflow.usage);
      expect(post.headers['webhook-id']).toMatch(/^msg_/);
      expect(() =>
        new Webhook(`whsec_${randomBytes(24).toString('base64')}`).verify(
          post.body,
          post.headers as Record<string, string>,
        ),
      ).toThrow();
      const log = (await executeQuery(services, DELIVERIES, { id: workflow.id })).data!.workflow as {
        webhookDeliveries: unknown[];
      };
      expect(log.webhookDeliveries).toEqual([
        expect.objectContaining({
          id: post.headers['webhook-id'],
          event: 'workflow.succeeded',
          state: 'DELIVERED',
          attempts: 1,
          lastStatusCode: 204,
        }),
      ]);
      expect(JSON.stringify(log)).not.toContain(secret.slice(6));
    });

    it('a receiver that fails twice gets the same webhook-id three times, then it is DELIVERED', async () => {
      const path = `/flaky-${backend.dialect}`;
      receiver.failFirst.set(path, 2);
      await startDispatchers(path);
      const run = (await executeQuery(services, RUN, { input: { agentId: 'demo', prompt: 'retry me' } })).data!
        .runAgent as StartedRun;
      await settleWorkflow(store, run.workflow.id);
      await until(() => receiver.for(path, run.workflow.id).length >= 3, 10_000);
      await sleep(300);
      const posts = receiver.for(path, run.workflow.id);
      expect(posts).toHaveLength(3);
      expect(new Set(posts.map((post) => post.headers['webhook-id'])).size).toBe(1);
      for (const post of posts)
        expect(() => new Webhook(secret).verify(post.body, post.headers as Record<string, string>)).not.toThrow();
      const log = (await executeQuery(services, DELIVERIES, { id: run.workflow.id })).data!.workflow as {
        webhookDeliveries: unknown[];
      };
      expect(log.webhookDeliveries[0]).toMatchObject({ state: 'DELIVERED', attempts: 3, lastStatusCode: 204 });
    });

    it('events and agents filter; INPUT_REQUIRED and CANCELLED are reported', async () => {
      const path = `/filtered-${backend.dialect}`;
      await startDispatchers(path, { extra: { events: ['INPUT_REQUIRED', 'CANCELLED'], agents: ['ask'] } });
      const other = (await executeQuery(services, RUN, { input: { agentId: 'other', prompt: 'not reported' } })).data!
        .runAgent as StartedRun;
      const ask = (await executeQuery(services, RUN, { input: { agentId: 'ask', prompt: 'What is 2+2?' } })).data!
        .runAgent as StartedRun;
      await settleWorkflow(store, ask.workflow.id, 'INPUT_REQUIRED');
      await until(() => receiver.for(path, ask.workflow.id).length >= 1, 10_000);
      await services.runs.cancelPaused(ask.workflow.id, 'no');
      await until(() => receiver.for(path, ask.workflow.id).length >= 2, 10_000);
      expect(receiver.for(path, ask.workflow.id).map((post) => JSON.parse(post.body).type)).toEqual([
        'workflow.input_required',
        'workflow.cancelled',
      ]);
      await settleWorkflow(store, other.workflow.id);
      await sleep(200);
      expect(receiver.for(path, other.workflow.id)).toHaveLength(0);
    });

    it('status changes made while no dispatcher runs wait in the outbox and are delivered later', async () => {
      const path = `/later-${backend.dialect}`;
      await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.stop()));
      const run = (await executeQuery(services, RUN, { input: { agentId: 'demo', prompt: 'while down' } })).data!
        .runAgent as StartedRun;
      await settleWorkflow(store, run.workflow.id);
      await sleep(100);
      expect(receiver.for(path, run.workflow.id)).toHaveLength(0);
      await startDispatchers(path);
      await until(() => receiver.for(path, run.workflow.id).length >= 1, 10_000);
      expect(JSON.parse(receiver.for(path, run.workflow.id)[0]!.body).type).toBe('workflow.succeeded');
    });
  });
}

describe('webhooks config', () => {
  it('refuses a secret that is not in the whsec_ form, and never echoes it', () => {
    expect(() =>
      parseConfig({ webhooks: [{ url: 'http://127.0.0.1:1/x', secret: 'plain-secret-value' }] }, { env: {} }),
    ).toThrow(/whsec_/);
    try {
      parseConfig({ webhooks: [{ url: 'http://127.0.0.1:1/x', secret: 'plain-secret-value' }] }, { env: {} });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('plain-secret-value');
    }
  });
});
