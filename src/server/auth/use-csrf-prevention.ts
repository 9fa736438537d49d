import { GraphQLError } from 'graphql';
import { GraphqlErrorCode } from '../../errors/index.js';
import type { Plugin } from 'graphql-yoga';

/** Content types a browser may send cross-site without a CORS preflight. */
const NON_PREFLIGHTED_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** The header that marks a GET (or a "simple" POST) as sent by a script, not by a form or a link. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/**
 * CSRF prevention as yoga's `@graphql-yoga/plugin-csrf-prevention` does it (same header, same
 * rule), without the extra package: a request that a browser could send cross-site without a
 * preflight (any GET, a POST of a form content type, a POST without content type) must carry
 * `x-graphql-yoga-csrf` or another non-simple header. JSON POSTs (every GraphQL client,
 * graphql-sse's default) are preflighted and pass. WebSocket upgrades never reach this
 * plugin: graphql-ws is guarded by `auth.allowedOrigins` and `connection_init` credentials.
 */
export function useCsrfPrevention(requestHeaders: readonly string[] = [CSRF_HEADER]): Plugin {
  return {
    onRequestParse({ request }) {
      const contentType = request.headers.get('content-type');
      if (contentType) {
        const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
        if (!NON_PREFLIGHTED_CONTENT_TYPES.includes(mediaType)) return;
      }
      if (requestHeaders.some((header) => request.headers.has(header))) return;
      throw new GraphQLError(
        `Required CSRF header "${requestHeaders[0]}" is missing (GET requests and form posts must send it)`,
        {
          extensions: { code: GraphqlErrorCode.CSRF_REJECTED, http: { status: 403 } },
        },
      );
    },
  };
}
