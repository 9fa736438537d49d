import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkflowWriter } from '../../src/bridge/index.js';
import { WorkflowStream } from '../../src/subscription/index.js';
import type { AgentEvent, AgentEventBody } from '../../src/events/index.js';
import { silentLogger } from '../../src/logger.js';
import { createInProcessPubSub, type PubSub } from '../../src/pubsub/index.js';
import { openSqliteStore, readStoredText, type Store } from '../../src/store/index.js';
import { newWorkflowRecord } from '../helpers/stores.js';
import { sleep } from '../helpers/async.js';

let store: Store;
let pubsub: PubSub;

beforeEach(async () => {
  store = await openSqliteStore({ filename: ':memory:' });
  pubsub = createInProcessPubSub();
});
afterEach(async () => {
  await store.close();
});

async function newWorkflow(id: string) {
  await store.createWorkflow(newWorkflowRecord(id));
  return new WorkflowWriter({ store, pubsub, logger: silentLogger }, id, 0);
}

const text = (delta: string, messageId = 'm1'): AgentEventBody => ({ type: 'TextDelta', messageId, delta });

describe('WorkflowWriter', () => {
  it('merges consecutive deltas of one message in a batch, sequences contiguously, publishes after commit', async () => {
    const writer = await newWorkflow('w1');
    const published: AgentEvent[][] = [];
    pubsub.subscribe('w1', (batch) => {
      published.push([...batch]);
    });
    const storedWhenPublished: number[] = [];
    pubsub.subscribe('w1', () => {
      void store.getWorkflow('w1').then((workflow) => storedWhenPublished.push(workflow!.lastSequence));
    });

    writer.append({ type: 'RunStarted', agentId: 'demo', input: {} });
    for (const word of ['a', 'b', 'c']) writer.append(text(word));
    writer.append(text('x', 'm2'));
    writer.append({ type: 'ReasoningDelta', delta: 'hmm' });
    writer.append(text('d'));
    await writer.flush();

    const events = await store.readEvents('w1', 0, 100);
    expect(events.map((event) => [event.sequence, event.type])).toEqual([
      [1, 'RunStarted'],
      [2, 'TextDelta'],
      [3, 'TextDelta'],
      [4, 'ReasoningDelta'],
      [5, 'TextDelta'],
    ]);
    expect(events[1]).toMatchObject({ messageId: 'm1', delta: 'abc' });
    expect(published.flat()).toEqual(events);
    expect(await readStoredText(store, 'w1')).toBe('abcxd');
    await sleep(10);
    expect(storedWhenPublished.every((sequence) => sequence >= 5)).toBe(true);
  });

  it('create: the row and the first events in one step, published like a commit; later appends follow it', async () => {
    const writer = new WorkflowWriter({ store, pubsub, logger: silentLogger }, 'c1', 0);
    const published: AgentEvent[][] = [];
    pubsub.subscribe('c1', (batch) => {
      published.push([...batch]);
    });
    const updates: string[] = [];
    pubsub.subscribeWorkflowUpdates((workflow) => updates.push(`${workflow.id} ${workflow.status}`));
    writer.append({ type: 'RunStarted', agentId: 'demo', input: {} });
    const created = writer.create(newWorkflowRecord('c1', { status: 'QUEUED' }));
    writer.append(text('meanwhile'));
    expect(await created).toMatchObject({ id: 'c1', status: 'RUNNING', lastSequence: 1 });
    await writer.flush();
    const events = await store.readEvents('c1', 0, 10);
    expect(events.map((event) => [event.sequence, event.type])).toEqual([
      [1, 'RunStarted'],
      [2, 'TextDelta'],
    ]);
    expect(published).toEqual([[events[0]], [events[1]]]);
    expect(updates).toEqual(['c1 RUNNING']);
    expect(writer.committedRow).toMatchObject({ status: 'RUNNING', lastSequence: 2 });

    // A create the store refuses (the id is taken) writes nothing and stops the writer.
    const again = new WorkflowWriter({ store, pubsub, logger: silentLogger }, 'c1', 0);
    again.append({ type: 'RunStarted', agentId: 'demo', input: {} });
    await expect(again.create(newWorkflowRecord('c1'))).rejects.toThrow();
    expect(again.error).not.toBeNull();
    expect(again.append(text('late'))).toBe(false);
    expect(await store.readEvents('c1', 0, 10)).toHaveLength(2);
  });

  it('commits in batches, not per event, and refuses anything after the terminal event', async () => {
    const writer = await newWorkflow('w2');
    let batches = 0;
    pubsub.subscribe('w2', () => batches++);
    for (let index = 0; index < 1000; index++) writer.append({ type: 'ReasoningDelta', delta: String(index) });
    expect(writer.append({ type: 'RunCompleted', output: null, text: '', usage: null })).toBe(true);
    expect(writer.append({ type: 'ReasoningDelta', delta: 'late' })).toBe(false);
    await writer.flush();
    const workflow = await store.getWorkflow('w2');
    expect(workflow).toMatchObject({ lastSequence: 1001, status: 'SUCCEEDED' });
    expect(batches).toBeLessThanOrEqual(5);
  });
});

describe('WorkflowWriter group commit and the row text', () => {
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it('commits a quiet stream at the end of the turn, and at most once per commitDelayMs while events keep coming', async () => {
    await newWorkflow('w3');
    const writer = new WorkflowWriter({ store, pubsub, logger: silentLogger }, 'w3', 0, { commitDelayMs: 80 });
    const published: number[][] = [];
    pubsub.subscribe('w3', (batch) => published.push(batch.map((event) => event.sequence)));
    writer.append({ type: 'RunStarted', agentId: 'demo', input: {} });
    writer.append({ type: 'ReasoningDelta', delta: 'a' });
    await turn();
    await turn();
    // Nothing committed in the last 80 ms: no wait.
    expect(published).toEqual([[1, 2]]);
    writer.append({ type: 'ReasoningDelta', delta: 'b' });
    await turn();
    writer.append({ type: 'ReasoningDelta', delta: 'c' });
    await turn();
    await turn();
    // Within 80 ms of the last commit: both wait for the next one.
    expect(published).toEqual([[1, 2]]);
    await sleep(100);
    expect(published).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('writes the row text with the terminal event only; meanwhile the stored deltas are the text so far', async () => {
    await newWorkflow('w4');
    const writer = new WorkflowWriter({ store, pubsub, logger: silentLogger }, 'w4', 0, { commitDelayMs: 0 });
    const row = async () => (await store.getWorkflow('w4'))!;
    writer.append({ type: 'RunStarted', agentId: 'demo', input: {} });
    writer.append(text('a'));
    await turn();
    await turn();
    writer.append(text('b', 'm2'));
    await writer.flush();
    // Committed, the row untouched: no per-batch rewrite of a growing text.
    expect(await row()).toMatchObject({ text: null, lastSequence: 3, status: 'RUNNING' });
    expect(await readStoredText(store, 'w4')).toBe('ab');
    writer.append(text('c', 'm3'));
    writer.append({ type: 'RunCancelled', reason: null, usage: null });
    await writer.flush();
    expect(await row()).toMatchObject({ text: 'abc', status: 'CANCELLED', lastSequence: 5 });
  });
});

describe('WorkflowStream', () => {
  it('a reader slower than the writer overflows its queue, catches up from the store, and misses nothing', async () => {
    const writer = await newWorkflow('w3');
    writer.append({ type: 'RunStarted', agentId: 'demo', input: {} });
    await writer.flush();
    let lagged = 0;
    const stream = new WorkflowStream({ store, pubsub }, 'w3', {
      afterSequence: 0,
      queueCapacity: 8,
      pageSize: 16,
      onLag: () => lagged++,
    });

    const producer = (async () => {
      for (let index = 0; index < 2000; index++) {
        writer.append({ type: 'ReasoningDelta', delta: String(index) });
        if (index % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      writer.append({ type: 'RunCompleted', output: null, text: '', usage: null });
      await writer.flush();
    })();

    const seen: number[] = [];
    for await (const event of stream) {
      seen.push(event.sequence);
      if (seen.length % 100 === 0) await sleep(2);
    }
    await producer;
    expect(seen).toEqual(Array.from({ length: 2002 }, (_, index) => index + 1));
    expect(lagged).toBeGreaterThan(0); // synapse_subscriptions_lagged_total counts these
  });

  it('return() ends a waiting stream at once and unsubscribes', async () => {
    const writer = await newWorkflow('w4');
    writer.append({ type: 'RunStarted', agentId: 'demo', input: {} });
    await writer.flush();
    let ended = 0;
    const stream = new WorkflowStream({ store, pubsub }, 'w4', { afterSequence: 1, onEnd: () => ended++ });
    const pending = stream.next();
    await sleep(20);
    await stream.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(ended).toBe(1);
    // The stream no longer listens: publishing reaches nobody and nothing throws.
    writer.append({ type: 'RunCompleted', output: null, text: '', usage: null });
    await writer.flush();
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('delivers live Heartbeats without a sequence of their own', async () => {
    const writer = await newWorkflow('w5');
    writer.append({ type: 'RunStarted', agentId: 'demo', input: {} });
    await writer.flush();
    const stream = new WorkflowStream({ store, pubsub }, 'w5', { afterSequence: 0 });
    expect((await stream.next()).value).toMatchObject({ type: 'RunStarted', sequence: 1 });
    const next = stream.next();
    await sleep(10);
    pubsub.publish('w5', [{ type: 'Heartbeat', workflowId: 'w5', sequence: 1, at: new Date().toISOString() }]);
    expect((await next).value).toMatchObject({ type: 'Heartbeat', sequence: 1 });
    writer.append({ type: 'RunCompleted', output: null, text: '', usage: null });
    await writer.flush();
    expect((await stream.next()).value).toMatchObject({ type: 'RunCompleted', sequence: 2 });
    expect((await stream.next()).done).toBe(true);
  });
});
