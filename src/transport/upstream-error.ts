import { RunError } from '../bridge/run-error.js';
import { RunErrorCode } from '../events/index.js';

/** Which of the run's own timeouts expired. */
export type TimeoutKind = 'connect' | 'headers' | 'body' | 'first-event' | 'idle' | 'total';

/**
 * A transport failure, before it becomes a RunFailed event. `retryable` says whether another
 * attempt may succeed (connect errors, 429, 5xx); the transport retries only while no upstream
 * event of the run was yielded.
 */
export class UpstreamError extends RunError {
  /** Delay the upstream asked for (`Retry-After`), in milliseconds. */
  readonly retryAfterMs: number | null;
  /** True when the request never reached an upstream that accepted it (connect refused, DNS). */
  readonly beforeConnect: boolean;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; retryAfterMs?: number | null; beforeConnect?: boolean; recoverySuggestion?: string; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.beforeConnect = options.beforeConnect ?? false;
  }

  static http(status: number, detail: string, retryAfterMs: number | null): UpstreamError {
    const retryable = status === 429 || status >= 500;
    return new UpstreamError(`${RunErrorCode.UPSTREAM_HTTP}_${status}`, `the upstream answered HTTP ${status}${detail ? `: ${detail}` : ''}`, {
      retryable,
      retryAfterMs,
      recoverySuggestion: retryable
        ? 'The upstream is overloaded or failing; retry the run later.'
        : 'Check the agent configuration (url, headers, model) and the run input.',
    });
  }

  static timeout(kind: TimeoutKind, ms: number): UpstreamError {
    return new UpstreamError(RunErrorCode.UPSTREAM_TIMEOUT, `${kind} timeout: the upstream did not answer within ${ms} ms`, {
      retryable: true,
      recoverySuggestion: `Retry the run; if it keeps happening, raise timeouts.${timeoutKey(kind)} of the agent.`,
    });
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

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds; null when absent or invalid. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const header = Array.isArray(value) ? value[0] : value;
  if (header === undefined || header.trim() === '') return null;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Maps an error thrown by undici or ws while connecting or reading into an UpstreamError. */
export function toUpstreamError(error: unknown, limits: { connectMs: number; headersMs: number; bodyMs: number }): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const code = (error as { code?: string } | null)?.code ?? '';
  const cause = (error as { cause?: { code?: string } } | null)?.cause?.code ?? '';
  const message = (error as Error | null)?.message ?? String(error);
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || cause === 'UND_ERR_CONNECT_TIMEOUT') return UpstreamError.timeout('connect', limits.connectMs);
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return UpstreamError.timeout('headers', limits.headersMs);
  if (code === 'UND_ERR_BODY_TIMEOUT') return UpstreamError.timeout('body', limits.bodyMs);
  const connectCodes = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];
  if (connectCodes.includes(code) || connectCodes.includes(cause)) {
    return UpstreamError.disconnected(`could not connect to the upstream (${code || cause})`, { beforeConnect: true, cause: error });
  }
  return UpstreamError.disconnected(`the upstream connection failed: ${code || cause || message}`, { cause: error });
}
