import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { WebSocketServer } from 'ws';
import { CONNECTION_PRINCIPAL } from './auth/request-principal.js';
import type { WsGuard } from './auth/ws-guard.js';
import { PreparedBatch } from './fast-path/prepared-batch.js';
import { FAST_PATH_TRANSPORT } from './fast-path/use-agent-stream-fast-path.js';
import { useGraphqlWsServer } from './graphql-ws-socket.js';
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
      ...(security ? { connectionInitWaitTimeout: security.connectionInitWaitMs, onConnect: security.guard.onConnect } : {}),
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      // A batch of the agentStream fast path is its own payload: the socket adapter expands it.
      onNext: (_ctx, _id, _payload, _args, result) => (result instanceof PreparedBatch ? (result as never) : undefined),
      onSubscribe: async (ctx, _id, params) => {
        const overCap = security?.guard.checkOperationCount(ctx);
        if (overCap) return overCap;
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          [CONNECTION_PRINCIPAL]: security?.guard.principalOf(ctx),
        });
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
        // This transport understands PreparedBatch results (fast-path/use-agent-stream-fast-path.ts).
        (contextValue as unknown as Record<symbol, unknown>)[FAST_PATH_TRANSPORT] = true;
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
  );
  return {
    async dispose() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
