import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SynapseMetrics } from './metrics.js';

/** Operation names are chosen by clients: past this many distinct names, the rest count as "other". */
const MAX_OPERATION_NAMES = 200;

/**
 * A yoga (envelop) plugin counting every GraphQL operation by type, name and outcome, and timing
 * queries and mutations. graphql-ws executes through yoga's envelop, so WebSocket operations are
 * counted too.
 */
export function useOperationMetrics(metrics: SynapseMetrics): Plugin {
  const names = new Set<string>();
  const label = (document: DocumentNode, operationName: string | null | undefined) => {
    const operation = getOperationAST(document, operationName);
    let name = operation?.name?.value ?? 'anonymous';
    if (!names.has(name)) {
      if (names.size >= MAX_OPERATION_NAMES) name = 'other';
      else names.add(name);
    }
    return { operation_type: operation?.operation ?? 'unknown', operation_name: name };
  };
  return {
    onExecute({ args }) {
      const labels = label(args.document, args.operationName);
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          const failed = 'errors' in result && Array.isArray(result.errors) && result.errors.length > 0;
          metrics.graphqlOperations.inc({ ...labels, outcome: failed ? 'error' : 'ok' });
          metrics.graphqlDuration.observe(
            { operation_type: labels.operation_type },
            (performance.now() - started) / 1000,
          );
        },
      };
    },
    onSubscribe({ args }) {
      const labels = label(args.document, args.operationName);
      return {
        onSubscribeResult({ result }) {
          // An iterator means the subscription started; a plain result carries its errors.
          const failed = 'errors' in result && Array.isArray(result.errors) && result.errors.length > 0;
          metrics.graphqlOperations.inc({ ...labels, outcome: failed ? 'error' : 'ok' });
        },
        onSubscribeError() {
          metrics.graphqlOperations.inc({ ...labels, outcome: 'error' });
        },
      };
    },
  };
}
