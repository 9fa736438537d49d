/** How long one reader may keep the event loop before it lets other work run. */
export const EVENT_LOOP_SLICE_MS = 4;

/**
 * Wraps a stream so that a reader which never has to wait (a replay of stored events, read by a
 * fast client) still gives the event loop back every `sliceMs`: a `setImmediate` turn, in which
 * other requests, timers and the socket's own write callbacks run. Without it, GraphQL over SSE
 * replays a long history in one unbroken chain of promise callbacks: Node completes a socket
 * write that the kernel accepted at once on the microtask queue, so the response never reports
 * itself full and its backpressure (wait for `drain`) never engages, while every other client
 * waits (docs/performance.md, "Long replays over SSE"). graphql-ws has this from its socket
 * adapter; SSE and in-process execution get it here. `return` and `throw` pass straight through.
 */
export function shareEventLoop<T>(
  inner: AsyncIterableIterator<T>,
  sliceMs = EVENT_LOOP_SLICE_MS,
): AsyncIterableIterator<T> {
  let sliceStarted = performance.now();
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      const now = performance.now();
      if (now - sliceStarted >= sliceMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStarted = performance.now();
      }
      return inner.next();
    },
    return: (value?: unknown) => inner.return?.(value) ?? Promise.resolve({ value: undefined, done: true }),
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- iterator protocol: throw(e) rejects with the caller's own value
    throw: (error?: unknown) => inner.throw?.(error) ?? Promise.reject(error),
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
