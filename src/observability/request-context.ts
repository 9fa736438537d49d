import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Each HTTP request's id, for the code that handles it (the GraphQL context reads it from here). */
const requestIds = new WeakMap<IncomingMessage, string>();

/**
 * Gives one HTTP request (a WebSocket upgrade included) its request id: the caller's
 * `x-request-id` when it is a sane token, a new UUID otherwise, echoed in the `x-request-id`
 * response header. `requestIdOf` answers it for as long as the request lives.
 */
export function assignRequestId(request: IncomingMessage, response: ServerResponse | null): string {
  const given = request.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  response?.setHeader('x-request-id', requestId);
  requestIds.set(request, requestId);
  return requestId;
}

/** The id `assignRequestId` gave this request, if any. */
export function requestIdOf(request: IncomingMessage | undefined): string | undefined {
  return request ? requestIds.get(request) : undefined;
}
