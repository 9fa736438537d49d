import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * `GET /metrics`: the Prometheus text exposition of `registry`. Returns false when the request
 * is not for that path, so the next handler takes it.
 */
export async function handleMetrics(request: IncomingMessage, response: ServerResponse, registry: Registry): Promise<boolean> {
  if (request.url?.split('?')[0] !== '/metrics') return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' });
    response.end();
    return true;
  }
  const body = await registry.metrics();
  response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}
