import { createContext, useContext } from 'react';
import { Client, fetchExchange, type CombinedError } from 'urql';
import { createResumableClient, type ResumableClient } from 'synapse/client';

const KEY_STORAGE = 'synapse.studio.apiKey';

/**
 * The gateway's GraphQL endpoint: `/graphql` on the page's own origin (the gateway serves the
 * Studio), or `?gateway=` in the page URL for a Studio served elsewhere (the Vite dev server).
 */
export function gatewayUrl(): { http: string; ws: string } {
  const fromQuery = new URLSearchParams(window.location.search).get('gateway');
  const http = new URL(fromQuery ?? '/graphql', window.location.href).href;
  return { http, ws: http.replace(/^http/, 'ws') };
}

/** The API key of this tab: sessionStorage (gone when the tab closes), or memory when storage is refused. */
let memoryKey: string | null = null;
export function loadKey(): string | null {
  try {
    return window.sessionStorage.getItem(KEY_STORAGE) ?? memoryKey;
  } catch {
    return memoryKey;
  }
}

export function saveKey(key: string | null): void {
  memoryKey = key;
  try {
    if (key === null) window.sessionStorage.removeItem(KEY_STORAGE);
    else window.sessionStorage.setItem(KEY_STORAGE, key);
  } catch {
    // Storage refused (private mode, policy): the key lives in memory only.
  }
}

export interface Connection {
  /** Queries and mutations over HTTP, with `Authorization: Bearer <key>` (docs/security.md). */
  http: Client;
  /** Streams over graphql-ws, the key in `connectionParams.authorization`; resumes after a reconnect. */
  ws: ResumableClient;
  key: string | null;
}

/** One pair of clients per key: a new key means new clients (and a new socket). */
export function connect(key: string | null): Connection {
  const url = gatewayUrl();
  const authorization = key ? `Bearer ${key}` : null;
  const http = new Client({
    url: url.http,
    exchanges: [fetchExchange],
    requestPolicy: 'network-only',
    // JSON POSTs only: urql would send queries as GET, which the gateway's CSRF prevention
    // refuses without its header (docs/security.md); a JSON POST is preflighted cross-site.
    preferGetMethod: false,
    fetchOptions: (): RequestInit => ({ headers: authorization ? { authorization } : {} }),
  });
  const ws = createResumableClient({
    url: url.ws,
    lazy: true,
    connectionParams: () => (authorization ? { authorization } : {}),
    // A refused key closes the socket with 4403: report it, do not retry with the same key.
    shouldRetry: (event) => !(isCloseEvent(event) && event.code === 4403),
  });
  return { http, ws, key };
}

function isCloseEvent(event: unknown): event is { code: number } {
  return typeof event === 'object' && event !== null && 'code' in event && typeof event.code === 'number';
}

export const ConnectionContext = createContext<{ connection: Connection; askForKey: (reason?: string) => void } | null>(
  null,
);

export function useConnection() {
  const value = useContext(ConnectionContext);
  if (!value) throw new Error('useConnection outside ConnectionContext');
  return value;
}

/** Whether an urql error is the gateway asking for credentials (401 UNAUTHENTICATED). */
export function isUnauthenticated(error: CombinedError | undefined): boolean {
  if (!error) return false;
  const status = (error.response as { status?: number } | undefined)?.status;
  return (
    status === 401 || error.graphQLErrors.some((graphqlError) => graphqlError.extensions?.code === 'UNAUTHENTICATED')
  );
}

/** An urql error as one readable line. */
export function errorText(error: CombinedError): string {
  const graphqlError = error.graphQLErrors[0];
  if (graphqlError) {
    const code = graphqlError.extensions?.code;
    return typeof code === 'string' ? `${code}: ${graphqlError.message}` : graphqlError.message;
  }
  return error.networkError?.message ?? error.message;
}

/** One item of a GraphQL errors array: its message, or the item itself as JSON. */
function errorItemText(item: unknown): string {
  const message: unknown =
    typeof item === 'object' && item !== null ? (item as { message?: unknown }).message : undefined;
  const shown = message ?? item;
  return typeof shown === 'string' ? shown : (JSON.stringify(shown) ?? 'undefined');
}

/** A graphql-ws error (a close event, an Error or GraphQL errors) as one readable line. */
export function streamErrorText(error: unknown): string {
  if (isCloseEvent(error)) {
    const reason = (error as { reason?: unknown }).reason;
    return `connection closed (${error.code}${typeof reason === 'string' && reason ? `: ${reason}` : ''})`;
  }
  if (Array.isArray(error)) return error.map(errorItemText).join('; ');
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'type' in error) return 'the connection to the gateway failed';
  return String(error);
}
