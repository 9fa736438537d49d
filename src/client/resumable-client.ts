import {
  createClient,
  type Client,
  type ClientOptions,
  type FormattedExecutionResult,
  type Sink,
  type SubscribePayload,
} from 'graphql-ws';

type Result<Data, Extensions> = FormattedExecutionResult<Data, Extensions>;

export interface ResumableClientOptions extends ClientOptions {
  /**
   * graphql-ws gives up after `retryAttempts` failed reconnects in a row (default here 10; the
   * graphql-ws default is 5). Each successful connection resets the count.
   */
  retryAttempts?: number;
  /**
   * Whether a failed connection is retried. Default here: always (a refused connection during a
   * network outage surfaces as an error event, not a close event, and graphql-ws's default gives
   * up on it). Close codes graphql-ws deems fatal (4400, 4401, 4500, ...) are never retried.
   */
  shouldRetry?: ClientOptions['shouldRetry'];
}

/**
 * A graphql-ws `Client` whose workflow streams survive reconnects (see `createResumableClient`).
 * Anything that takes a graphql-ws client takes this one: Apollo's `GraphQLWsLink`, urql's
 * `subscriptionExchange`, your own code.
 *
 * `subscribe` and `iterate` behave as graphql-ws documents, except when the variables carry a
 * `workflowId`: then each event's `sequence` is remembered, every (re)subscription sends
 * `afterSequence` = the last sequence delivered, and no event is delivered twice.
 */
export interface ResumableClient extends Client {
  /** The graphql-ws client underneath. */
  readonly client: Client;
  /** The highest sequence delivered for this workflow by any subscription of this client. */
  lastSequence(workflowId: string): number | undefined;
}

/**
 * Wraps a graphql-ws client so that the consumer of `agentStream` sees every event exactly once
 * across reconnects (a server restart, a load balancer closing the socket, a network drop).
 *
 * graphql-ws keeps no queue of missed events, and on reconnect it re-sends each subscription's
 * original payload. That payload is serialised again at every (re)send, so this wrapper gives it
 * a `variables` getter that answers with the current resume point: the server replays from the
 * store after `afterSequence` and then goes live (docs/events.md, resume). A sequence check drops
 * anything already delivered and reports a gap as an error, so the guarantee does not rest on
 * the server alone.
 */
export function createResumableClient(options: ResumableClientOptions): ResumableClient {
  const client = createClient({ retryAttempts: 10, shouldRetry: () => true, ...options });
  const lastByWorkflow = new Map<string, number>();

  function subscribe<Data = Record<string, unknown>, Extensions = unknown>(
    request: SubscribePayload,
    sink: Sink<Result<Data, Extensions>>,
  ): () => void {
    const variables = request.variables ?? {};
    const workflowId = typeof variables.workflowId === 'string' ? variables.workflowId : null;
    if (workflowId === null) return client.subscribe<Data, Extensions>(request, sink);

    let cursor = typeof variables.afterSequence === 'number' ? variables.afterSequence : 0;
    let stopped = false;
    const payload = {
      query: request.query,
      operationName: request.operationName ?? null,
      extensions: request.extensions ?? null,
      // Read by graphql-ws each time it sends the subscription, the first time and after a reconnect.
      get variables() {
        return { ...variables, afterSequence: cursor };
      },
    };
    const unsubscribe = client.subscribe<Data, Extensions>(payload, {
      next(result) {
        if (stopped) return;
        const event = rootEvent(result);
        if (!event || typeof event.sequence !== 'number' || result.errors?.length) {
          sink.next(result);
          return;
        }
        // A Heartbeat repeats the last sequence: pass it on, it only means "still alive".
        if (event.__typename === 'Heartbeat') {
          if (event.sequence <= cursor) sink.next(result);
          return;
        }
        if (event.sequence <= cursor) return;
        if (event.sequence !== cursor + 1) {
          stopped = true;
          unsubscribe();
          sink.error(new Error(`workflow ${workflowId}: expected event ${cursor + 1}, received ${event.sequence}`));
          return;
        }
        cursor = event.sequence;
        if ((lastByWorkflow.get(workflowId) ?? 0) < cursor) lastByWorkflow.set(workflowId, cursor);
        sink.next(result);
      },
      error(error) {
        if (stopped) return;
        stopped = true;
        sink.error(error);
      },
      complete() {
        if (stopped) return;
        stopped = true;
        sink.complete();
      },
    });
    return () => {
      stopped = true;
      unsubscribe();
    };
  }

  return {
    client,
    on: (event, listener) => client.on(event, listener),
    subscribe,
    iterate: <Data = Record<string, unknown>, Extensions = unknown>(request: SubscribePayload) =>
      iterateSubscription<Result<Data, Extensions>>((sink) => subscribe(request, sink)),
    lastSequence: (workflowId) => lastByWorkflow.get(workflowId),
    dispose: () => client.dispose(),
    terminate: () => client.terminate(),
  };
}

/** The event of a subscription result: the value of its single root field. */
function rootEvent(result: Result<unknown, unknown>): { __typename?: unknown; sequence: unknown } | null {
  const data = result.data;
  if (!data || typeof data !== 'object') return null;
  const values = Object.values(data as Record<string, unknown>);
  const value = values.length === 1 ? values[0] : null;
  if (!value || typeof value !== 'object' || !('sequence' in value)) return null;
  return value;
}

/** Turns a push subscription into a pull iterator; results wait in a queue until they are read. */
function iterateSubscription<T>(start: (sink: Sink<T>) => () => void): AsyncIterableIterator<T> {
  const pending: T[] = [];
  let done = false;
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  const unsubscribe = start({
    next: (value) => {
      pending.push(value);
      notify();
    },
    error: (error) => {
      failure = { error };
      done = true;
      notify();
    },
    complete: () => {
      done = true;
      notify();
    },
  });
  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => iterator,
    async next() {
      for (;;) {
        if (pending.length > 0) return { value: pending.shift() as T, done: false };
        if (failure) {
          const { error } = failure;
          failure = null;
          throw error;
        }
        if (done) return { value: undefined, done: true };
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    async return() {
      done = true;
      pending.length = 0;
      unsubscribe();
      notify();
      return { value: undefined, done: true };
    },
  };
  return iterator;
}
