import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import type { Context, SubscribePayload } from 'graphql-ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';
import { CONNECTION_PRINCIPAL } from './auth/request-principal.js';
import type { Principal } from '../schema/principal.js';
import type { WsGuard } from './auth/ws-guard.js';
import { useGraphqlWsServer, type WsExtra } from './graphql-ws-socket.js';
import type { SynapseYoga } from './yoga.js';

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

export interface GraphqlWsServer {
  /** Closes every socket with 1001 (going away) and stops accepting new ones. */
  dispose(): Promise<void>;
}

/** The graphql-ws half of docs/security.md: credentials at connection_init, caps, Origin. */
export interface GraphqlWsSecurity {
  guard: WsGuard;
  /** Close a socket that sends no `connection_init` within this time (4408). */
  connectionInitWaitMs: number;
  /** Largest WebSocket message; a larger one closes the socket with 1009. */
  maxPayloadBytes: number;
  /** Refused frames are logged here, one JSON line each. */
  logger?: Logger;
}

/**
 * graphql-ws on the same port and path as yoga, executing through yoga's envelop so that both
 * transports share one schema, context and plugin chain. Parse and validation failures are
 * returned as errors of that one operation: thrown, they would close the whole socket (4500)
 * and every other subscription on it.
 */
export function attachGraphqlWs(httpServer: Server, yoga: SynapseYoga, security?: GraphqlWsSecurity): GraphqlWsServer {
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: yoga.graphqlEndpoint,
    ...(security ? { verifyClient: security.guard.verifyClient, maxPayload: security.maxPayloadBytes } : {}),
  });
  const disposable = useGraphqlWsServer(
    {
      ...(security
        ? { connectionInitWaitTimeout: security.connectionInitWaitMs, onConnect: security.guard.onConnect }
        : {}),
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const overCap = security?.guard.checkOperationCount(ctx);
        if (overCap) return overCap;
        // Identical subscriptions share one query text instead of holding a copy each.
        if (typeof params.query === 'string') (params as { query: string }).query = internQuery(params.query);
        const initialContext = new OperationContext(ctx, params, security?.guard.principalOf(ctx));
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped(initialContext);
        let document;
        try {
          document = parse(params.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('the query could not be parsed')];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        let contextValue;
        try {
          contextValue = await contextFactory();
        } catch (error) {
          // Thrown, it would close the socket with 4500 (see above).
          return [error instanceof GraphQLError ? error : new GraphQLError('Unexpected error.')];
        }
        const args: ExecutionArgs = {
          schema,
          operationName: params.operationName ?? null,
          document,
          variableValues: params.variables ?? null,
          contextValue,
          rootValue: { execute, subscribe } satisfies EnvelopedRoot,
        };
        return args;
      },
    },
    wsServer,
    security?.logger,
  );
  return {
    async dispose() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}

/**
 * The initial context of a graphql-ws operation: graphql-ws's context, the socket, the
 * operation's params and the socket's principal, with every field the context factory adds
 * (`SynapseContext`) declared up front. Built field by field from a spread and filled in by
 * envelop's Object.assign, every context (which lives as long as its subscription) got a hidden
 * class of its own, about 0.5 KB (docs/performance.md, idle subscriptions).
 */
class OperationContext {
  readonly connectionInitReceived: boolean;
  readonly acknowledged: boolean;
  readonly subscriptions: Context['subscriptions'];
  readonly extra: WsExtra;
  readonly connectionParams: Context['connectionParams'];
  readonly socket: WsExtra['socket'];
  readonly [CONNECTION_PRINCIPAL]: Principal | undefined;
  // Filled in by the context factory (context.ts), named here so that they exist from the start.
  store = undefined;
  pubsub = undefined;
  runs = undefined;
  agents = undefined;
  streams = undefined;
  tools = undefined;
  toolCalls = undefined;
  tenantId = undefined;
  principal = undefined;
  loaders = undefined;
  /** This transport writes PreparedBatch results (SynapseContext.preparedBatchTransport). */
  readonly preparedBatchTransport = true;
  agentStreamHandoff = undefined;

  constructor(
    ctx: Context<Record<string, unknown> | undefined, WsExtra>,
    readonly params: SubscribePayload,
    principal: Principal | undefined,
  ) {
    this.connectionInitReceived = ctx.connectionInitReceived;
    this.acknowledged = ctx.acknowledged;
    this.subscriptions = ctx.subscriptions;
    this.extra = ctx.extra;
    this.connectionParams = ctx.connectionParams;
    this.socket = ctx.extra.socket;
    this[CONNECTION_PRINCIPAL] = principal;
  }
}

/** Query texts seen last, by value; a subscription holds its query for as long as it lives. */
const QUERY_TEXTS_KEPT = 256;
/** Longer texts are not kept: the cache stays under 1 MB whatever clients send. */
const QUERY_TEXT_MAX_LENGTH = 4_096;
const queryTexts = new Map<string, string>();

function internQuery(query: string): string {
  if (query.length > QUERY_TEXT_MAX_LENGTH) return query;
  const known = queryTexts.get(query);
  if (known !== undefined) return known;
  if (queryTexts.size >= QUERY_TEXTS_KEPT) queryTexts.delete(queryTexts.keys().next().value!);
  queryTexts.set(query, query);
  return query;
}
