import { isTerminal, type AgentEvent } from '../events/index.js';
import type { PubSub } from '../pubsub/index.js';
import { isFinishedStatus, type Store, type WorkflowRecord } from '../store/index.js';

export interface WorkflowStreamOptions {
  /** Deliver events with a sequence greater than this (0: from the start). */
  afterSequence: number;
  /** Live events held for a slow reader before it falls back to reading the store. */
  queueCapacity?: number;
  /** Events read from the store per round trip while replaying or catching up. */
  pageSize?: number;
  /** Called once when the reader has taken the end of the stream (or abandoned it). */
  onEnd?: () => void;
  /** Called each time the reader fell behind, its live queue overflowed, and it catches up from the store. */
  onLag?: () => void;
  /**
   * The workflow as read before this stream was made (the subscription's tenant check): it
   * stands in for the read after the first empty page. Anything that finished the workflow after
   * that read is a committed terminal event, which that page or the live queue holds.
   */
  known?: WorkflowRecord;
}

const GAP_RETRY_MS = 25;
const GAP_RETRY_LIMIT = 40;

/**
 * Replay-then-tail over one workflow (docs/architecture.md, replay then tail): subscribes to the live batches first,
 * replays the store after `afterSequence`, then tails the live queue, dropping duplicates by
 * sequence. Any gap (a slow reader whose queue overflowed, a batch published before the
 * subscription began) is filled from the store, so the reader sees every stored event once, in
 * order, and memory stays bounded. Ends after the terminal event.
 *
 * A hand-written iterator rather than an async generator: `return()` must take effect at once
 * (unsubscribe, settle a pending `next()`), even while no event is arriving.
 */
export class WorkflowStream implements AsyncIterableIterator<AgentEvent> {
  // Allocated when needed and dropped once empty: most of a subscription's life is idle
  // (docs/performance.md, idle subscriptions).
  private queue: AgentEvent[] | null = null;
  private replayPage: AgentEvent[] | null = null;
  private replayAt = 0;
  /**
   * The page being replayed was short: the store had nothing after it when it was read, and the
   * live subscription was already in place then, so what follows it arrives live. The replay
   * ends with this page instead of reading an empty one to learn that.
   */
  private replayEndsWithPage = false;
  /** How many times the live queue overflowed: a page read across an overflow does not end the replay. */
  private overflows = 0;
  private readonly unsubscribe: () => void;
  private readonly capacity: number;
  private readonly pageSize: number;
  private lastDelivered: number;
  private replaying = true;
  private finished = false;
  private ended = false;
  private waiter: (() => void) | null = null;
  /** The resolve of a `readBatch()` that found nothing to deliver and waits for live events. */
  private parked: ((batch: Promise<unknown>) => void) | null = null;
  /** The reader of a parked readBatch(), handed the batch when it comes. */
  private parkedReader: BatchReader<unknown> | null = null;
  private readonly onEndCallback: (() => void) | undefined;
  private readonly onLag: (() => void) | undefined;
  /** `options.known`, until the first read it stands in for. */
  private known: WorkflowRecord | undefined;

  constructor(
    private readonly deps: { store: Store; pubsub: PubSub },
    private readonly workflowId: string,
    options: WorkflowStreamOptions,
  ) {
    this.lastDelivered = Math.max(0, options.afterSequence);
    this.capacity = options.queueCapacity ?? 1024;
    this.pageSize = options.pageSize ?? 500;
    this.onEndCallback = options.onEnd;
    this.onLag = options.onLag;
    this.known = options.known;
    this.unsubscribe = deps.pubsub.subscribe(workflowId, (events) => this.onLive(events));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The per-event form, for the async iterator protocol graphql-js reads (SSE, in-process). */
  next(): Promise<IteratorResult<AgentEvent>> {
    return this.step(false) as Promise<IteratorResult<AgentEvent>>;
  }

  /**
   * The next event, reading the store or waiting for live events as needed; with `park`, IDLE
   * instead of waiting (readBatch parks instead).
   */
  private async step(park: boolean): Promise<IteratorResult<AgentEvent> | typeof IDLE> {
    let gapRetries = 0;
    for (;;) {
      const next = this.poll();
      if (typeof next !== 'symbol') return { value: next, done: false };
      if (next === ENDED) break;
      if (next === READ_STORE) {
        await this.readPage();
        continue;
      }
      if (next === WAIT_LIVE) {
        if (park) return IDLE;
        await new Promise<void>((resolve) => (this.waiter = resolve));
        continue;
      }
      // A gap: everything published is committed, so the store has the missing events.
      if (gapRetries++ > GAP_RETRY_LIMIT) {
        this.close();
        this.onEnd();
        throw new Error(`stream of workflow ${this.workflowId} lost events after sequence ${this.lastDelivered}`);
      }
      if (gapRetries > 1) await delay(GAP_RETRY_MS);
      this.replaying = true;
    }
    this.onEnd();
    return { value: undefined, done: true };
  }

  /**
   * The sequencing rules, stated once: the next event deliverable without a store read or a
   * wait, or what the reader has to do first. Drops what must not be delivered (duplicates, stale
   * Heartbeats) on the way.
   */
  private poll(): AgentEvent | Blocked {
    while (!this.finished) {
      if (this.replaying) {
        const event = this.takeReplayed();
        return event ? this.deliver(event) : READ_STORE;
      }
      const queue = this.queue;
      if (!queue || queue.length === 0) {
        this.queue = null;
        return WAIT_LIVE;
      }
      const event = queue[0]!;
      if (event.type === 'Heartbeat') {
        queue.shift();
        // Only a reader that is caught up needs one; a stale or early one would misstate the position.
        if (event.sequence === this.lastDelivered) return event;
        continue;
      }
      if (event.sequence <= this.lastDelivered) {
        queue.shift();
        // A reader that asked to start past the end still completes when the workflow does.
        if (isTerminal(event)) this.close();
        continue;
      }
      if (event.sequence !== this.lastDelivered + 1) return GAP;
      queue.shift();
      return this.deliver(event);
    }
    return ENDED;
  }

  /**
   * The one batch API: the next event and every further one deliverable without waiting (the
   * rest of a replayed page, or the queued live events up to a gap), in order, handed to
   * `reader.onBatch` (`{ done: true }` at the end of the stream) or the error to
   * `reader.onBatchError`. A stream that is caught up waits holding one promise, without a
   * promise, reaction and closures more per reader (docs/performance.md, idle subscriptions).
   * Reads must not overlap (graphql-ws and the executor never overlap them).
   */
  readBatch<T>(reader: BatchReader<T>): Promise<T> {
    if (this.isCaughtUp()) return this.park(reader);
    return this.step(!this.waiter && !this.parked).then(
      (first) => {
        if (first === IDLE) return this.park(reader);
        if (first.done) return reader.onBatch(END_OF_STREAM);
        const batch = [first.value];
        for (;;) {
          const event = this.poll();
          if (typeof event === 'symbol') break;
          batch.push(event);
        }
        return reader.onBatch({ value: batch, done: false });
      },
      (error: unknown) => reader.onBatchError(error),
    );
  }

  /** Nothing to deliver until live events arrive. */
  private isCaughtUp(): boolean {
    return !this.finished && !this.replaying && !this.queue?.length;
  }

  /** Caught up: waits for live events holding one promise and nothing else (docs/performance.md). */
  private park<T>(reader: BatchReader<T>): Promise<T> {
    // Events may have arrived between step() finding none and this call.
    if (!this.isCaughtUp()) return this.readBatch(reader);
    if (this.waiter || this.parked) return this.readBatchAfterWait(reader);
    this.queue = null;
    this.parkedReader = reader;
    return new Promise<T>((resolve) => (this.parked = resolve as (batch: Promise<unknown>) => void));
  }

  /** Only when two reads overlap, which graphql-ws and the executor never do: the plain wait. */
  private readBatchAfterWait<T>(reader: BatchReader<T>): Promise<T> {
    return new Promise<void>((resolve) => {
      const previous = this.waiter;
      this.waiter = () => {
        previous?.();
        resolve();
      };
    }).then(() => this.readBatch(reader));
  }

  async return(): Promise<IteratorResult<AgentEvent>> {
    this.close();
    this.onEnd();
    return { value: undefined, done: true };
  }

  private onEnd(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEndCallback?.();
  }

  private deliver(event: AgentEvent): AgentEvent {
    this.lastDelivered = event.sequence;
    if (isTerminal(event)) this.close();
    return event;
  }

  /** The next event of the page read last, if any is left. */
  private takeReplayed(): AgentEvent | undefined {
    const page = this.replayPage;
    if (!page) return undefined;
    const event = page[this.replayAt++];
    if (this.replayAt >= page.length) {
      this.replayPage = null;
      this.replayAt = 0;
      if (this.replayEndsWithPage) {
        this.replayEndsWithPage = false;
        this.replaying = false;
        this.known = undefined;
      }
    }
    return event;
  }

  /**
   * Reads the next page; when the store has nothing more, switches to the live queue: after a
   * short page once it is delivered (`replayEndsWithPage`), at once after an empty one.
   */
  private async readPage(): Promise<void> {
    this.replayEndsWithPage = false;
    const overflows = this.overflows;
    const page = await this.deps.store.readEvents(this.workflowId, this.lastDelivered, this.pageSize);
    if (this.finished) return;
    if (page.length > 0) {
      this.replayPage = page;
      this.replayAt = 0;
      // Not when the live queue overflowed meanwhile: what it dropped may be newer than the page.
      this.replayEndsWithPage = page.length < this.pageSize && this.overflows === overflows;
      return;
    }
    this.replaying = false;
    // Nothing after what the reader has: if the workflow is over, nothing will ever arrive.
    const known = this.known;
    this.known = undefined;
    const workflow = known ?? (await this.deps.store.getWorkflow(this.workflowId));
    if (!workflow || (isFinishedStatus(workflow.status) && workflow.lastSequence <= this.lastDelivered)) {
      this.close();
    }
  }

  private onLive(events: readonly AgentEvent[]): void {
    if (this.finished) return;
    const queued = this.queue?.length ?? 0;
    if (queued + events.length > this.capacity) {
      // The reader is behind: drop what is queued and catch up from the store instead.
      if (!this.replaying) this.onLag?.();
      this.queue = null;
      this.replaying = true;
      this.overflows++;
      this.replayEndsWithPage = false;
    } else {
      const queue = (this.queue ??= []);
      for (const event of events) queue.push(event);
    }
    this.wake();
  }

  private close(): void {
    if (this.finished) return;
    this.finished = true;
    this.unsubscribe();
    this.queue = null;
    this.replayPage = null;
    this.replayAt = 0;
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
    const parked = this.parked;
    const reader = this.parkedReader;
    this.parked = null;
    this.parkedReader = null;
    // Resolved with the batch's promise, taken in a microtask as an awaiting reader would: it
    // settles as that batch does (a read error included), with whatever arrived meanwhile.
    if (!parked) return;
    parked(Promise.resolve().then(() => this.readBatch(reader!)));
  }
}

/** What readBatch() hands a batch (or the end of the stream, or its error) to. */
export interface BatchReader<T> {
  onBatch(batch: IteratorResult<AgentEvent[], undefined>): T | PromiseLike<T>;
  onBatchError(error: unknown): T | PromiseLike<T>;
}

/** A reader that takes each batch as it is: `await stream.readBatch(BATCH_AS_IS)`. */
export const BATCH_AS_IS: BatchReader<IteratorResult<AgentEvent[], undefined>> = {
  onBatch: (batch) => batch,
  onBatchError: (error: unknown) => {
    throw error;
  },
};

const END_OF_STREAM: IteratorResult<AgentEvent[], undefined> = Object.freeze({ value: undefined, done: true });

/** What step(true) returns instead of waiting for live events. */
const IDLE = Symbol('idle');

/** Why poll() has no event to deliver at once. */
const READ_STORE = Symbol('read the store');
const WAIT_LIVE = Symbol('wait for live events');
const GAP = Symbol('a gap in the live queue');
const ENDED = Symbol('ended');
type Blocked = typeof READ_STORE | typeof WAIT_LIVE | typeof GAP | typeof ENDED;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
