import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import { schema, type SynapseContext, type SynapseServices } from '../schema/index.js';
import type { Authenticator } from './auth/authenticator.js';
import { principalOf } from './auth/request-principal.js';
import { createContext } from './context.js';
import { useAgentStreamFastPath } from './fast-path/use-agent-stream-fast-path.js';

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
}

export type SynapseYoga = YogaServerInstance<Record<string, unknown>, SynapseContext>;

/**
 * GraphQL over HTTP (queries, mutations) and over SSE (subscriptions, the "distinct
 * connections" mode graphql-sse clients use by default). GraphiQL subscribes over graphql-ws,
 * which the same port serves (graphql-ws.ts).
 */
export function createSynapseYoga(options: YogaOptions): SynapseYoga {
  const { services, logger } = options;
  return createYoga<Record<string, unknown>, SynapseContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: options.development ? { subscriptionsProtocol: 'WS', title: 'Synapse' } : false,
    // GraphiQL's assets are served by the gateway itself, not a CDN: it works offline. They are
    // 9 MB of JavaScript, so they load on the first GraphiQL request, not at start.
    renderGraphiQL: async (graphiqlOptions) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiqlOptions),
    maskedErrors: { isDev: options.development },
    context: async (initial) => createContext(services, await principalOf(options.authenticator, initial)),
    // The fast path last: it only swaps the subscribe function once every other hook agreed.
    plugins: [...(options.plugins ?? []), useAgentStreamFastPath()],
    ...(options.allowedOrigins ? { cors: { origin: [...options.allowedOrigins], credentials: false } } : {}),
    logging: {
      debug: (...args) => logger.debug(String(args[0]), { details: args.slice(1) }),
      info: (...args) => logger.info(String(args[0]), { details: args.slice(1) }),
      warn: (...args) => logger.warn(String(args[0]), { details: args.slice(1) }),
      error: (...args) => logger.error(String(args[0]), { details: args.slice(1) }),
    },
  });
}
