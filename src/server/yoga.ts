import type { IncomingMessage } from 'node:http';
import { requestIdOf } from '../observability/request-context.js';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import { schema, type SynapseContext, type SynapseServices } from '../schema/index.js';
import type { Authenticator } from './auth/authenticator.js';
import { principalOf } from './auth/request-principal.js';
import { createContext } from './context.js';
import { graphiqlTabs } from './graphiql-tabs.js';
import { useAgentStreamFastPath } from '../subscription/index.js';

export interface YogaOptions {
  services: SynapseServices;
  logger: Logger;
  /** GraphiQL and detailed errors; off in production. */
  development: boolean;
  /** Turns each request's credentials into the principal of its context (docs/security.md). */
  authenticator: Authenticator;
  /** Security and limit plugins (security.ts), run on HTTP, SSE and graphql-ws alike. */
  plugins?: Plugin[];
  /** Browser origins allowed to call cross-origin (`auth.allowedOrigins`); undefined: yoga's default, any. */
  allowedOrigins?: readonly string[];
  /** The Studio is served at /studio (`server.studio`): GraphiQL's tabs link to it. */
  studio?: boolean;
}

export type SynapseYoga = YogaServerInstance<Record<string, unknown>, SynapseContext>;

/**
 * GraphQL over HTTP (queries, mutations) and over SSE (subscriptions, the "distinct
 * connections" mode graphql-sse clients use by default). GraphiQL subscribes over graphql-ws,
 * which the same port serves (graphql-ws.ts).
 */
export function createSynapseYoga(options: YogaOptions): SynapseYoga {
  const { services, logger } = options;
  return withoutNodeFetchGlobals(() =>
    createYoga<Record<string, unknown>, SynapseContext>({
      schema,
      graphqlEndpoint: '/graphql',
      landingPage: false,
      // The README's first session as the default tabs, with a link to the Studio on this host.
      graphiql: options.development
        ? (request) => ({
            subscriptionsProtocol: 'WS',
            title: 'Synapse · GraphiQL',
            defaultTabs: graphiqlTabs(options.studio ? new URL('/studio', request.url).href : null),
          })
        : false,
      // GraphiQL's assets are served by the gateway itself, not a CDN: it works offline. They are
      // 9 MB of JavaScript, so they load on the first GraphiQL request, not at start.
      renderGraphiQL: async (graphiqlOptions) =>
        (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiqlOptions),
      maskedErrors: { isDev: options.development },
      context: async (initial) =>
        createContext(
          services,
          await principalOf(options.authenticator, initial),
          // The node adapter's server context holds the request (src/server/synapse-server.ts gave it its id).
          requestIdOf((initial as { req?: IncomingMessage }).req),
        ),
      // The fast path last: it only swaps the subscribe function once every other hook agreed.
      plugins: [...(options.plugins ?? []), useAgentStreamFastPath()],
      ...(options.allowedOrigins ? { cors: { origin: [...options.allowedOrigins], credentials: false } } : {}),
      logging: {
        debug: (...args) => logger.debug(String(args[0]), { details: args.slice(1) }),
        info: (...args) => logger.info(String(args[0]), { details: args.slice(1) }),
        warn: (...args) => logger.warn(String(args[0]), { details: args.slice(1) }),
        error: (...args) => logger.error(String(args[0]), { details: args.slice(1) }),
      },
    }),
  );
}

/**
 * Node defines `globalThis.Request` (like fetch, Response, Headers) as a lazy getter that loads
 * its bundled undici on first access: 15-25 ms of a cold start. createYoga's server adapter reads
 * it only to compare it with the Request class yoga uses (@whatwg-node's ponyfill, never Node's
 * own), and so picks its own AbortController for requests; nothing on the way to ready needs
 * Node's fetch. So while createYoga runs, `Request` reads as undefined (the comparison's outcome is
 * the same), and the lazy getter is put back untouched: undici loads when something uses it.
 */
function withoutNodeFetchGlobals<T>(create: () => T): T {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'Request');
  if (!descriptor?.configurable || !descriptor.get) return create();
  Object.defineProperty(globalThis, 'Request', { value: undefined, configurable: true, writable: true });
  try {
    return create();
  } finally {
    Object.defineProperty(globalThis, 'Request', descriptor);
  }
}
