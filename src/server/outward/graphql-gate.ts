import type { IncomingMessage } from 'node:http';
import type { SynapseYoga } from '../yoga.js';

/** A GraphQL error as the gateway answers it: the message and its `extensions.code`. */
export interface GateError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GateResult<T> {
  data: T | null;
  errors: GateError[];
}

/**
 * The outward protocols' way into the gateway: every start, cancel and read they need is a
 * GraphQL operation executed in-process through yoga with the caller's own credentials and
 * request id, so authentication, tenants, the scope table, body and operation limits, the
 * per-tenant run limits, masking, metrics and traces apply exactly as on `/graphql`
 * (docs/outward.md, "One gate"). Only the event stream itself is read directly
 * (`WorkflowStream`), after this gate has admitted the caller to the workflow.
 */
export async function executeAsCaller<T>(
  yoga: SynapseYoga,
  request: IncomingMessage,
  query: string,
  variables: Record<string, unknown>,
): Promise<GateResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
  for (const name of ['authorization', 'x-request-id', 'origin']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const response = await yoga.fetch(`http://synapse.internal${yoga.graphqlEndpoint}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T | null; errors?: GateError[] };
  return { data: body.data ?? null, errors: body.errors ?? [] };
}

/** The HTTP status an outward endpoint answers for a gateway error code. */
export function statusForCode(code: string | undefined): number {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
    case 'UNKNOWN_AGENT':
      return 404;
    case 'RATE_LIMITED':
      return 429;
    case 'LIMIT_EXCEEDED':
    case 'BAD_USER_INPUT':
    case 'INVALID_INPUT':
    case 'GRAPHQL_VALIDATION_FAILED':
      return 400;
    case 'SHUTTING_DOWN':
      return 503;
    default:
      return 500;
  }
}
