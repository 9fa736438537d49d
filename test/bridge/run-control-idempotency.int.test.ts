import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentRegistry, RunManager, StreamTracker } from '../../src/bridge/index.js';
import { parseConfig } from '../../src/config/index.js';
import { dialects } from '../../src/dialects/index.js';
import { silentLogger } from '../../src/logger.js';
import { createInProcessPubSub } from '../../src/pubsub/index.js';
import type { SynapseServices } from '../../src/schema/index.js';
import type { Store } from '../../src/store/index.js';
import { ToolCallRunner } from '../../src/bridge/index.js';
import { ToolRegistry } from '../../src/tools/index.js';
import { ChatUpstream } from '../helpers/chat-upstream.js';
import { executeQuery } from '../helpers/in-process.js';
import { BACKENDS, type TestStore } from '../helpers/stores.js';
import { CALL_TOOL } from '../helpers/tool-operations.js';
import { sleep } from '../helpers/async.js';

/** The fields these tests read from `runAgent` and `callTool` results. */
interface RunData {
  runAgent: { __typename: string; workflow: { id: string; status: string } };
}
interface CallToolData {
  callTool: { __typename: string };
}

/**
 * Idempotency keys (docs/run-control.md): racing starts with one key on two gateway instances
 * (two RunManagers over two connections to one database) create exactly one workflow and make
 * one upstream request; a finished workflow is answered again; a different input is
 * IdempotencyConflictError; a reopened store keeps the keys; callTool takes the same key.
 */
const RUN = /* GraphQL */ `
  mutation Run($input: RunAgentInput!) {
    runAgent(input: $input) {
      __typename
      ... on RunAgentPayload { workflow { id status threadId text } }
      ... on IdempotencyConflictError { code message key workflowId }
      ... on InvalidInputError { field issues { field message } }
    }
  }
`;

let upstream: ChatUpstream;
let upstreamUrl: string;
beforeAll(async () => {
  upstream = new ChatUpstream(10);
  upstreamUrl = await upstream.listen();
});
afterAll(() => upstream.close());

function services(store: Store): SynapseServices {
  const config = parseConfig(
    {
      agents: [
        { id: 'chat', dialect: 'openai-chat', url: `${upstreamUrl}/finite/10`, model: 'm', retry: { attempts: 1 } },
        { id: 'demo', dialect: 'demo', demo: { wordDelayMs: 1 } },
      ],
    },
    { env: {} },
  );
  const agents = new AgentRegistry(config.agents, dialects);
  const pubsub = createInProcessPubSub();
  const runs = new RunManager({ store, pubsub, agents, logger: silentLogger });
  const tools = new ToolRegistry(agents, { logger: silentLogger });
  const toolCalls = new ToolCallRunner({ store, pubsub, logger: silentLogger });
  return { store, pubsub, runs, agents, streams: new StreamTracker(), tools, toolCalls };
}

async function settle(store: Store, id: string): Promise<string> {
  for (;;) {
    const workflow = await store.getWorkflow(id);
    if (workflow && workflow.status !== 'RUNNING' && workflow.status !== 'QUEUED') return workflow.status;
    await sleep(20);
  }
}

for (const backend of BACKENDS) {
  describe(`idempotency keys on ${backend.name}`, () => {
    let store: TestStore;
    let a: SynapseServices;
    let b: SynapseServices;
    beforeAll(async () => {
      store = await backend.open();
      a = services(store);
      b = services(await store.peer());
    });
    afterAll(async () => {
      await a.runs.drain(1_000);
      await b.runs.drain(1_000);
      await store.close();
    });

    it('racing starts on two instances make one workflow and one upstream request', async () => {
      const key = `race-${backend.dialect}`;
      const before = upstream.requests.length;
      const input = { agentId: 'chat', prompt: 'hello once', idempotencyKey: key };
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, index) => executeQuery(index % 2 === 0 ? a : b, RUN, { input })),
      );
      const ids = new Set(results.map((result) => (result.data as unknown as RunData).runAgent.workflow.id));
      expect(
        results.every((result) => (result.data as unknown as RunData).runAgent.__typename === 'RunAgentPayload'),
      ).toBe(true);
      expect(ids.size).toBe(1);
      const [id] = [...ids] as [string];
      expect(await settle(store, id)).toBe('SUCCEEDED');
      expect(upstream.requests.length - before).toBe(1);
      const listed = await store.listWorkflows({ filter: { tenantId: 'default', agentId: 'chat' }, first: 100 });
      expect(listed.rows.filter((row) => (row.input as { prompt?: string }).prompt === 'hello once')).toHaveLength(1);

      // Finished: the same key answers the same (finished) workflow, with `wait` too.
      const again = await executeQuery(b, RUN, { input: { ...input, wait: true } });
      expect((again.data as unknown as RunData).runAgent.workflow).toMatchObject({ id, status: 'SUCCEEDED' });
      expect(upstream.requests.length - before).toBe(1);
    });

    it('the same key with another input is IdempotencyConflictError; other tenants and keys are independent', async () => {
      const first = await executeQuery(a, RUN, {
        input: { agentId: 'demo', prompt: 'one', idempotencyKey: 'k-conflict' },
      });
      const id = (first.data as unknown as RunData).runAgent.workflow.id;
      const conflict = await executeQuery(b, RUN, {
        input: { agentId: 'demo', prompt: 'two', idempotencyKey: 'k-conflict' },
      });
      expect((conflict.data as unknown as RunData).runAgent).toMatchObject({
        __typename: 'IdempotencyConflictError',
        code: 'IDEMPOTENCY_CONFLICT',
        key: 'k-conflict',
        workflowId: id,
      });
      const other = await executeQuery(a, RUN, {
        input: { agentId: 'demo', prompt: 'one', idempotencyKey: 'k-other' },
      });
      expect((other.data as unknown as RunData).runAgent.workflow.id).not.toBe(id);
      const bad = await executeQuery(a, RUN, {
        input: { agentId: 'demo', prompt: 'one', idempotencyKey: 'has space' },
      });
      expect((bad.data as unknown as RunData).runAgent).toMatchObject({
        __typename: 'InvalidInputError',
        field: 'input.idempotencyKey',
      });
      await settle(store, id);
    });

    it('a key older than 24 hours starts a new workflow', async () => {
      const first = await executeQuery(a, RUN, { input: { agentId: 'demo', prompt: 'old', idempotencyKey: 'k-old' } });
      const id = (first.data as unknown as RunData).runAgent.workflow.id;
      await settle(store, id);
      await store.exec(`UPDATE idempotency_keys SET created_at = created_at - ${25 * 3600 * 1000} WHERE key = 'k-old'`);
      const second = await executeQuery(b, RUN, { input: { agentId: 'demo', prompt: 'old', idempotencyKey: 'k-old' } });
      expect((second.data as unknown as RunData).runAgent.workflow.id).not.toBe(id);
      await settle(store, (second.data as unknown as RunData).runAgent.workflow.id);
    });

    it('callTool takes the same key: one TOOL_CALL workflow, the same result', async () => {
      const input = { agentId: 'demo', tool: 'calculator', arguments: { expression: '6*7' }, idempotencyKey: 'tool-1' };
      const [one, two] = await Promise.all([
        executeQuery(a, CALL_TOOL, { input }),
        executeQuery(b, CALL_TOOL, { input }),
      ]);
      const x = (one.data as unknown as CallToolData).callTool;
      const y = (two.data as unknown as CallToolData).callTool;
      expect(x.__typename).toBe('CallToolPayload');
      expect(y).toEqual(x);
      const conflict = await executeQuery(a, CALL_TOOL, { input: { ...input, arguments: { expression: '1+1' } } });
      expect((conflict.data as unknown as CallToolData).callTool).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    });
  });
}

describe('idempotency keys survive a restart (SQLite file)', () => {
  it('a reopened store answers the same workflow', async () => {
    const store = await BACKENDS[0]!.open();
    const peer = await store.peer();
    const first = services(peer);
    const run = await executeQuery(first, RUN, {
      input: { agentId: 'demo', prompt: 'restart', idempotencyKey: 'k-restart' },
    });
    const id = (run.data as unknown as RunData).runAgent.workflow.id;
    await first.runs.drain(2_000);
    await peer.close();
    const second = services(await store.peer());
    const again = await executeQuery(second, RUN, {
      input: { agentId: 'demo', prompt: 'restart', idempotencyKey: 'k-restart' },
    });
    expect((again.data as unknown as RunData).runAgent.workflow.id).toBe(id);
    await second.runs.drain(1_000);
    await store.close();
  });
});
