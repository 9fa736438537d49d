import { RunErrorCode } from './codes.js';
import { SynapseError } from './synapse-error.js';

/**
 * A failure that ends a run with a stable code (docs/errors.md). Dialects and transports throw
 * it; the bridge turns it into the run's RunFailed event. Anything else thrown is INTERNAL and
 * its message is kept out of the event (it may hold internals) but logged.
 */
export class RunError extends SynapseError {
  static override readonly brand: symbol = Symbol.for('synapse.error.RunError');
  override readonly name: string = 'RunError';
  readonly retryable: boolean;
  readonly recoverySuggestion: string | null;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; recoverySuggestion?: string; cause?: unknown } = {},
  ) {
    super(code, message, { cause: options.cause });
    this.retryable = options.retryable ?? false;
    this.recoverySuggestion = options.recoverySuggestion ?? null;
  }

  static internal(): RunError {
    return new RunError(RunErrorCode.INTERNAL, 'the gateway failed while running this workflow', {
      retryable: true,
      recoverySuggestion: 'Retry the run; if it keeps failing, check the gateway log for this workflow id.',
    });
  }
}

/** Which of the run's own timeouts expired. */
export type TimeoutKind = 'connect' | 'headers' | 'body' | 'first-event' | 'idle' | 'total';

/**
 * A transport failure, before it becomes a RunFailed event. `retryable` says whether another
 * attempt may succeed (connect errors, 429, 5xx); the transport retries only while no upstream
 * event of the run was yielded.
 */
export class UpstreamError extends RunError {
  static override readonly brand: symbol = Symbol.for('synapse.error.UpstreamError');
  override readonly name: string = 'UpstreamError';
  /** Delay the upstream asked for (`Retry-After`), in milliseconds. */
  readonly retryAfterMs: number | null;
  /** True when the request never reached an upstream that accepted it (connect refused, DNS). */
  readonly beforeConnect: boolean;

  constructor(
    code: string,
    message: string,
    options: {
      retryable?: boolean;
      retryAfterMs?: number | null;
      beforeConnect?: boolean;
      recoverySuggestion?: string;
      cause?: unknown;
    } = {},
  ) {
    super(code, message, options);
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.beforeConnect = options.beforeConnect ?? false;
  }

  static http(status: number, detail: string, retryAfterMs: number | null): UpstreamError {
    const retryable = status === 429 || status >= 500;
    return new UpstreamError(
      `${RunErrorCode.UPSTREAM_HTTP}_${status}`,
      `the upstream answered HTTP ${status}${detail ? `: ${detail}` : ''}`,
      {
        retryable,
        retryAfterMs,
        recoverySuggestion: retryable
          ? 'The upstream is overloaded or failing; retry the run later.'
          : 'Check the agent configuration (url, headers, model) and the run input.',
      },
    );
  }

  static timeout(kind: TimeoutKind, ms: number): UpstreamError {
    return new UpstreamError(
      RunErrorCode.UPSTREAM_TIMEOUT,
      `${kind} timeout: the upstream did not answer within ${ms} ms`,
      {
        retryable: true,
        recoverySuggestion: `Retry the run; if it keeps happening, raise timeouts.${timeoutKey(kind)} of the agent.`,
      },
    );
  }

  static protocol(message: string): UpstreamError {
    return new UpstreamError(RunErrorCode.UPSTREAM_PROTOCOL, message, {
      retryable: false,
      recoverySuggestion: 'The upstream broke its wire protocol; check that the agent dialect matches the upstream.',
    });
  }

  static disconnected(message: string, options: { beforeConnect?: boolean; cause?: unknown } = {}): UpstreamError {
    return new UpstreamError(RunErrorCode.UPSTREAM_DISCONNECTED, message, {
      retryable: true,
      beforeConnect: options.beforeConnect ?? false,
      cause: options.cause,
      recoverySuggestion: 'Retry the run; the events received before the disconnect are kept.',
    });
  }

  static upstream(message: string, retryable = false): UpstreamError {
    return new UpstreamError(RunErrorCode.UPSTREAM_ERROR, message, { retryable });
  }
}

function timeoutKey(kind: TimeoutKind): string {
  switch (kind) {
    case 'first-event':
      return 'firstEventMs';
    case 'connect':
      return 'connectMs';
    case 'headers':
      return 'headersMs';
    case 'body':
      return 'bodyMs';
    case 'idle':
      return 'idleMs';
    case 'total':
      return 'totalMs';
  }
}

export type ToolCallErrorCode =
  | typeof RunErrorCode.TOOL_TIMEOUT
  | typeof RunErrorCode.TOOL_UPSTREAM_ERROR
  | typeof RunErrorCode.TOOL_RESULT_TOO_LARGE;

/**
 * A tool call that failed in its source rather than in the tool: it timed out, its server was
 * unreachable or died, or its result was too large. The code is one of the run failure codes
 * (docs/errors.md) and becomes the workflow's RunFailed code.
 */
export class ToolCallError extends SynapseError {
  static override readonly brand: symbol = Symbol.for('synapse.error.ToolCallError');
  override readonly name: string = 'ToolCallError';
  declare readonly code: ToolCallErrorCode;

  constructor(
    code: ToolCallErrorCode,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }

  static timeout(label: string, timeoutMs: number): ToolCallError {
    return new ToolCallError(
      RunErrorCode.TOOL_TIMEOUT,
      `the tool did not answer within ${timeoutMs} ms (${label})`,
      true,
    );
  }

  static tooLarge(label: string, maxResultBytes: number): ToolCallError {
    return new ToolCallError(
      RunErrorCode.TOOL_RESULT_TOO_LARGE,
      `the tool's result is larger than maxResultBytes (${maxResultBytes} bytes; ${label})`,
      false,
    );
  }

  static upstream(message: string, options?: { retryable?: boolean; cause?: unknown }): ToolCallError {
    return new ToolCallError(RunErrorCode.TOOL_UPSTREAM_ERROR, message, options?.retryable ?? true, options);
  }
}
