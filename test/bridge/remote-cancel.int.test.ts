import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelWorkflowAnywhere, WorkflowWriter } from '../../src/bridge/index.js';
import { silentLogger } from '../../src/logger.js';
import { createInProcessPubSub, createRedisPubSub, type RedisPubSub } from '../../src/pubsub/index.js';
import { REDIS_URL, uniqueRedisPrefix } from '../helpers/redis.js';
import { BACKENDS, newWorkflowRecord, type TestStore } from '../helpers/stores.js';

const postgres = BACKENDS.find((backend) => backend.dialect === 'postgres')!;
let store: TestStore;
let pubsub: RedisPubSub;
const notHere = { cancel: async () => false };

beforeAll(async () => {
  store = await postgres.open();
  pubsub = await createRedisPubSub({ url: REDIS_URL, keyPrefix: uniqueRedisPrefix(), store, logger: silentLogger });
});
afterAll(async () => {
  await pubsub.close();
  await store.close();
});

async function running(kind: 'AGENT_RUN' | 'TOOL_CALL' = 'AGENT_RUN'): Promise<string> {
  const id = randomUUID();
  await store.createWorkflow(newWorkflowRecord(id, { kind }));
  const writer = new WorkflowWriter({ store, pubsub, logger: silentLogger }, id, 0);
  writer.append({ type: 'RunStarted', agentId: 'demo', input: {} });
  await writer.flush();
  return id;
}

describe('cancelWorkflowAnywhere', () => {
  it('asks the other instances and answers cancelled once the owner has ended the run', async () => {
    const id = await running();
    // Stands in for the owning instance: a control listener that ends the run with RunCancelled.
    const stop = pubsub.subscribeControl((message) => {
      if (message.workflowId !== id) return;
      const writer = new WorkflowWriter({ store, pubsub, logger: silentLogger }, id, 1);
      writer.append({ type: 'RunCancelled', reason: message.reason, usage: null });
    });
    try {
      const outcome = await cancelWorkflowAnywhere({ store, pubsub, runs: notHere }, id, 'why');
      expect(outcome.cancelled).toBe(true);
      expect(outcome.workflow?.status).toBe('CANCELLED');
    } finally {
      stop();
    }
  });

  it('gives up after the bounded wait when no instance owns the run', async () => {
    const id = await running();
    const started = Date.now();
    const outcome = await cancelWorkflowAnywhere({ store, pubsub, runs: notHere }, id, null, { waitMs: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(outcome).toMatchObject({ cancelled: false, workflow: { id, status: 'RUNNING' } });
  });

  it('answers at once for tool calls, finished workflows, unknown ids and a single instance', async () => {
    const started = Date.now();
    const toolCall = await running('TOOL_CALL');
    expect((await cancelWorkflowAnywhere({ store, pubsub, runs: notHere }, toolCall, null)).cancelled).toBe(false);
    expect(await cancelWorkflowAnywhere({ store, pubsub, runs: notHere }, randomUUID(), null)).toEqual({
      cancelled: false,
      workflow: undefined,
    });
    const single = createInProcessPubSub();
    const id = await running();
    expect((await cancelWorkflowAnywhere({ store, pubsub: single, runs: notHere }, id, null)).cancelled).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
