import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';
import { WebSocket } from 'ws';
import type { LooseData } from './graphql-clients.js';
import { apiKeyDigest } from '../../src/server/auth/api-keys.js';

export interface HttpResult<T = LooseData> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** POSTs one operation with `Authorization: Bearer <token>` (no header when token is null). */
export async function authedRequest<T = LooseData>(
  url: string,
  token: string | null,
  query: string,
  variables?: Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json',
    ...extraHeaders,
  };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as HttpResult<T>['body'] };
}

/** A graphql-ws client whose `connection_init` carries `authorization`. */
export function authedWsClient(url: string, token: string | null): Client {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
  });
}

/** Runs one operation on a graphql-ws client and returns every result, or the error it ended with. */
export function wsResults(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ results: FormattedExecutionResult<LooseData, unknown>[]; error?: unknown }> {
  return new Promise((resolve) => {
    const results: FormattedExecutionResult<LooseData, unknown>[] = [];
    client.subscribe(
      { query, variables },
      {
        next: (result) => void results.push(result),
        error: (error) => resolve({ results, error }),
        complete: () => resolve({ results }),
      },
    );
  });
}

/** Runs one operation over GraphQL over SSE with the Authorization header; results or the error. */
export async function sseResults(
  url: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ results: unknown[]; error?: unknown }> {
  const client = createSseClient({
    url,
    retryAttempts: 0,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  const results: unknown[] = [];
  try {
    for await (const result of client.iterate({ query, variables })) results.push(result);
    return { results };
  } catch (error) {
    // graphql-sse reports a non-2xx answer as a NetworkError carrying the Response.
    const response = (error as { response?: Response }).response;
    if (response instanceof Response)
      return { results, error: { status: response.status, body: await response.text() } };
    return { results, error };
  } finally {
    client.dispose();
  }
}

/** An `auth.apiKeys` entry for a plaintext key. */
export function apiKeyEntry(id: string, key: string, tenant: string, scopes: string[]) {
  return { id, sha256: apiKeyDigest(key), tenant, scopes };
}
