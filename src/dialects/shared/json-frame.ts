import { UpstreamError } from '../../transport/upstream-error.js';

/**
 * A JSON object out of an upstream frame. Its values are `unknown` until narrowed (`typeof`,
 * `isRecord`, `isList`, `arr`, `count`, `textOf`), so that a frame of the wrong shape cannot
 * reach an event body unchecked. (Plain functions, no schema: the text-delta path of the
 * model dialects runs at 100k frames/s and must not allocate per frame.)
 */
export type JsonObject = Record<string, unknown>;

/** Parses a frame's JSON; anything else is the upstream breaking its protocol. */
export function parseJsonFrame(data: string, what: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw UpstreamError.protocol(`the upstream sent a ${what} that is not JSON: ${JSON.stringify(data.slice(0, 80))}`);
  }
}

/** The value when it is a JSON object (not an array), else a new empty one. */
export function asRecord(value: unknown): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
}

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Array.isArray`, narrowing to `unknown[]` (not `any[]`): the items still need narrowing. */
export function isList(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

/** `object[key]` when it is an array, else an empty one. */
export function arr(object: JsonObject, key: string): readonly unknown[] {
  const value = object[key];
  return isList(value) ? value : [];
}

/** A non-negative integer count, or null. */
export function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
}

/**
 * A frame value as text: a string as is, a number or boolean through `String`, anything else
 * (absent, null, an object, an array) the fallback. It never renders `[object Object]`, and it
 * allocates nothing for a string (the text-delta path runs at 100k frames/s).
 */
export function textOf(value: unknown, fallback = ''): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return fallback;
  }
}
