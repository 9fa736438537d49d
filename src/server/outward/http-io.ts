import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { statusForCode, type GateError, type StartRefusal } from './graphql-gate.js';
import { GraphqlErrorCode, UserErrorCode } from '../../errors/index.js';

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
export function replyJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
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
  const code = first?.extensions?.code ?? GraphqlErrorCode.INTERNAL_SERVER_ERROR;
  const retryAfter = first?.extensions?.retryAfterMs;
  const headers: Record<string, string> =
    typeof retryAfter === 'number' ? { 'retry-after': String(Math.max(1, Math.ceil(retryAfter / 1000))) } : {};
  if (code === GraphqlErrorCode.UNAUTHENTICATED) headers['www-authenticate'] = 'Bearer';
  replyJson(
    response,
    statusForCode(code),
    { error: { code, message: first?.message ?? 'the gateway refused the request' } },
    headers,
  );
}

/**
 * The request's JSON body checked against `schema`, or null once a refusal has been answered:
 * 413 past `maxBytes`, 400 `INVALID_INPUT` for a body that is not JSON (with `hint`, what to send)
 * or that fails the schema (its first issue, the field named).
 */
export async function readJsonBody<T>(
  request: IncomingMessage,
  response: ServerResponse,
  maxBytes: number,
  schema: z.ZodType<T>,
  hint: string,
): Promise<T | null> {
  const body = await readBody(request, maxBytes);
  if (body === null) {
    refuse(
      response,
      413,
      GraphqlErrorCode.LIMIT_EXCEEDED,
      `the request body is larger than limits.maxBodyBytes (${maxBytes})`,
    );
    return null;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    refuse(response, 400, UserErrorCode.INVALID_INPUT, `the body is not JSON: send ${hint}`);
    return null;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    refuse(response, 400, UserErrorCode.INVALID_INPUT, `${field || 'body'}: ${issue.message}`, field);
    return null;
  }
  return parsed.data;
}

/** A refused start as the outward answer: the gate's errors as `refuseGate` answers them, else the typed error. */
export function refuseStart(response: ServerResponse, refusal: StartRefusal): void {
  if (refusal.errors) refuseGate(response, refusal.errors);
  else refuse(response, refusal.status, refusal.code, refusal.message, refusal.field);
}
