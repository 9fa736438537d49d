import { GraphQLError, type ASTNode } from 'graphql';
import { GraphqlErrorCode } from '../../errors/index.js';

/**
 * The refusal of a request that goes over a configured limit: code LIMIT_EXCEEDED, the name of
 * the limit (the `limits` key) and its value, so a caller knows what to change.
 */
export function limitExceeded(
  limit: string,
  max: number,
  message: string,
  options: { httpStatus?: number; nodes?: readonly ASTNode[] } = {},
): GraphQLError {
  return new GraphQLError(`${message} (limits.${limit} = ${max})`, {
    ...(options.nodes ? { nodes: options.nodes } : {}),
    // `spec: false`: yoga answers validation errors with 200 to clients that accept only
    // application/json (the GraphQL-over-HTTP rule for *spec* errors); a limit is ours, and is
    // refused with its status (docs/security.md) whatever the client accepts.
    extensions: {
      code: GraphqlErrorCode.LIMIT_EXCEEDED,
      limit,
      max,
      http: { status: options.httpStatus ?? 400, spec: false },
    },
  });
}

/** Over a rate: code RATE_LIMITED with the wait in `retryAfterMs` (and `Retry-After` on HTTP). */
export function rateLimited(limit: string, max: number, retryAfterMs: number, message: string): GraphQLError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GraphQLError(`${message} (limits.${limit} = ${max}); retry in ${seconds} s`, {
    extensions: {
      code: GraphqlErrorCode.RATE_LIMITED,
      limit,
      max,
      retryAfterMs,
      http: { status: 429, headers: { 'retry-after': String(seconds) } },
    },
  });
}
