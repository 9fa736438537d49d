import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowWriter } from '../../src/bridge/index.js';
import { WorkflowStream } from '../../src/subscription/index.js';
import type { AgentEvent } from '../../src/events/index.js';
import { silentLogger } from '../../src/logger.js';
import { createRedisPubSub, type ControlMessage, type RedisPubSub } from '../../src/pubsub/index.js';
import type { WorkflowRecord } from '../../src/store/index.js';
import { REDIS_URL, startOwnRedis, uniqueRedisPrefix, type OwnRedis } from '../helpers/redis.js';
import { BACKENDS, newWorkflowRecord, type TestStore } from '../helpers/stores.js';
import { sleep, until } from '../helpers/async.js';

const postgres = BACKENDS.find((backend) => backend.dialect === 'postgres')!;
let store: TestStore;
const opened: RedisPubSub[] = [];

beforeAll(async () => {
  store = await postgres.open();
});
afterAll(async () => {
  await store.close();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((pubsub) => pubsub.close()));
});

async function open(url: string, keyPrefix: string, fallbackPollMs = 50): Promise<RedisPubSub> {
  const pubsub = await createRedisPubSub({ url, keyPrefix, store, logger: silentLogger, fallbackPollMs });
  opened.push(pubsub);
  return pubsub;
}

async function newWorkflow(pubsub: RedisPubSub): Promise<WorkflowWriter> {
  const id = randomUUID();
  await store.createWorkflow(newWorkflowRecord(id));
  return new WorkflowWriter({ store, pubsub, logger: silentLogger }, id, 0, { commitDelayMs: 1 });
}

const sequences = (batches: readonly (readonly AgentEvent[])[]) =>
  batches
    .flat()
    .filter((event) => event.type !== 'Heartbeat')
    .map((event) => event.sequence);

async function drain(stream: WorkflowStream): Promise<number[]> {
  const seen: number[] = [];
  for await (const event of stream) if (event.type !== 'Heartbeat') seen.push(event.sequence);
  return seen;
}

describe('Redis pubsub (real Redis and PostgreSQL)', () => {
  it('fans out the batches of many workflows committed together (one script call per turn): every event once, in order', async () => {
    const prefix = uniqueRedisPrefix();
    const [a, b] = [await open(REDIS_URL, prefix), await open(REDIS_URL, prefix)];
    const writers = await Promise.all(Array.from({ length: 50 }, () => newWorkflow(a)));
    const remote = new Map<string, AgentEvent[][]>();
    for (const writer of writers) {
      const batches: AgentEvent[][] = [];
      remote.set(writer.workflowId, batches);
      b.subscribe(writer.workflowId, (batch) => batches.push([...batch]));
    }
    await sleep(200); // the channel subscriptions confirmed

    for (let round = 0; round < 10; round++) {
      for (const writer of writers) writer.append({ type: 'TextDelta', messageId: `m${round}`, delta: `r${round}` });
      await sleep(2);
    }
    for (const writer of writers) writer.append({ type: 'RunCompleted', output: null, text: '', usage: null });
    await Promise.all(writers.map((writer) => writer.flush()));

    const expected = Array.from({ length: 11 }, (_, index) => index + 1);
    await until(() => [...remote.values()].every((batches) => sequences(batches).length >= 11));
    for (const batches of remote.values()) expect(sequences(batches)).toEqual(expected);
  });

  it('fans batches out to another instance in order, and to local listeners once', async () => {
    const prefix = uniqueRedisPrefix();
    const [a, b] = [await open(REDIS_URL, prefix), await open(REDIS_URL, prefix)];
    expect(a.isConnected && b.isConnected).toBe(true);
    const writer = await newWorkflow(a);
    const remote: AgentEvent[][] = [];
    const local: AgentEvent[][] = [];
    b.subscribe(writer.workflowId, (batch) => remote.push([...batch]));
    a.subscribe(writer.workflowId, (batch) => local.push([...batch]));
    await sleep(100); // both channel subscriptions confirmed

    writer.append({ type: 'RunStarted', agentId: 'demo', input: {} });
    for (let index = 0; index < 300; index++) {
      writer.append({ type: 'TextDelta', messageId: `m${index}`, delta: `w${index}` });
      if (index % 7 === 0) await writer.flush();
    }
    writer.append({ type: 'RunCompleted', output: null, text: '', usage: null });
    await writer.flush();

    const expected = Array.from({ length: 302 }, (_, index) => index + 1);
    await until(() => sequences(remote).length >= 302);
    expect(sequences(remote)).toEqual(expected);
    expect(sequences(local)).toEqual(expected);
    // The batch B got is the committed one, JSON and all.
    expect(remote.flat().at(-1)).toEqual((await store.readEvents(writer.workflowId, 301, 1))[0]);
  });

  it('a new subscription gets the newest committed event once Redis confirms it', async () => {
    const prefix = uniqueRedisPrefix();
    const [a, b] = [await open(REDIS_URL, prefix), await open(REDIS_URL, prefix)];
    const writer = await newWorkflow(a);
    writer.append({ type: 'RunStarted', agentId: 'demo', input: {} });
    writer.append({ type: 'RunCompleted', output: null, text: '', usage: null });
    await writer.flush();
    const received: AgentEvent[][] = [];
    b.subscribe(writer.workflowId, (batch) => received.push([...batch]));
    await until(() => received.length > 0);
    expect(sequences(received)).toEqual([2]);
    // A WorkflowStream that subscribes late still completes (the terminal event was published before it listened).
    expect(await drain(new WorkflowStream({ store, pubsub: b }, writer.workflowId, { afterSequence: 0 }))).toEqual([
      1, 2,
    ]);
  });

  it('carries workflow updates (dates revived) and control messages between instances', async () => {
    const prefix = uniqueRedisPrefix();
    const [a, b] = [await open(REDIS_URL, prefix), await open(REDIS_URL, prefix)];
    const updates: WorkflowRecord[] = [];
    const controls: ControlMessage[] = [];
    const localControls: ControlMessage[] = [];
    b.subscribeWorkflowUpdates((workflow) => updates.push(workflow));
    b.subscribeControl((message) => controls.push(message));
    a.subscribeControl((message) => localControls.push(message));
    await sleep(100);

    const writer = await newWorkflow(a);
    writer.append({ type: 'RunStarted', agentId: 'demo', input: {} });
    await writer.flush();
    await a.publishControl({ type: 'cancel', workflowId: writer.workflowId, reason: 'because' });
    await until(() => updates.length === 1 && controls.length === 1);
    expect(updates[0]).toMatchObject({ id: writer.workflowId, status: 'RUNNING', lastSequence: 1 });
    expect(updates[0]!.createdAt).toBeInstanceOf(Date);
    expect(updates[0]!.startedAt).toBeInstanceOf(Date);
    expect(controls).toEqual([{ type: 'cancel', workflowId: writer.workflowId, reason: 'because' }]);
    expect(localControls).toEqual(controls);
  });

  it('ignores malformed messages on its channels (bad JSON, wrong shape, another workflow’s events)', async () => {
    const prefix = uniqueRedisPrefix();
    const a = await open(REDIS_URL, prefix);
    const received: AgentEvent[][] = [];
    const updates: WorkflowRecord[] = [];
    a.subscribe('w-bad', (batch) => received.push([...batch]));
    a.subscribeWorkflowUpdates((workflow) => updates.push(workflow));
    await sleep(100);
    const raw = new Redis(REDIS_URL);
    try {
      const good = {
        type: 'LogMessage',
        level: 'INFO',
        message: 'ok',
        workflowId: 'w-bad',
        sequence: 1,
        at: new Date().toISOString(),
      };
      for (const message of [
        'no-space',
        'x {not json',
        'x {"an":"object"}',
        'x [{"type":"LogMessage"}]',
        `x ${JSON.stringify([{ ...good, workflowId: 'other' }])}`,
      ]) {
        await raw.publish(`${prefix}events:w-bad`, message);
      }
      await raw.publish(`${prefix}updates`, 'x [1,2]');
      await raw.publish(`${prefix}control`, 'x {"type":"rm -rf"}');
      await raw.publish(`${prefix}events:w-bad`, `x ${JSON.stringify([good])}`);
      await until(() => received.length === 1);
      expect(received).toEqual([[good]]);
      expect(updates).toEqual([]);
      await a.ping();
    } finally {
      raw.disconnect();
    }
  });

  it('closes cleanly: later publishes are ignored, listeners hear nothing more', async () => {
    const prefix = uniqueRedisPrefix();
    const [a, b] = [await open(REDIS_URL, prefix), await open(REDIS_URL, prefix)];
    const received: AgentEvent[][] = [];
    b.subscribe('w-closed', (batch) => received.push([...batch]));
    await b.close();
    const event = {
      type: 'LogMessage',
      level: 'INFO',
      message: 'x',
      workflowId: 'w-closed',
      sequence: 1,
      at: new Date().toISOString(),
    } as AgentEvent;
    a.publish('w-closed', [event]);
    await sleep(100);
    expect(received).toEqual([]);
    await expect(b.ping()).rejects.toThrow();
    await a.ping();
  });

  describe('with a Redis of its own that goes away', () => {
    let redis: OwnRedis;
    beforeAll(async () => {
      redis = await startOwnRedis();
    });
    afterAll(async () => {
      await redis.stop();
    });

    it('ping rejects while down; subscribers read the store meanwhile; every event arrives once after it returns', async () => {
      const prefix = uniqueRedisPrefix();
      const [a, b] = [await open(redis.url, prefix), await open(redis.url, prefix)];
      const writer = await newWorkflow(a);
      const stream = new WorkflowStream({ store, pubsub: b }, writer.workflowId, { afterSequence: 0 });
      const streamed = drain(stream);
      const raw: AgentEvent[][] = [];
      b.subscribe(writer.workflowId, (batch) => raw.push([...batch]));
      await sleep(100);

      let sequence = 0;
      const appendSome = async (count: number) => {
        for (let index = 0; index < count; index++) {
          writer.append({ type: 'TextDelta', messageId: `m${sequence++}`, delta: 'x' });
          await writer.flush();
        }
      };
      writer.append({ type: 'RunStarted', agentId: 'demo', input: {} });
      await appendSome(20);
      await until(() => sequences(raw).includes(21));

      await redis.stop();
      await until(
        async () =>
          !(await b.ping().then(
            () => true,
            () => false,
          )),
      );
      await expect(a.ping()).rejects.toThrow();
      // Publishing while Redis is down neither blocks nor fails the commit path.
      const started = Date.now();
      await appendSome(20);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(writer.error).toBeNull();
      await until(() => sequences(raw).includes(41)); // read from the store

      await redis.start();
      await until(
        async () =>
          (await b.ping().then(
            () => true,
            () => false,
          )) &&
          (await a.ping().then(
            () => true,
            () => false,
          )),
        10_000,
      );
      await appendSome(20);
      writer.append({ type: 'RunCompleted', output: null, text: '', usage: null });
      await writer.flush();

      const expected = Array.from({ length: 62 }, (_, index) => index + 1);
      expect(await streamed).toEqual(expected);
      // The raw feed may overlap around the outage (the stream drops those), but misses nothing.
      await until(() => sequences(raw).includes(62));
      expect([...new Set(sequences(raw))].sort((x, y) => x - y)).toEqual(expected);
    }, 30_000);

    it('starts degraded when Redis is down at start-up, serves from the store, connects when it comes', async () => {
      await redis.stop();
      const prefix = uniqueRedisPrefix();
      const started = Date.now();
      const a = await createRedisPubSub({
        url: redis.url,
        keyPrefix: prefix,
        store,
        logger: silentLogger,
        fallbackPollMs: 50,
        connectWaitMs: 300,
      });
      opened.push(a);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(a.isConnected).toBe(false);
      await expect(a.ping()).rejects.toThrow(/unreachable/);
      // A cancel request cannot be sent: the caller learns it at once.
      await expect(a.publishControl({ type: 'cancel', workflowId: 'x', reason: null })).rejects.toThrow();

      const other = await newWorkflow(a); // a writer on another (imaginary) instance: commits without Redis
      const received: AgentEvent[][] = [];
      a.subscribe(other.workflowId, (batch) => received.push([...batch]));
      other.append({ type: 'RunStarted', agentId: 'demo', input: {} });
      await other.flush();
      await until(() => sequences(received).includes(1));

      await redis.start();
      await until(() => a.isConnected, 10_000);
      await a.ping();
      const b = await open(redis.url, prefix);
      const fromB = new WorkflowWriter({ store, pubsub: b, logger: silentLogger }, other.workflowId, 1, {
        commitDelayMs: 1,
      });
      fromB.append({ type: 'RunCompleted', output: null, text: '', usage: null });
      await fromB.flush();
      await until(() => sequences(received).includes(2));
    }, 30_000);
  });
});
