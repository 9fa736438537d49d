import { randomUUID } from 'node:crypto';
import type { AgentEvent } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../redis-client.js';
import type { Store, WorkflowRecord } from '../store/index.js';
import { StoreCatchUp, type Topic } from './store-catch-up.js';
import type { ControlListener, ControlMessage, EventBatchListener, PubSub, WorkflowUpdateListener } from './types.js';

export interface RedisPubSubOptions {
  /** `redis://…` or `rediss://…`. */
  url: string;
  /** Prefix of every channel name (`<prefix>events:<workflowId>`, `<prefix>updates`, `<prefix>control`). */
  keyPrefix?: string;
  /** While Redis is down, how often subscribed workflows are read from the store. Default 250. */
  fallbackPollMs?: number;
  /** The committed history: read while Redis is down and when a new subscription starts. */
  store: Pick<Store, 'readLastEvent' | 'readEvents'>;
  logger: Logger;
  onListenerError?: (error: unknown) => void;
  /** How long the factory waits for the first connection before it returns degraded. Default 2000. */
  connectWaitMs?: number;
}

export interface RedisPubSub extends PubSub {
  /** True while the subscriber connection is up and subscribed to every channel it needs. */
  readonly isConnected: boolean;
}

/** Publishes still waiting for Redis beyond this many are dropped (Redis is hung): memory stays bounded. */
const MAX_IN_FLIGHT_PUBLISHES = 10_000;
const PING_TIMEOUT_MS = 1_000;
/** Workflows whose last unsent batch is kept for resending when Redis is back. */
const MAX_UNSENT_WORKFLOWS = 10_000;
/** Messages per call of the publishing script (`PUBLISH_MANY`). */
const MAX_MESSAGES_PER_CALL = 1_000;
/**
 * Publishes its arguments' (channel, message) pairs in order: the publishes of one turn as one
 * command. Subscribers get exactly the messages of as many PUBLISH commands; a pipeline of
 * PUBLISH commands cost ioredis a command object, a promise and an argument array each, about
 * twice the gateway's CPU per message (docs/scaling.md, "Publishes of one turn").
 */
const PUBLISH_MANY = "for i = 1, #ARGV, 2 do redis.call('PUBLISH', ARGV[i], ARGV[i + 1]) end return #ARGV / 2";

/** The publisher connection with the script defined on it (ioredis `defineCommand`: EVALSHA, EVAL on NOSCRIPT). */
type Publisher = Redis & { synapsePublishMany(...channelsAndMessages: string[]): Promise<number> };

/**
 * The fan-out between gateway instances over Redis pub/sub (plain ioredis: one publisher and one
 * subscriber connection per process). A batch is published as `<origin> <JSON events>`; every
 * event carries its sequence, so WorkflowStream's replay-then-tail rule holds across instances.
 *
 * - Local listeners get a batch at once, in commit order, from `publish` itself; the copy that
 *   comes back from Redis is recognised by its origin and skipped (no duplicate work, no
 *   reordering between the local and the Redis path).
 * - A workflow's channel is subscribed while a local listener exists. Once Redis confirms a new
 *   subscription, the workflow's newest committed event is read from the store and delivered,
 *   so an event published before the subscription took effect is never missed (WorkflowStream
 *   drops what it already has and fills any gap from the store).
 * - Publishing never blocks nor fails the commit path: it is fire and forget, bounded. The
 *   publishes of one event-loop turn (every workflow of a group commit) go in one command
 *   (`PUBLISH_MANY`).
 * - While the subscriber connection is down, subscribed workflows are read from the store every
 *   `fallbackPollMs` and new events delivered with their sequences; once Redis is back and every
 *   channel is subscribed again, one last read closes the window. `ping` rejects meanwhile.
 *   Workflow updates and control messages sent during the outage are lost (docs/scaling.md).
 */
export async function createRedisPubSub(options: RedisPubSubOptions): Promise<RedisPubSub> {
  const prefix = options.keyPrefix ?? 'synapse:';
  const eventsPrefix = `${prefix}events:`;
  const updatesChannel = `${prefix}updates`;
  const controlChannel = `${prefix}control`;
  const origin = randomUUID();
  const { logger } = options;
  const onListenerError = options.onListenerError ?? ((error) => logger.error('pubsub listener failed', { error }));

  const topics = new Map<string, Topic>();
  const workflowUpdateListeners = new Set<WorkflowUpdateListener>();
  const controlListeners = new Set<ControlListener>();
  const catchUp = new StoreCatchUp(options.store, topics, logger, onListenerError);

  // Channels are resubscribed by this module (with a catch-up read), not by ioredis.
  const publisher = createRedisClient(options.url, { autoResubscribe: false }) as Publisher;
  publisher.defineCommand('synapsePublishMany', { numberOfKeys: 0, lua: PUBLISH_MANY });
  const subscriber = createRedisClient(options.url, { autoResubscribe: false });

  let connected = false;
  let closed = false;
  let epoch = 0;
  let inFlight = 0;
  let droppedPublishes = 0;
  let markReady: () => void = () => {};
  const firstReady = new Promise<void>((resolve) => (markReady = resolve));

  const stopPolling = () => catchUp.stop();
  const startPolling = () => {
    if (!closed) catchUp.start(options.fallbackPollMs ?? 250, () => connected || closed);
  };

  for (const client of [publisher, subscriber]) {
    // Connection errors are reported through 'close' below; without a listener ioredis would crash the process.
    client.on('error', (error: Error) => logger.debug('redis connection error', { error: error.message }));
  }
  /**
   * Per workflow, the last batch Redis did not take, published again once the publisher is back:
   * an instance whose subscriber connection never noticed the outage then still gets the end of
   * the stream (a later batch makes it read any gap from the store). A later batch that goes
   * through supersedes it.
   */
  const unsent = new Map<string, readonly AgentEvent[]>();
  publisher.on('ready', () => {
    if (droppedPublishes > 0)
      logger.warn('redis publishes were dropped while it was down', { count: droppedPublishes, resent: unsent.size });
    droppedPublishes = 0;
    const batches = [...unsent];
    unsent.clear();
    for (const [workflowId, events] of batches) publishEvents(workflowId, events);
  });
  subscriber.on('close', () => {
    epoch++;
    if (connected) logger.warn('redis is unreachable; live subscribers read the store until it is back');
    connected = false;
    startPolling();
  });
  const desiredChannels = (): Set<string> => {
    const channels = new Set([...topics.keys()].map((workflowId) => eventsPrefix + workflowId));
    if (workflowUpdateListeners.size > 0) channels.add(updatesChannel);
    if (controlListeners.size > 0) channels.add(controlChannel);
    return channels;
  };
  /** Brings the subscriber's channels (`live`) to what listeners need now; true when it changed any. */
  const syncChannels = async (live: Set<string>): Promise<boolean> => {
    const desired = desiredChannels();
    const missing = [...desired].filter((channel) => !live.has(channel));
    const extra = [...live].filter((channel) => !desired.has(channel));
    if (missing.length > 0) await subscriber.subscribe(...missing);
    if (extra.length > 0) await subscriber.unsubscribe(...extra);
    for (const channel of missing) live.add(channel);
    for (const channel of extra) live.delete(channel);
    return missing.length > 0 || extra.length > 0;
  };
  subscriber.on('ready', () => {
    const current = epoch;
    const stale = () => current !== epoch || closed;
    void (async () => {
      const live = new Set<string>();
      // Subscribe every channel, then read what was committed before (everything published from
      // now on arrives through Redis). Listeners that come or go during those round trips are
      // not connected yet, so repeat until nothing changed. A cursor known from before stays valid.
      for (let round = 0; round < 10; round++) {
        const changed = await syncChannels(live);
        if (stale()) return;
        if (round > 0 && !changed) break;
        await catchUp.readAll();
        if (stale()) return;
      }
      connected = true;
      stopPolling();
      logger.info('redis connection ready', { channels: live.size });
      markReady();
    })().catch((error: unknown) => logger.warn('redis resubscribe failed; retrying on reconnect', { error }));
  });

  subscriber.on('message', (channel: string, message: string) => {
    const space = message.indexOf(' ');
    if (space < 0 || message.slice(0, space) === origin) return;
    let payload: unknown;
    try {
      payload = JSON.parse(message.slice(space + 1));
    } catch {
      logger.warn('ignored a malformed redis message', { channel });
      return;
    }
    if (channel.startsWith(eventsPrefix)) {
      const topic = topics.get(channel.slice(eventsPrefix.length));
      if (topic && isEventBatch(payload, topic.workflowId)) catchUp.deliver(topic, payload);
      else if (topic) logger.warn('ignored a redis message that is not an event batch of its workflow', { channel });
    } else if (channel === updatesChannel) {
      const workflow = reviveWorkflow(payload);
      if (workflow) callEach(workflowUpdateListeners, workflow, onListenerError);
    } else if (channel === controlChannel) {
      const control = parseControl(payload);
      if (control) callEach(controlListeners, control, onListenerError);
    }
  });

  /**
   * Publishes of one turn, sent together. A group commit resolves the commits of many workflows
   * at once and each writer publishes its batch: one call of the publishing script (one command,
   * one reply) then carries all of them instead of a command and a reply per workflow.
   */
  let outbox: { channel: string; message: string; settle: ((error: Error | null) => void) | null }[] = [];
  const flushOutbox = () => {
    const sending = outbox;
    outbox = [];
    for (let start = 0; start < sending.length; start += MAX_MESSAGES_PER_CALL)
      publishAll(sending.slice(start, start + MAX_MESSAGES_PER_CALL));
  };
  const publishAll = (sending: typeof outbox) => {
    const settle = (error: Error | null) => {
      inFlight -= sending.length;
      if (error !== null) droppedPublishes += sending.length;
      for (const entry of sending) entry.settle?.(error);
    };
    if (publisher.status !== 'ready') return settle(new Error('redis is unreachable'));
    const arguments_: string[] = [];
    for (const { channel, message } of sending) arguments_.push(channel, message);
    // One message: a plain PUBLISH, cheaper for Redis than a script call.
    const sent =
      sending.length === 1
        ? publisher.publish(arguments_[0]!, arguments_[1]!)
        : publisher.synapsePublishMany(...arguments_);
    sent.then(
      () => settle(null),
      (error: unknown) => settle(error instanceof Error ? error : new Error(String(error))),
    );
  };
  /**
   * Fire and forget: the commit already happened, a lost publish is filled from the store.
   * `settle` (when given) hears whether Redis took the message: null, or why not.
   */
  const send = (channel: string, payload: unknown, settle: ((error: Error | null) => void) | null = null): void => {
    if (inFlight >= MAX_IN_FLIGHT_PUBLISHES || publisher.status !== 'ready') {
      droppedPublishes++;
      settle?.(new Error('redis is unreachable'));
      return;
    }
    inFlight++;
    if (outbox.length === 0) setImmediate(flushOutbox);
    outbox.push({ channel, message: `${origin} ${JSON.stringify(payload)}`, settle });
  };
  const publishEvents = (workflowId: string, events: readonly AgentEvent[]) => {
    if (events.every((event) => event.type === 'Heartbeat')) return send(eventsPrefix + workflowId, events);
    unsent.delete(workflowId);
    send(eventsPrefix + workflowId, events, (error) => {
      if (error === null || closed || (unsent.size >= MAX_UNSENT_WORKFLOWS && !unsent.has(workflowId))) return;
      unsent.delete(workflowId); // keep the map in publish order
      unsent.set(workflowId, events);
    });
  };

  const subscribeChannel = (channel: string, then?: () => void) => {
    if (!connected) return; // the poller covers it; 'ready' subscribes it
    subscriber.subscribe(channel).then(then, () => {});
  };
  const unsubscribeChannel = (channel: string) => {
    if (connected) subscriber.unsubscribe(channel).catch(() => {});
  };

  const pubsub: RedisPubSub = {
    shared: true,
    get isConnected() {
      return connected;
    },
    publish(workflowId: string, events: readonly AgentEvent[]) {
      const topic = topics.get(workflowId);
      if (topic) catchUp.deliver(topic, events);
      publishEvents(workflowId, events);
    },
    subscribe(workflowId: string, listener: EventBatchListener) {
      let topic = topics.get(workflowId);
      if (!topic) {
        const created: Topic = { workflowId, listeners: new Set(), cursor: null };
        topics.set(workflowId, created);
        topic = created;
        // Catch up once Redis confirms: see the class comment.
        subscribeChannel(eventsPrefix + workflowId, () => {
          if (topics.get(workflowId) === created && created.cursor === null) void catchUp.read(created);
        });
      }
      topic.listeners.add(listener);
      const owner = topic;
      return () => {
        owner.listeners.delete(listener);
        if (owner.listeners.size > 0 || topics.get(workflowId) !== owner) return;
        topics.delete(workflowId);
        unsubscribeChannel(eventsPrefix + workflowId);
      };
    },
    publishWorkflowUpdate(workflow: WorkflowRecord) {
      callEach(workflowUpdateListeners, workflow, onListenerError);
      send(updatesChannel, workflow);
    },
    subscribeWorkflowUpdates(listener: WorkflowUpdateListener) {
      if (workflowUpdateListeners.size === 0) subscribeChannel(updatesChannel);
      workflowUpdateListeners.add(listener);
      return () => {
        if (workflowUpdateListeners.delete(listener) && workflowUpdateListeners.size === 0)
          unsubscribeChannel(updatesChannel);
      };
    },
    async publishControl(message: ControlMessage) {
      callEach(controlListeners, message, onListenerError);
      await new Promise<void>((resolve, reject) =>
        send(controlChannel, message, (error) => (error === null ? resolve() : reject(error))),
      );
    },
    subscribeControl(listener: ControlListener) {
      if (controlListeners.size === 0) subscribeChannel(controlChannel);
      controlListeners.add(listener);
      return () => {
        if (controlListeners.delete(listener) && controlListeners.size === 0) unsubscribeChannel(controlChannel);
      };
    },
    async ping() {
      if (!connected) throw new Error('redis is unreachable');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('redis did not answer PING')), PING_TIMEOUT_MS);
      });
      try {
        await Promise.race([publisher.ping(), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      stopPolling();
      topics.clear();
      workflowUpdateListeners.clear();
      controlListeners.clear();
      await Promise.allSettled([quit(publisher), quit(subscriber)]);
    },
  };

  let waitTimer: NodeJS.Timeout | undefined;
  await Promise.race([
    firstReady,
    new Promise<void>((resolve) => (waitTimer = setTimeout(resolve, options.connectWaitMs ?? 2_000))),
  ]);
  clearTimeout(waitTimer);
  if (!connected) {
    logger.warn('redis is unreachable at start-up; live subscribers read the store until it is back', {
      url: redactUrl(options.url),
    });
    startPolling();
  }
  return pubsub;
}

async function quit(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([client.quit().catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, 1_000)))]);
    clearTimeout(timer);
  }
  client.disconnect();
}

function callEach<T>(listeners: Set<(value: T) => void>, value: T, onError: (error: unknown) => void): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch (error) {
      onError(error);
    }
  }
}

/** The shape WorkflowStream relies on: events of this workflow, each with a type and a sequence. */
function isEventBatch(payload: unknown, workflowId: string): payload is AgentEvent[] {
  return (
    Array.isArray(payload) &&
    payload.every(
      (event: unknown) =>
        typeof event === 'object' &&
        event !== null &&
        (event as AgentEvent).workflowId === workflowId &&
        typeof (event as AgentEvent).type === 'string' &&
        Number.isInteger((event as AgentEvent).sequence),
    )
  );
}

function reviveWorkflow(payload: unknown): WorkflowRecord | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const raw = payload as Record<string, unknown>;
  if (typeof raw.id !== 'string' || typeof raw.createdAt !== 'string') return null;
  const date = (value: unknown) => (typeof value === 'string' ? new Date(value) : null);
  return {
    ...(raw as unknown as WorkflowRecord),
    createdAt: new Date(raw.createdAt),
    startedAt: date(raw.startedAt),
    finishedAt: date(raw.finishedAt),
  };
}

function parseControl(payload: unknown): ControlMessage | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const raw = payload as Record<string, unknown>;
  if (raw.type === 'cancel' && typeof raw.workflowId === 'string') {
    return { type: 'cancel', workflowId: raw.workflowId, reason: typeof raw.reason === 'string' ? raw.reason : null };
  }
  return null;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
