import { UpstreamError } from '../../transport/upstream-error.js';

/** Parses a frame's JSON; anything else is the upstream breaking its protocol. */
export function parseJsonFrame(data: string, what: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw UpstreamError.protocol(`the upstream sent a ${what} that is not JSON: ${JSON.stringify(data.slice(0, 80))}`);
  }
}

export function asRecord(value: unknown): Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, any>) : {};
}

export function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-negative integer count, or null. */
export function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
}
