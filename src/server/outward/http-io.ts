import type { IncomingMessage, ServerResponse } from 'node:http';
import { statusForCode, type GateError } from './graphql-gate.js';

/** Reads a request body up to `maxBytes`; null when it is larger (the caller answers 413). */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<string | null> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON answer (errors before a stream starts, small results). */
export function replyJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** A JSON error before any stream started: `{ error: { code, message, field? } }`. */
export function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function refuse(response: ServerResponse, status: number, code: string, message: string, field?: string): void {
  replyJson(response, status, { error: { code, message, ...(field ? { field } : {}) } });
}

/** The gate's first GraphQL error as the outward answer (401 with `WWW-Authenticate`, 429 with `Retry-After`, …). */
export function refuseGate(response: ServerResponse, errors: GateError[]): void {
  const [first] = errors;
  const code = first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
  const retryAfter = first?.extensions?.retryAfterMs;
  const headers: Record<string, string> = typeof retryAfter === 'number' ? { 'retry-after': String(Math.max(1, Math.ceil(retryAfter / 1000))) } : {};
  if (code === 'UNAUTHENTICATED') headers['www-authenticate'] = 'Bearer';
  replyJson(response, statusForCode(code), { error: { code, message: first?.message ?? 'the gateway refused the request' } }, headers);
}
