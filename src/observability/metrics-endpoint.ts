import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * `GET /metrics`: the Prometheus text exposition of `registry`. Returns false when the request
 * is not for that path, so the next handler takes it.
 */
export async function handleMetrics(
  request: IncomingMessage,
  response: ServerResponse,
  registry: Registry,
  /** Decides who may scrape; answers the HTTP status to refuse with, or null to serve. */
  authorize?: (request: IncomingMessage) => Promise<401 | 403 | null>,
): Promise<boolean> {
  if (request.url?.split('?')[0] !== '/metrics') return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' });
    response.end();
    return true;
  }
  const refusal = authorize ? await authorize(request) : null;
  if (refusal !== null) {
    response.writeHead(refusal, refusal === 401 ? { 'www-authenticate': 'Bearer' } : {});
    response.end();
    return true;
  }
  const body = await registry.metrics();
  response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}
