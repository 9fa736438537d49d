import type { Readable } from 'node:stream';
import type { FrameDecoder, UpstreamFrame } from './frames.js';

export interface StreamBatchesOptions {
  /** What the reader gets instead of an error of the stream or of the decoder. */
  mapError(error: unknown): Error;
  /**
   * Runs once, when the stream ended and the reader took the end, when the reader stopped early
   * (`return`), or when an error reached the reader; `clean` is false after an error.
   */
  settle(clean: boolean): void;
}

/** Arrays waiting for the reader before the stream is paused (a slow reader, a burst). */
const HIGH_WATER = 16;

/**
 * The frames of a byte stream in arrays, one per chunk that completes any (as `decodeBatches`),
 * decoded as the chunks arrive ('data' events) instead of through the stream's async iterator:
 * Node's iterator reads each chunk through a 'readable' event, `read()` and a promise of its own,
 * and the generators around it added one more step each. Per chunk of an upstream at model pace,
 * one token, this costs about 6 µs of CPU less (docs/performance.md, "The fourth pass"). At most
 * `HIGH_WATER` arrays wait for the reader; past that the stream is paused until it catches up,
 * so a slow reader still holds the upstream back. The arrays read before an error come first,
 * then the error (through `mapError`), once.
 */
export function streamBatches(
  body: Readable,
  decoder: FrameDecoder,
  options: StreamBatchesOptions,
): AsyncIterableIterator<UpstreamFrame[]> {
  const queue: UpstreamFrame[][] = [];
  let ended = false;
  let failure: { error: unknown } | null = null;
  let settled = false;
  let waiter: {
    resolve: (result: IteratorResult<UpstreamFrame[], undefined>) => void;
    reject: (error: unknown) => void;
  } | null = null;

  const detach = () => {
    body.off('data', onData);
    body.off('end', onEnd);
    body.off('error', onError);
    body.off('close', onClose);
  };
  const settle = (clean: boolean) => {
    if (settled) return;
    settled = true;
    detach();
    options.settle(clean);
  };
  const deliver = (frames: UpstreamFrame[]) => {
    if (waiter) {
      const { resolve } = waiter;
      waiter = null;
      resolve({ value: frames, done: false });
      return;
    }
    queue.push(frames);
    if (queue.length >= HIGH_WATER) body.pause();
  };
  const fail = (error: unknown) => {
    if (failure || ended) return;
    failure = { error };
    detach();
    if (waiter && queue.length === 0) {
      const { reject } = waiter;
      waiter = null;
      settle(false);
      reject(options.mapError(error));
    }
  };
  const finish = () => {
    ended = true;
    detach();
    if (waiter && queue.length === 0) {
      const { resolve } = waiter;
      waiter = null;
      settle(true);
      resolve({ value: undefined, done: true });
    }
  };
  function onData(chunk: Uint8Array) {
    if (failure || ended) return;
    const frames = decoder.push(chunk);
    if (frames.length > 0) deliver(frames);
    if (decoder.failure) fail(decoder.failure);
  }
  function onEnd() {
    if (failure || ended) return;
    const frames = decoder.end();
    if (frames.length > 0) deliver(frames);
    if (decoder.failure) fail(decoder.failure);
    else finish();
  }
  function onError(error: unknown) {
    fail(error);
  }
  // Closed without 'end' and without an error: the connection went away (Node's iterator throws
  // ERR_STREAM_PREMATURE_CLOSE there).
  function onClose() {
    if (!ended) fail(Object.assign(new Error('premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
  }
  body.on('data', onData);
  body.on('end', onEnd);
  body.on('error', onError);
  body.on('close', onClose);

  const done = (): IteratorResult<UpstreamFrame[], undefined> => ({ value: undefined, done: true });
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      const frames = queue.shift();
      if (frames) {
        if (body.isPaused() && queue.length < HIGH_WATER / 2 && !failure && !ended) body.resume();
        return Promise.resolve({ value: frames, done: false });
      }
      if (settled) return Promise.resolve(done());
      if (failure) {
        settle(false);
        return Promise.reject(options.mapError(failure.error));
      }
      if (ended) {
        settle(true);
        return Promise.resolve(done());
      }
      return new Promise((resolve, reject) => (waiter = { resolve, reject }));
    },
    return() {
      // The reader stopped (the terminal frame, a cancel): nothing more is decoded.
      queue.length = 0;
      settle(failure === null);
      return Promise.resolve(done());
    },
  };
}
