import { isTerminal, type AgentEvent } from '../events/index.js';
import type { PubSub } from '../pubsub/index.js';
import { isFinishedStatus, type Store } from '../store/index.js';

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
  private readonly unsubscribe: () => void;
  private readonly capacity: number;
  private readonly pageSize: number;
  private lastDelivered: number;
  private replaying = true;
  private finished = false;
  private ended = false;
  private waiter: (() => void) | null = null;
  /** The resolve of a `nextBatch()` that found nothing to deliver and waits for live events. */
  private parked: ((batch: Promise<unknown>) => void) | null = null;
  /** The reader of a parked readBatch(), handed the batch when it comes. */
  private parkedReader: BatchReader<unknown> | null = null;
  private readonly onEndCallback: (() => void) | undefined;
  private readonly onLag: (() => void) | undefined;

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
    this.unsubscribe = deps.pubsub.subscribe(workflowId, (events) => this.onLive(events));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<AgentEvent>> {
    return this.step(false) as Promise<IteratorResult<AgentEvent>>;
  }

  /** next(); with `park`, IDLE instead of waiting for live events (nextBatch parks instead). */
  private async step(park: boolean): Promise<IteratorResult<AgentEvent> | typeof IDLE> {
    let gapRetries = 0;
    while (!this.finished) {
      if (this.replaying) {
        const event = this.takeReplayed() ?? (await this.readPage());
        if (event) return this.deliver(event);
        if (this.finished) break;
        continue;
      }
      const event = this.queue?.shift();
      if (!event) {
        this.queue = null;
        if (park) return IDLE;
        await new Promise<void>((resolve) => (this.waiter = resolve));
        continue;
      }
      if (event.type === 'Heartbeat') {
        // Only a reader that is caught up needs one; a stale or early one would misstate the position.
        if (event.sequence === this.lastDelivered) return { value: event, done: false };
        continue;
      }
      if (event.sequence <= this.lastDelivered) {
        // A reader that asked to start past the end still completes when the workflow does.
        if (isTerminal(event)) this.close();
        continue;
      }
      if (event.sequence === this.lastDelivered + 1) return this.deliver(event);
      // A gap: everything published is committed, so the store has the missing events.
      (this.queue ??= []).unshift(event);
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
   * The next event and every further one that can be delivered without waiting (the rest of a
   * replayed page, or the queued live events up to a gap), in order: one call per batch where
   * `next()` would take one per event. Same rules and order as `next()`.
   */
  nextBatch(): Promise<IteratorResult<AgentEvent[], undefined>> {
    if (!this.finished && !this.replaying && !this.queue?.length) return this.park();
    // Chained rather than async: an idle subscription holds one promise less (docs/performance.md).
    return this.step(!this.waiter && !this.parked).then((first) => {
      if (first === IDLE) return this.park();
      if (first.done) return { value: undefined, done: true };
      const batch = [first.value];
      while (!this.finished) {
        const event = this.takeReady();
        if (!event) break;
        batch.push(event);
      }
      return { value: batch, done: false };
    });
  }

  /**
   * `nextBatch().then(reader.onBatch, reader.onBatchError)`, with `this` the reader; a stream that is
   * caught up waits holding one promise, without a promise, reaction and closures more per reader.
   */
  readBatch<T>(reader: BatchReader<T>): Promise<T> {
    if (!this.finished && !this.replaying && !this.queue?.length) return this.park(reader);
    return handOver(this.nextBatch(), reader) as Promise<T>;
  }

  /** Caught up: waits for live events holding one promise and nothing else (docs/performance.md). */
  private park<T = IteratorResult<AgentEvent[], undefined>>(reader?: BatchReader<T>): Promise<T> {
    // Events may have arrived between step() finding none and this call.
    if (this.finished || this.replaying || this.queue?.length || this.waiter || this.parked) {
      const batch = this.finished || this.replaying || this.queue?.length ? this.nextBatch() : this.nextBatchAfterWait();
      return handOver(batch, reader) as Promise<T>;
    }
    this.queue = null;
    this.parkedReader = (reader as BatchReader<unknown> | undefined) ?? null;
    return new Promise<T>((resolve) => (this.parked = resolve as (batch: Promise<unknown>) => void));
  }

  /** Only when two reads overlap, which graphql-ws and the executor never do: the plain wait. */
  private nextBatchAfterWait(): Promise<IteratorResult<AgentEvent[], undefined>> {
    return new Promise<void>((resolve) => {
      const previous = this.waiter;
      this.waiter = () => {
        previous?.();
        resolve();
      };
    }).then(() => this.nextBatch());
  }

  /** The next event if one is deliverable at once, without a store read or a wait. */
  private takeReady(): AgentEvent | undefined {
    if (this.replaying) {
      const event = this.takeReplayed();
      return event ? this.deliver(event).value : undefined;
    }
    const queue = this.queue;
    while (queue && queue.length > 0) {
      const event = queue[0]!;
      if (event.type === 'Heartbeat') {
        queue.shift();
        if (event.sequence === this.lastDelivered) return event;
        continue;
      }
      if (event.sequence <= this.lastDelivered) {
        // Left for next(), which also ends a reader that started past the end.
        if (isTerminal(event)) return undefined;
        queue.shift();
        continue;
      }
      if (event.sequence === this.lastDelivered + 1) {
        queue.shift();
        return this.deliver(event).value;
      }
      return undefined; // a gap: next() reads the store
    }
    return undefined;
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

  private deliver(event: AgentEvent): IteratorResult<AgentEvent> {
    this.lastDelivered = event.sequence;
    if (isTerminal(event)) this.close();
    return { value: event, done: false };
  }

  /** The next event of the page read last, if any is left. */
  private takeReplayed(): AgentEvent | undefined {
    const page = this.replayPage;
    if (!page) return undefined;
    const event = page[this.replayAt++];
    if (this.replayAt >= page.length) {
      this.replayPage = null;
      this.replayAt = 0;
    }
    return event;
  }

  /** Reads the next page; when the store has nothing more, switches to the live queue. */
  private async readPage(): Promise<AgentEvent | undefined> {
    const page = await this.deps.store.readEvents(this.workflowId, this.lastDelivered, this.pageSize);
    if (this.finished) return undefined;
    if (page.length > 0) {
      this.replayPage = page;
      this.replayAt = 0;
      return this.takeReplayed();
    }
    this.replaying = false;
    // Nothing after what the reader has: if the workflow is over, nothing will ever arrive.
    const workflow = await this.deps.store.getWorkflow(this.workflowId);
    if (!workflow || (isFinishedStatus(workflow.status) && workflow.lastSequence <= this.lastDelivered)) {
      this.close();
    }
    return undefined;
  }

  private onLive(events: readonly AgentEvent[]): void {
    if (this.finished) return;
    const queued = this.queue?.length ?? 0;
    if (queued + events.length > this.capacity) {
      // The reader is behind: drop what is queued and catch up from the store instead.
      if (!this.replaying) this.onLag?.();
      this.queue = null;
      this.replaying = true;
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
    const batch = Promise.resolve().then(() => this.nextBatch());
    parked(handOver(batch, reader ?? undefined));
  }
}

/** What readBatch() hands a batch (or the end of the stream, or its error) to. */
export interface BatchReader<T> {
  onBatch(batch: IteratorResult<AgentEvent[], undefined>): T | PromiseLike<T>;
  onBatchError(error: unknown): T | PromiseLike<T>;
}

/** The batch as it is, or what `reader` makes of it (its batch or its error). */
function handOver<T>(batch: Promise<IteratorResult<AgentEvent[], undefined>>, reader: BatchReader<T> | undefined): Promise<unknown> {
  return reader ? batch.then((value) => reader.onBatch(value), (error: unknown) => reader.onBatchError(error)) : batch;
}

/** What step(true) returns instead of waiting for live events. */
const IDLE = Symbol('idle');


function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
