import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * CORS for the outward protocols' browser clients, with the rule `/graphql` uses
 * (`auth.allowedOrigins`; absent: any origin, as yoga's default): the request's origin is
 * reflected when allowed, credentials are never allowed (clients send `Authorization`).
 * Answers a preflight itself and returns true; otherwise sets the headers and returns false.
 */
export function applyCors(
  request: IncomingMessage,
  response: ServerResponse,
  allowedOrigins: readonly string[] | undefined,
): boolean {
  const origin = request.headers.origin;
  const allowed = typeof origin === 'string' && (allowedOrigins === undefined || allowedOrigins.includes(origin));
  if (allowed) {
    response.setHeader('access-control-allow-origin', origin);
    response.setHeader('vary', 'Origin');
    response.setHeader('access-control-expose-headers', 'content-type, x-vercel-ai-ui-message-stream, x-request-id');
  }
  if (request.method !== 'OPTIONS') return false;
  if (allowed) {
    response.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    response.setHeader('access-control-allow-headers', 'authorization, content-type, last-event-id, x-request-id');
    response.setHeader('access-control-max-age', '600');
  }
  response.writeHead(allowed ? 204 : 403);
  response.end();
  return true;
}
