import { setTimeout as sleep } from 'node:timers/promises';
import type { AgentEventBody } from '../events/index.js';
import type { FrameSource, UpstreamFrame } from './frames.js';
import { backoffDelay, type TransportSettings } from './settings.js';
import { UpstreamError, type TimeoutKind } from './upstream-error.js';
import { UpstreamBounds } from './upstream-bounds.js';

/**
 * Maps one attempt's frames to event bodies. Stateful (tool calls in flight, text so far,
 * usage), so a new one is made per attempt.
 */
export interface FrameMapper {
  /**
   * Maps one frame of a batch, pushing its bodies (none, one or several) onto `out`, the batch
   * being built: no array per frame on the text-delta path. May throw an UpstreamError (a
   * malformed frame); whatever it pushed for that frame is then discarded. Pushes a terminal
   * body when the upstream's stream is complete.
   */
  mapInto(frame: UpstreamFrame, out: AgentEventBody[]): void;
  /** The frames ended without a terminal body: whatever can still be said (may be a terminal). */
  end?(): AgentEventBody[];
  /**
   * True when the upstream stopped to wait for a person (an interrupt): its stream then ends
   * without a terminal body and that is not a disconnect (the bridge pauses the run).
   */
  paused?(): boolean;
}

/** How a dialect talks to its upstream: open a connection, and map what arrives. */
export interface UpstreamProtocol {
  /** Opens one attempt; throws an UpstreamError (or anything, treated as a connection failure). */
  open(signal: AbortSignal): Promise<FrameSource>;
  createMapper(source: FrameSource): FrameMapper;
  /** Called once when the run is cancelled after an attempt opened (LangGraph's cancel endpoint). */
  onCancel?(): void;
}

export interface RunUpstreamOptions {
  settings: TransportSettings;
  /** The run's signal: aborted on cancel and shutdown. */
  signal: AbortSignal;
  /** Told about every retry, for the log. */
  onRetry?(error: UpstreamError, attempt: number, delayMs: number): void;
}

/**
 * Drives one run against an upstream: attempts with retries, our own first-event / idle / total
 * timeouts, cancellation, and every failure turned into a RunFailed body with its code. Never
 * throws. Retries happen on retryable failures (connect errors, 429, 5xx, a drop before any
 * event) only while no event of this run has been yielded; after that a failure ends the run.
 * On cancel it simply stops (the bridge writes RunCancelled).
 *
 * Yields the bodies in arrays, one per batch of frames the transport read at once (never an
 * empty array; nothing after a terminal body), so a fast upstream costs one async step per
 * chunk; the idle timer is refreshed once per batch too.
 */
export async function* runUpstreamBatches(
  protocol: UpstreamProtocol,
  options: RunUpstreamOptions,
): AsyncGenerator<AgentEventBody[]> {
  const { settings, signal } = options;
  const timeout = new AbortController();
  let expired: { kind: TimeoutKind; ms: number } | null = null;
  const expire = (kind: TimeoutKind, ms: number) => () => {
    expired ??= { kind, ms };
    timeout.abort(UpstreamError.timeout(kind, ms));
  };
  const totalTimer = setTimeout(expire('total', settings.totalMs), settings.totalMs);
  let firstEventTimer: NodeJS.Timeout | undefined = setTimeout(
    expire('first-event', settings.firstEventMs),
    settings.firstEventMs,
  );
  let idleTimer: NodeJS.Timeout | undefined;
  const combined = AbortSignal.any([signal, timeout.signal]);
  let yielded = false;
  let finished = false;
  let source: FrameSource | null = null;
  let cancelNotified = false;
  const bounds = new UpstreamBounds(settings);
  const onCancel = () => {
    source?.close();
    if (!cancelNotified && source) {
      cancelNotified = true;
      protocol.onCancel?.();
    }
  };
  signal.addEventListener('abort', onCancel, { once: true });

  const timedOut = (): AgentEventBody => failed(UpstreamError.timeout(expired!.kind, expired!.ms));

  try {
    for (let attempt = 1; ; attempt++) {
      try {
        source = await protocol.open(combined);
        if (signal.aborted) return onCancel();
        const mapper = protocol.createMapper(source);
        for await (const frames of source.batches) {
          if (firstEventTimer) {
            clearTimeout(firstEventTimer);
            firstEventTimer = undefined;
            idleTimer = setTimeout(expire('idle', settings.idleMs), settings.idleMs);
          } else {
            idleTimer?.refresh();
          }
          const { bodies, error } = mapFrames(mapper, frames, bounds);
          if (bodies.length > 0) {
            yielded = true;
            finished = isTerminalBody(bodies[bodies.length - 1]!);
            yield bodies;
            if (finished) return;
          }
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- what the mapper threw (or the bound it crossed), passed through as is to the catch below, which classifies it
          if (error !== undefined) throw error;
          if (combined.aborted) break;
        }
        if (signal.aborted) return;
        if (expired) {
          yield [timedOut()];
          return;
        }
        const rest = upToTerminal(mapper.end?.() ?? []);
        if (rest.length > 0) {
          yielded = true;
          yield rest;
          if (isTerminalBody(rest[rest.length - 1]!)) return;
        }
        if (mapper.paused?.()) {
          finished = true;
          return;
        }
        if (!yielded && attempt < settings.attempts) {
          // 2xx and an empty stream: as retryable as a drop
          throw UpstreamError.disconnected('the upstream stream ended before any event');
        }
        yield [failed(UpstreamError.disconnected('the upstream stream ended before its terminal event'))];
        return;
      } catch (caught) {
        source?.close();
        if (signal.aborted) return;
        if (expired) {
          yield [timedOut()];
          return;
        }
        const error =
          caught instanceof UpstreamError
            ? caught
            : UpstreamError.disconnected(`the upstream failed: ${(caught as Error)?.message ?? String(caught)}`, {
                cause: caught,
              });
        if (!error.retryable || yielded || attempt >= settings.attempts) {
          yield [failed(error, attempt)];
          return;
        }
        const delay = backoffDelay(settings, attempt, error.retryAfterMs);
        options.onRetry?.(error, attempt, delay);
        try {
          await sleep(delay, undefined, { signal: combined });
        } catch {
          if (signal.aborted) return;
          yield [timedOut()];
          return;
        }
      }
    }
  } finally {
    clearTimeout(totalTimer);
    clearTimeout(firstEventTimer);
    clearTimeout(idleTimer);
    signal.removeEventListener('abort', onCancel);
    // after the terminal frame the source finishes itself (and may keep its connection alive)
    if (!finished || signal.aborted) source?.close();
  }
}

/**
 * Maps a batch of frames, stopping at the first terminal body. A frame that throws (malformed)
 * ends the mapping with its error, which is thrown once the bodies of the frames before it are
 * yielded: as when frames came one at a time. So does a body over one of the run's bounds
 * (upstream-bounds.ts): the bodies before it are kept.
 */
function mapFrames(
  mapper: FrameMapper,
  frames: readonly UpstreamFrame[],
  bounds: UpstreamBounds,
): { bodies: AgentEventBody[]; error?: unknown } {
  const bodies: AgentEventBody[] = [];
  for (let index = 0; index < frames.length; index++) {
    const from = bodies.length;
    try {
      mapper.mapInto(frames[index]!, bodies);
    } catch (error) {
      bodies.length = from;
      return { bodies, error };
    }
    for (let at = from; at < bodies.length; at++) {
      const overBound = bounds.check(bodies[at]!);
      if (overBound) {
        bodies.length = at;
        return { bodies, error: overBound };
      }
      if (isTerminalBody(bodies[at]!)) {
        bodies.length = at + 1;
        return { bodies };
      }
    }
  }
  return { bodies };
}

function upToTerminal(bodies: AgentEventBody[]): AgentEventBody[] {
  for (let index = 0; index < bodies.length; index++) {
    if (isTerminalBody(bodies[index]!)) return index === bodies.length - 1 ? bodies : bodies.slice(0, index + 1);
  }
  return bodies;
}

function isTerminalBody(body: AgentEventBody): boolean {
  return body.type === 'RunCompleted' || body.type === 'RunFailed' || body.type === 'RunCancelled';
}

/** A RunFailed body for an upstream failure; the message says how many attempts were made. */
export function failed(error: UpstreamError, attempts = 1): AgentEventBody {
  return {
    type: 'RunFailed',
    code: error.code,
    message: attempts > 1 ? `${error.message} (after ${attempts} attempts)` : error.message,
    retryable: error.retryable,
    recoverySuggestion: error.recoverySuggestion,
    usage: null,
  };
}
