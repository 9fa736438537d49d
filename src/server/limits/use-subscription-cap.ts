import type { Plugin } from 'graphql-yoga';
import type { SynapseContext } from '../../schema/index.js';
import { limitExceeded } from './limit-error.js';

/**
 * `limits.subscriptionsPerTenant`: live subscriptions of one tenant at once, over SSE and
 * graphql-ws together (SSE opens one HTTP request per subscription, so no per-socket cap reaches
 * it). A slot is taken when a subscription starts and given back exactly once, however it ends:
 * completion, the client's return(), an error, or a subscribe that produced no stream.
 * Registered last, so an operation refused by an earlier plugin never takes a slot.
 */
export function useSubscriptionCap(max: number): Plugin {
  const active = new Map<string, number>();
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const tenantId = (args.contextValue as unknown as SynapseContext).tenantId;
      const count = active.get(tenantId) ?? 0;
      if (count >= max) {
        setResultAndStopExecution({
          errors: [
            limitExceeded('subscriptionsPerTenant', max, `this tenant already has ${max} live subscriptions`, {
              httpStatus: 429,
            }),
          ],
        });
        return;
      }
      active.set(tenantId, count + 1);
      const release = releaser(active, tenantId);
      return {
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in result)) {
            release();
            return;
          }
          return { onEnd: release };
        },
        onSubscribeError: release,
      };
    },
  };
}

/**
 * Gives the tenant's slot back, once. Made here rather than as a named arrow function in the hook:
 * a name inferred for it becomes a defineProperty on every one under tsx (keepNames), which turns
 * the function's properties into a dictionary of its own, per subscription.
 */
function releaser(active: Map<string, number>, tenantId: string): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (active.get(tenantId) ?? 1) - 1;
    if (left <= 0) active.delete(tenantId);
    else active.set(tenantId, left);
  };
}
