import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';

/**
 * The default `data` type of the test clients' results. Each test reads the fields its own query
 * selected, so the default stays loose; a test that wants checking passes its own `T`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one alias for untyped GraphQL test results (each query selects its own fields); tests pass T for a checked shape
export type LooseData = Record<string, any>;

export interface GraphQLResponse<T = LooseData> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** POSTs one operation to the gateway over plain HTTP, as any GraphQL client would. */
export async function graphqlRequest<T = LooseData>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** A real graphql-ws client on the gateway's WebSocket endpoint. */
export function wsClient(url: string): Client {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes and collects every `data` payload until the server completes the subscription. */
export function collectSubscription<T = LooseData>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  onData?: (data: T, index: number) => void,
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const received: T[] = [];
    client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) {
            reject(new Error(result.errors.map((error) => error.message).join('; ')));
            return;
          }
          received.push(result.data as T);
          onData?.(result.data as T, received.length - 1);
        },
        error: (error) => reject(toError(error)),
        complete: () => resolve(received),
      },
    );
  });
}

/** graphql-ws reports operation errors as a GraphQLError list, and socket failures as events. */
function toError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (Array.isArray(error)) return new Error(error.map((entry: { message?: string }) => entry.message).join('; '));
  if (error && typeof error === 'object' && 'code' in error) {
    const close = error as { code: number; reason?: string };
    return new Error(`socket closed ${close.code} ${close.reason ?? ''}`.trim());
  }
  return new Error(JSON.stringify(error));
}
