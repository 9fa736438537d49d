import type { Authenticator } from './authenticator.js';
import type { Principal } from '../../schema/principal.js';

/**
 * Key under which graphql-ws puts the principal it authenticated at `connection_init` into the
 * initial context. A symbol, so no field of an HTTP request can ever set it.
 */
export const CONNECTION_PRINCIPAL: unique symbol = Symbol('synapse.connectionPrincipal');

const requestPrincipals = new WeakMap<object, Principal>();

/** Records the principal of an HTTP request authenticated early (use-authentication.ts). */
export function rememberRequestPrincipal(request: object, principal: Principal): void {
  requestPrincipals.set(request, principal);
}

interface InitialContext {
  request?: { headers: { get(name: string): string | null } };
  [CONNECTION_PRINCIPAL]?: Principal;
}

/**
 * The caller of one operation: on graphql-ws the socket's principal (authenticated once, at
 * `connection_init`); on HTTP and SSE, the request's `Authorization` header.
 * @throws GraphQLError UNAUTHENTICATED
 */
export async function principalOf(authenticator: Authenticator, initial: InitialContext): Promise<Principal> {
  const connection = initial[CONNECTION_PRINCIPAL];
  if (connection) return connection;
  const remembered = initial.request && requestPrincipals.get(initial.request);
  if (remembered) return remembered;
  return authenticator.authenticate(initial.request?.headers.get('authorization'));
}
