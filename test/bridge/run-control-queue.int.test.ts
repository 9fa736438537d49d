import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { ChatUpstream } from '../helpers/chat-upstream.js';
import { executeQuery } from '../helpers/in-process.js';
import { instanceServices, settleWorkflow } from '../helpers/run-control.js';
import { BACKENDS, type TestStore } from '../helpers/stores.js';
import { sleep } from '../helpers/async.js';

/**
 * Busy threads (multitaskStrategy) and per-agent queues (concurrency.maxRunning), with slow real
 * upstreams on loopback and two gateway instances over one database (docs/run-control.md).
 */
const RUN = /* GraphQL */ `
  mutation Run($input: RunAgentInput!) {
    runAgent(input: $input) {
      __typename
      ... on RunAgentPayload { workflow { id status threadId } }
      ... on ThreadBusyError { code message threadId workflowId status }
      ... on Error { code message }
    }
  }
`;
const CANCEL = /* GraphQL */ `
  mutation Cancel($id: ID!, $reason: String) {
    cancelWorkflow(id: $id, reason: $reason) { __typename ... on CancelWorkflowPayload { cancelled workflow { id status } } }
  }
`;

let slow: ChatUpstream;
let capped: ChatUpstream;
let urls: { slow: string; capped: string };
beforeAll(async () => {
  slow = new ChatUpstream(10);
  capped = new ChatUpstream(10);
  urls = { slow: await slow.listen(), capped: await capped.listen() };
});
afterAll(async () => {
  await slow.close();
  await capped.close();
});

const agents = () => [
  { id: 'chat', dialect: 'openai-chat', url: `${urls.slow}/finite/20`, model: 'm', retry: { attempts: 1 } },
  { id: 'long', dialect: 'openai-chat', url: `${urls.slow}/finite/500`, model: 'm', retry: { attempts: 1 } },
  // 60 chunks at 10 ms: each run holds its slot ~600 ms, longer than the seven submissions of the
  // burst test take on a loaded machine (with 150 ms the first runs ended mid-burst and the next
  // queued one started before the statuses were read).
  {
    id: 'capped',
    dialect: 'openai-chat',
    url: `${urls.capped}/finite/60`,
    model: 'm',
    retry: { attempts: 1 },
    concurrency: { maxRunning: 2 },
  },
  {
    id: 'single',
    dialect: 'openai-chat',
    url: `${urls.capped}/finite/400`,
    model: 'm',
    retry: { attempts: 1 },
    concurrency: { maxRunning: 1 },
  },
];

/** The `runAgent` fields these tests read; on GraphQL errors, the messages (so an assertion shows them). */
interface RunPayload {
  __typename?: string;
  workflow: { id: string; status: string };
  errors?: string[];
}
const payload = (result: ExecutionResult): RunPayload =>
  (result.data?.runAgent as RunPayload | undefined) ??
  ({ errors: result.errors?.map((e) => e.message + String(e.originalError?.stack ?? '')) } as RunPayload);

for (const backend of BACKENDS) {
  describe(`run control queue on ${backend.name}`, () => {
    let store: TestStore;
    let a: ReturnType<typeof instanceServices>;
    let b: ReturnType<typeof instanceServices>;
    let peer: Store;
    beforeAll(async () => {
      store = await backend.open();
      peer = await store.peer();
      a = instanceServices(store, agents());
      b = instanceServices(peer, agents());
    });
    afterAll(async () => {
      await a.stop();
      await b.stop();
      await store.close();
    });

    it('REJECT (the default): ThreadBusyError names the active workflow; of two racing runs exactly one starts', async () => {
      const thread = `t-reject-${backend.dialect}`;
      const first = payload(
        await executeQuery(a, RUN, { input: { agentId: 'chat', prompt: 'first', threadId: thread } }),
      );
      expect(first.__typename).toBe('RunAgentPayload');
      const second = payload(
        await executeQuery(b, RUN, { input: { agentId: 'chat', prompt: 'second', threadId: thread } }),
      );
      expect(second).toMatchObject({
        __typename: 'ThreadBusyError',
        code: 'THREAD_BUSY',
        threadId: thread,
        workflowId: first.workflow.id,
        status: 'RUNNING',
      });
      await settleWorkflow(store, first.workflow.id);

      const race = `t-race-${backend.dialect}`;
      const results = (
        await Promise.all([
          executeQuery(a, RUN, { input: { agentId: 'chat', prompt: 'x', threadId: race } }),
          executeQuery(b, RUN, { input: { agentId: 'chat', prompt: 'y', threadId: race } }),
          executeQuery(a, RUN, { input: { agentId: 'chat', prompt: 'z', threadId: race } }),
        ])
      ).map(payload);
      expect(results.map((result) => result.__typename).sort()).toEqual([
        'RunAgentPayload',
        'ThreadBusyError',
        'ThreadBusyError',
      ]);
      const winner = results.find((result) => result.__typename === 'RunAgentPayload');
      await settleWorkflow(store, winner!.workflow.id);
      expect((await store.listThread('default', race)).map((workflow) => workflow.id)).toEqual([winner!.workflow.id]);
    });

    it('ENQUEUE: the new run is QUEUED, starts after the active one ends, and sends its answer upstream', async () => {
      const thread = `t-enqueue-${backend.dialect}`;
      const first = payload(
        await executeQuery(a, RUN, { input: { agentId: 'chat', prompt: 'question one', threadId: thread } }),
      );
      const second = payload(
        await executeQuery(b, RUN, {
          input: { agentId: 'chat', prompt: 'question two', threadId: thread, multitaskStrategy: 'ENQUEUE' },
        }),
      );
      expect(second.workflow.status).toBe('QUEUED');
      const one = await settleWorkflow(store, first.workflow.id);
      const two = await settleWorkflow(store, second.workflow.id);
      expect([one.status, two.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      expect(two.startedAt!.getTime()).toBeGreaterThanOrEqual(one.finishedAt!.getTime());
      expect(two.createdAt.getTime()).toBeLessThan(one.finishedAt!.getTime());
      const request = slow.requests.find((entry) => JSON.stringify(entry.body).includes('question two'));
      const messages = (request!.body as { messages: { role: string; content: string }[] }).messages;
      expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
      expect(messages[1]!.content).toBe(one.text);
      const events = await store.readEvents(two.id, 0, 1);
      expect(events[0]!.type).toBe('RunStarted');
    });

    it('INTERRUPT: the active run ends RunCancelled naming its successor, then the new one runs', async () => {
      const thread = `t-interrupt-${backend.dialect}`;
      const first = payload(
        await executeQuery(a, RUN, { input: { agentId: 'long', prompt: 'long one', threadId: thread } }),
      );
      await sleep(100);
      const second = payload(
        await executeQuery(a, RUN, {
          input: { agentId: 'chat', prompt: 'instead', threadId: thread, multitaskStrategy: 'INTERRUPT' },
        }),
      );
      expect(second.__typename).toBe('RunAgentPayload');
      const one = await settleWorkflow(store, first.workflow.id);
      expect(one.status).toBe('CANCELLED');
      const events = await store.readEvents(one.id, 0, 10_000);
      const terminal = events.at(-1) as { type: string; reason?: string };
      expect(terminal.type).toBe('RunCancelled');
      expect(terminal.reason).toContain(second.workflow.id);
      const two = await settleWorkflow(store, second.workflow.id);
      expect(two.status).toBe('SUCCEEDED');
      expect(two.startedAt!.getTime()).toBeGreaterThanOrEqual(one.finishedAt!.getTime());
    });

    it('concurrency.maxRunning: a burst on two instances runs at most N at once, first in first out', async () => {
      capped.maxOpen = 0;
      const ids: string[] = [];
      for (let index = 0; index < 7; index++) {
        const result = payload(
          await executeQuery(index % 2 === 0 ? a : b, RUN, { input: { agentId: 'capped', prompt: `burst ${index}` } }),
        );
        expect(result.__typename).toBe('RunAgentPayload');
        ids.push(result.workflow.id);
      }
      const statuses = await Promise.all(ids.map((id) => store.getWorkflow(id).then((workflow) => workflow!.status)));
      expect(statuses.slice(2).every((status) => status === 'QUEUED')).toBe(true);
      const done = await Promise.all(ids.map((id) => settleWorkflow(store, id)));
      expect(done.every((workflow) => workflow.status === 'SUCCEEDED')).toBe(true);
      expect(capped.maxOpen).toBeLessThanOrEqual(2);
      // First in, first out. The claim (one atomic UPDATE) is what is ordered; `startedAt` is the
      // time of RunStarted, a few milliseconds later on whichever instance claimed. Both running
      // runs end together, so two claims land within milliseconds on two instances and their
      // RunStarted may commit in either order. A queue out of order would start a younger run a
      // whole slot (~600 ms) before an older one; allow half a slot for the skew between claim and start.
      const started = done.map((workflow) => workflow.startedAt!.getTime());
      for (let older = 2; older < started.length; older++)
        for (let younger = older + 1; younger < started.length; younger++)
          expect(started[older]! - started[younger]!).toBeLessThan(300);
      // Never more than two RUNNING at one time, from the stored times.
      for (const workflow of done) {
        const overlapping = done.filter(
          (other) => other.startedAt! <= workflow.startedAt! && other.finishedAt! > workflow.startedAt!,
        );
        expect(overlapping.length).toBeLessThanOrEqual(2);
      }
    });

    it('a queued workflow can be cancelled: RunCancelled, and its upstream is never called', async () => {
      const before = capped.requests.length;
      const running = payload(await executeQuery(a, RUN, { input: { agentId: 'single', prompt: 'holding the slot' } }));
      const queued = payload(await executeQuery(b, RUN, { input: { agentId: 'single', prompt: 'never sent' } }));
      expect(queued.workflow.status).toBe('QUEUED');
      const cancelled = (await executeQuery(b, CANCEL, { id: queued.workflow.id, reason: 'changed my mind' })).data!
        .cancelWorkflow;
      expect(cancelled).toMatchObject({ cancelled: true, workflow: { status: 'CANCELLED' } });
      const events = await store.readEvents(queued.workflow.id, 0, 10);
      expect(events.map((event) => event.type)).toEqual(['RunCancelled']);
      await executeQuery(a, CANCEL, { id: running.workflow.id });
      await settleWorkflow(store, running.workflow.id);
      await sleep(200);
      expect(
        capped.requests
          .slice(before)
          .map((entry) => JSON.stringify(entry.body))
          .some((body) => body.includes('never sent')),
      ).toBe(false);
    });
  });
}

describe('queued workflows survive a restart (SQLite file, real gateway)', () => {
  it('a workflow queued behind the cap starts on the next start of the gateway', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { startSynapse } = await import('../helpers/synapse.js');
    const { graphqlRequest } = await import('../helpers/graphql-clients.js');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-queue-restart-'));
    const config = {
      server: { port: 0, shutdownGraceMs: 100, queuePollMs: 50 },
      agents: [
        {
          id: 'one',
          dialect: 'openai-chat',
          url: `${urls.capped}/finite/300`,
          model: 'm',
          retry: { attempts: 1 },
          concurrency: { maxRunning: 1 },
        },
      ],
    };
    const first = await startSynapse({ dataDir, config });
    const a = (await graphqlRequest(first.url, RUN, { input: { agentId: 'one', prompt: 'before restart' } })).data!
      .runAgent;
    const b = (await graphqlRequest(first.url, RUN, { input: { agentId: 'one', prompt: 'queued across restart' } }))
      .data!.runAgent;
    expect(b.workflow.status).toBe('QUEUED');
    await first.stop();
    config.agents[0]!.url = `${urls.capped}/finite/5`;
    const second = await startSynapse({ dataDir, config });
    try {
      const store = second.services.store;
      expect((await store.getWorkflow(a.workflow.id))!.status).toBe('INTERRUPTED');
      const done = await settleWorkflow(store, b.workflow.id);
      expect(done.status).toBe('SUCCEEDED');
    } finally {
      await second.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
