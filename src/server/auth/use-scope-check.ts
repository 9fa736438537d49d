import type { Plugin } from 'graphql-yoga';
import { GraphQLError, type DocumentNode } from 'graphql';
import { GraphqlErrorCode } from '../../errors/index.js';
import type { SynapseContext } from '../../schema/index.js';
import { unauthenticated } from './authenticator.js';
import { hasScope } from '../../schema/principal.js';
import { rootFields, selectOperation } from './root-fields.js';
import { AUTHENTICATED, requiredScope } from './scope-table.js';

/**
 * Checks every operation against the scope table before it executes or subscribes. It is an
 * envelop plugin, so it runs for HTTP, SSE and graphql-ws alike (graphql-ws executes through
 * yoga's envelop, see graphql-ws.ts). A refusal stops the whole operation: no root field of it runs.
 */
export function useScopeCheck(): Plugin {
  const check = (args: {
    document: DocumentNode;
    operationName?: string | null;
    contextValue: unknown;
  }): GraphQLError | null => {
    const context = args.contextValue as Partial<SynapseContext>;
    const principal = context.principal;
    if (!principal) return unauthenticated('authentication required');
    const operation = selectOperation(args.document, args.operationName);
    if (!operation) return null; // graphql-js reports the missing operation itself
    for (const field of rootFields(args.document, operation)) {
      const needed = requiredScope(operation.operation, field.name.value);
      if (needed === AUTHENTICATED || hasScope(principal, needed)) continue;
      const type = operation.operation[0]!.toUpperCase() + operation.operation.slice(1);
      return new GraphQLError(`${type}.${field.name.value} needs the scope "${needed}"`, {
        nodes: [field],
        extensions: { code: GraphqlErrorCode.FORBIDDEN, scope: needed, http: { status: 403 } },
      });
    }
    return null;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
