import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkflowWriter } from '../../src/bridge/index.js';
import type { AgentEvent } from '../../src/events/index.js';
import { silentLogger } from '../../src/logger.js';
import { createInProcessPubSub, type PubSub } from '../../src/pubsub/index.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { BATCH_AS_IS, WorkflowStream } from '../../src/subscription/index.js';
import { newWorkflowRecord } from '../helpers/stores.js';

/**
 * WorkflowStream's sequencing rules hold the same for its batch API (readBatch, the graphql-ws
 * fast path and the outward endpoints) and its per-event form (next, graphql-js): duplicates and
 * stale Heartbeats dropped, a gap in the live queue filled from the store, a caught-up Heartbeat
 * delivered, the end after the terminal event. The writer publishes elsewhere, so the test
 * chooses exactly what reaches the stream live.
 */

let store: Store;
let live: PubSub;

beforeEach(async () => {
  store = await openSqliteStore({ filename: ':memory:' });
  live = createInProcessPubSub();
});
afterEach(async () => {
  await store.close();
});

const at = new Date(0).toISOString();
const heartbeat = (sequence: number): AgentEvent => ({ type: 'Heartbeat', workflowId: 'w', sequence, at });

/**
 * Runs the scenario, reading with `read` at four points (told how many events a reader that is
 * caught up gets there); what each read gave, null for the end of the stream.
 */
async function scenario(
  read: (stream: WorkflowStream, events: number) => Promise<AgentEvent[] | null>,
): Promise<string[][]> {
  await store.createWorkflow(newWorkflowRecord('w'));
  const writer = new WorkflowWriter({ store, pubsub: createInProcessPubSub(), logger: silentLogger }, 'w', 0);
  const stored: AgentEvent[] = [];
  const write = async (count: number) => {
    for (let index = 0; index < count; index++)
      writer.append({ type: 'ReasoningDelta', delta: String(stored.length + index) });
    await writer.flush();
    stored.splice(0, stored.length, ...(await store.readEvents('w', 0, 100)));
  };
  writer.append({ type: 'RunStarted', agentId: 'demo', input: {} });
  await write(2); // 1..3 stored before the stream starts: replayed
  const stream = new WorkflowStream({ store, pubsub: live }, 'w', { afterSequence: 0 });
  const reads: string[][] = [];
  const label = (event: AgentEvent) => `${event.type === 'Heartbeat' ? 'H' : ''}${event.sequence}`;
  const take = async (count: number, publish?: () => Promise<void>) => {
    const pending = read(stream, count);
    await publish?.();
    const events = await pending;
    reads.push(events ? events.map(label) : ['end']);
  };
  await take(3);
  // 4..6 committed; live: a duplicate, a stale Heartbeat, then 5 and 6 (4 is missing: a gap).
  await take(3, async () => {
    await write(3);
    live.publish('w', [stored[2]!, heartbeat(1), stored[4]!, stored[5]!]);
  });
  // A caught-up Heartbeat, then the terminal event.
  await take(2, async () => {
    writer.append({ type: 'RunCompleted', output: null, text: '', usage: null });
    await writer.flush();
    const terminal = (await store.readEvents('w', 6, 10))[0]!;
    live.publish('w', [heartbeat(6), terminal]);
  });
  await take(0);
  return reads;
}

describe('WorkflowStream', () => {
  it('readBatch hands over every event deliverable at once, by the same rules as next()', async () => {
    const batches = await scenario(async (stream) => {
      const batch = await stream.readBatch(BATCH_AS_IS);
      return batch.done ? null : batch.value;
    });
    expect(batches).toEqual([['1', '2', '3'], ['4', '5', '6'], ['H6', '7'], ['end']]);
  });

  it('next() delivers the same events one at a time', async () => {
    const reads = await scenario(async (stream, events) => {
      const read: AgentEvent[] = [];
      for (let index = 0; index < Math.max(events, 1); index++) {
        const result = await stream.next();
        if (result.done) return null;
        read.push(result.value);
      }
      return read;
    });
    expect(reads).toEqual([['1', '2', '3'], ['4', '5', '6'], ['H6', '7'], ['end']]);
  });

  it('a stream that starts past the end completes with the workflow in both forms', async () => {
    await store.createWorkflow(newWorkflowRecord('w'));
    const writer = new WorkflowWriter({ store, pubsub: live, logger: silentLogger }, 'w', 0);
    writer.append({ type: 'RunStarted', agentId: 'demo', input: {} });
    await writer.flush();
    const batched = new WorkflowStream({ store, pubsub: live }, 'w', { afterSequence: 5 });
    const single = new WorkflowStream({ store, pubsub: live }, 'w', { afterSequence: 5 });
    const batch = batched.readBatch(BATCH_AS_IS);
    const event = single.next();
    await new Promise((resolve) => setTimeout(resolve, 10));
    writer.append({ type: 'RunCompleted', output: null, text: '', usage: null });
    await writer.flush();
    const first = await batch;
    // The terminal event at or below the start ends the stream: nothing, or an empty batch, then done.
    if (!first.done) expect(first.value).toEqual([]);
    expect((await batched.readBatch(BATCH_AS_IS)).done).toBe(true);
    expect(await event).toEqual({ value: undefined, done: true });
  });

  /** The store with its `readEvents` calls counted, and each call's answer held until `gate` (when set) resolves. */
  function countingStore(): { store: Store; reads: () => number; hold: (gate: Promise<void> | null) => void } {
    let reads = 0;
    let gate: Promise<void> | null = null;
    const counted: Store = Object.create(store) as Store;
    counted.readEvents = async (...args: Parameters<Store['readEvents']>) => {
      reads++;
      const page = await store.readEvents(...args);
      if (gate) await gate;
      return page;
    };
    return {
      store: counted,
      reads: () => reads,
      hold: (next) => {
        gate = next;
      },
    };
  }

  async function writeEvents(writer: WorkflowWriter, count: number): Promise<void> {
    for (let index = 0; index < count; index++) writer.append({ type: 'ReasoningDelta', delta: String(index) });
    await writer.flush();
  }

  /** Workflow `w` with events 1..3 stored, and its writer. */
  async function startedWorkflow(): Promise<WorkflowWriter> {
    await store.createWorkflow(newWorkflowRecord('w'));
    const writer = new WorkflowWriter({ store, pubsub: live, logger: silentLogger }, 'w', 0);
    writer.append({ type: 'RunStarted', agentId: 'demo', input: {} });
    await writeEvents(writer, 2);
    return writer;
  }

  it('a short page ends the replay: what follows it arrives live, without a second store read', async () => {
    const writer = await startedWorkflow();
    const counting = countingStore();
    const stream = new WorkflowStream({ store: counting.store, pubsub: live }, 'w', { afterSequence: 0 });
    const first = await stream.readBatch(BATCH_AS_IS);
    expect(first.value?.map((event) => event.sequence)).toEqual([1, 2, 3]);
    const next = stream.readBatch(BATCH_AS_IS);
    await writeEvents(writer, 2);
    expect((await next).value?.map((event) => event.sequence)).toEqual([4, 5]);
    expect(counting.reads()).toBe(1);
    await stream.return();
  });

  it('a live queue that overflows while a short page is read makes the stream read the store again', async () => {
    const writer = await startedWorkflow();
    const counting = countingStore();
    let release: () => void = () => {};
    counting.hold(new Promise<void>((resolve) => (release = resolve)));
    const stream = new WorkflowStream({ store: counting.store, pubsub: live }, 'w', {
      afterSequence: 0,
      queueCapacity: 2,
    });
    const first = stream.readBatch(BATCH_AS_IS);
    // The page (1..3) is read; 4..7 commit and are published live before it is answered: the
    // queue of two overflows and drops them.
    await new Promise((resolve) => setTimeout(resolve, 10));
    counting.hold(null);
    await writeEvents(writer, 4);
    release();
    const sequences = (await first).value!.map((event) => event.sequence);
    while (sequences.length < 7) {
      const batch = await stream.readBatch(BATCH_AS_IS);
      sequences.push(...batch.value!.map((event) => event.sequence));
    }
    expect(sequences).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(counting.reads()).toBe(2);
    await stream.return();
  });
});
