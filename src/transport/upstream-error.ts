import { UpstreamError } from '../errors/index.js';

// UpstreamError and TimeoutKind live in the error family (src/errors/run-errors.ts); the
// transport and the dialects import them from here with the helpers below.
export { UpstreamError } from '../errors/index.js';
export type { TimeoutKind } from '../errors/index.js';

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds; null when absent or invalid. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const header = Array.isArray(value) ? value[0] : value;
  if (header === undefined || header.trim() === '') return null;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Maps an error thrown by undici or ws while connecting or reading into an UpstreamError. */
export function toUpstreamError(
  error: unknown,
  limits: { connectMs: number; headersMs: number; bodyMs: number },
): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const code = (error as { code?: string } | null)?.code ?? '';
  const cause = (error as { cause?: { code?: string } } | null)?.cause?.code ?? '';
  const message = (error as Error | null)?.message ?? String(error);
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || cause === 'UND_ERR_CONNECT_TIMEOUT')
    return UpstreamError.timeout('connect', limits.connectMs);
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return UpstreamError.timeout('headers', limits.headersMs);
  if (code === 'UND_ERR_BODY_TIMEOUT') return UpstreamError.timeout('body', limits.bodyMs);
  const connectCodes = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];
  if (connectCodes.includes(code) || connectCodes.includes(cause)) {
    return UpstreamError.disconnected(`could not connect to the upstream (${code || cause})`, {
      beforeConnect: true,
      cause: error,
    });
  }
  return UpstreamError.disconnected(`the upstream connection failed: ${code || cause || message}`, { cause: error });
}
