import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withLogContext } from './log-context.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Runs the handling of one HTTP request (a WebSocket upgrade included) with its request id in
 * the log context: the caller's `x-request-id` when it is a sane token, a new UUID otherwise. The
 * id is echoed in the `x-request-id` response header.
 */
export function withRequestContext<T>(request: IncomingMessage, response: ServerResponse | null, fn: () => T): T {
  const given = request.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  response?.setHeader('x-request-id', requestId);
  return withLogContext({ requestId }, fn);
}
