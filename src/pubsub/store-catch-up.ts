import type { AgentEvent } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/index.js';
import type { EventBatchListener } from './types.js';

/** The local listeners of one workflow's channel, and how far the pubsub has delivered to them. */
export interface Topic {
  workflowId: string;
  listeners: Set<EventBatchListener>;
  /** Sequence of the newest event delivered to the listeners; null before the first one. */
  cursor: number | null;
}

const PAGE_SIZE = 500;
/** Pages read per workflow and pass; a longer backlog is finished on the next pass. */
const MAX_PAGES_PER_READ = 20;

/**
 * Delivers committed events from the store to the listeners of a topic: while Redis is down (a
 * polling loop), when it returns, and once when a new subscription is confirmed. It delivers the
 * events after the topic's cursor; a topic without one gets the workflow's newest event, which
 * is enough: WorkflowStream drops what it already has, fills a gap from the store, and completes
 * on a terminal event it had already seen. So overlap is harmless and nothing is missed.
 */
export class StoreCatchUp {
  private running = false;
  private generation = 0;

  constructor(
    private readonly store: Pick<Store, 'readLastEvent' | 'readEvents'>,
    private readonly topics: ReadonlyMap<string, Topic>,
    private readonly logger: Logger,
    private readonly onListenerError: (error: unknown) => void,
  ) {}

  /** Hands a batch to the topic's listeners and moves its cursor (Heartbeats do not move it). */
  deliver(topic: Topic, events: readonly AgentEvent[]): void {
    for (const event of events) {
      if (event.type !== 'Heartbeat' && (topic.cursor === null || event.sequence > topic.cursor))
        topic.cursor = event.sequence;
    }
    for (const listener of topic.listeners) {
      try {
        listener(events);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  /** Reads and delivers what the store has beyond the topic's cursor. Never rejects. */
  async read(topic: Topic): Promise<void> {
    try {
      let after = topic.cursor;
      if (after === null) {
        // A new subscription: the newest event is enough (see the class comment), one read.
        const newest = await this.store.readLastEvent(topic.workflowId);
        if (newest && this.topics.get(topic.workflowId) === topic) this.deliver(topic, [newest]);
        return;
      }
      for (let page = 0; page < MAX_PAGES_PER_READ; page++) {
        const events = await this.store.readEvents(topic.workflowId, after, PAGE_SIZE);
        if (this.topics.get(topic.workflowId) !== topic || events.length === 0) return;
        this.deliver(topic, events);
        after = events.at(-1)!.sequence;
        if (events.length < PAGE_SIZE) return;
      }
    } catch (error) {
      this.logger.warn('could not read new events from the store for live subscribers', {
        workflowId: topic.workflowId,
        error,
      });
    }
  }

  /** One pass over every subscribed workflow. */
  async readAll(): Promise<void> {
    for (const topic of [...this.topics.values()]) await this.read(topic);
  }

  /** Polls every `intervalMs` until `done()` says so or `stop` is called. Idempotent. */
  start(intervalMs: number, done: () => boolean): void {
    if (this.running) return;
    this.running = true;
    // A new generation: a pass still in flight from an earlier start ends on its own.
    const generation = ++this.generation;
    const tick = async () => {
      if (!this.running || generation !== this.generation) return;
      if (done()) {
        this.running = false;
        return;
      }
      await this.readAll();
      setTimeout(() => void tick(), intervalMs).unref();
    };
    void tick();
  }

  stop(): void {
    this.running = false;
  }
}
