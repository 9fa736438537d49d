import type { AgentEventBody } from '../events/index.js';
import { UpstreamError } from './upstream-error.js';

/** What one run may take from its upstream beyond the size of one frame (docs/dialects.md, "Bounds"). */
export interface UpstreamBoundSettings {
  /** Deepest nesting of objects and arrays in any value an upstream frame carries into an event. */
  maxJsonDepth: number;
  /** UTF-8 bytes of one tool call's streamed arguments. */
  maxToolCallArgumentsBytes: number;
  /** UTF-8 bytes of every tool call's streamed arguments in one run, together. */
  maxRunToolArgumentsBytes: number;
}

export const UPSTREAM_BOUND_DEFAULTS: UpstreamBoundSettings = {
  maxJsonDepth: 128,
  maxToolCallArgumentsBytes: 1_048_576,
  maxRunToolArgumentsBytes: 8_388_608,
};

/**
 * Checks each event body an upstream produced against the run's bounds, before the bridge sees
 * it: a value nested deeper than `maxJsonDepth` (which could not even be serialized for the store
 * once it is a few thousand levels deep), tool-call arguments over their per-call or per-run
 * budget. A body over a bound is an `UPSTREAM_PROTOCOL` failure: the run ends at once, with the
 * bodies before it kept. One per run, kept across retries (the argument budget is the run's).
 */
export class UpstreamBounds {
  private readonly settings: UpstreamBoundSettings;
  private readonly perCall = new Map<string, number>();
  private runArguments = 0;

  constructor(settings: Partial<UpstreamBoundSettings> = {}) {
    this.settings = {
      maxJsonDepth: settings.maxJsonDepth ?? UPSTREAM_BOUND_DEFAULTS.maxJsonDepth,
      maxToolCallArgumentsBytes:
        settings.maxToolCallArgumentsBytes ?? UPSTREAM_BOUND_DEFAULTS.maxToolCallArgumentsBytes,
      maxRunToolArgumentsBytes: settings.maxRunToolArgumentsBytes ?? UPSTREAM_BOUND_DEFAULTS.maxRunToolArgumentsBytes,
    };
  }

  /** The bound this body passes, as an error; null when it is within every bound. */
  check(body: AgentEventBody): UpstreamError | null {
    if (body.type === 'TextDelta') return null; // the hot path: strings only
    if (body.type === 'ToolCallArgsDelta') {
      const bytes = Buffer.byteLength(body.delta);
      const call = (this.perCall.get(body.toolCallId) ?? 0) + bytes;
      this.perCall.set(body.toolCallId, call);
      this.runArguments += bytes;
      if (call > this.settings.maxToolCallArgumentsBytes) {
        return UpstreamError.protocol(
          `the arguments of tool call ${JSON.stringify(body.toolCallId.slice(0, 64))} are larger than maxToolCallArgumentsBytes (${this.settings.maxToolCallArgumentsBytes} bytes)`,
        );
      }
      if (this.runArguments > this.settings.maxRunToolArgumentsBytes) {
        return UpstreamError.protocol(
          `the tool-call arguments of this run are larger than maxRunToolArgumentsBytes (${this.settings.maxRunToolArgumentsBytes} bytes)`,
        );
      }
      return null;
    }
    const record = body as unknown as Record<string, unknown>;
    for (const key in record) {
      const value = record[key];
      if (typeof value === 'object' && value !== null && nestedDeeperThan(value, this.settings.maxJsonDepth)) {
        return UpstreamError.protocol(
          `the upstream sent a value nested deeper than maxJsonDepth (${this.settings.maxJsonDepth} levels) in ${body.type}.${key}`,
        );
      }
    }
    return null;
  }
}

/** True when `value` nests objects and arrays deeper than `max`; iterative, stops as soon as it knows. */
export function nestedDeeperThan(value: object, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (depth > max) return true;
    if (Array.isArray(current)) {
      for (const item of current as readonly unknown[])
        if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: depth + 1 });
    } else {
      for (const key in current as Record<string, unknown>) {
        const item = (current as Record<string, unknown>)[key];
        if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: depth + 1 });
      }
    }
  }
  return false;
}
