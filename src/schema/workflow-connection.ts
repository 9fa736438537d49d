import { GraphQLError } from 'graphql';
import { GraphqlErrorCode } from '../errors/index.js';
import type { WorkflowRecord } from '../store/index.js';
import type { SynapseContext } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { toStoreFilter, type WorkflowFilterArg } from './workflow-filter.js';

export const WORKFLOWS_PAGE_DEFAULT = 20;
export const WORKFLOWS_PAGE_MAX = 100;

export interface WorkflowConnectionArgs {
  filter?: WorkflowFilterArg | null;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * `Query.workflows`: a Relay connection over the newest-first order. `first`/`after` page towards
 * older workflows, `last`/`before` towards newer ones; cursors are keyset positions, so a page
 * never skips or repeats a row however many workflows are created meanwhile (new ones appear
 * only before the first cursor a client holds).
 */
export async function resolveWorkflowConnection(args: WorkflowConnectionArgs, context: SynapseContext) {
  if (args.first != null && args.last != null) {
    throw new GraphQLError('give first or last, not both', {
      extensions: { code: GraphqlErrorCode.BAD_USER_INPUT, argument: 'last' },
    });
  }
  const backward = args.last != null;
  const size = backward
    ? boundedPageSize('last', args.last!)
    : boundedPageSize('first', args.first ?? WORKFLOWS_PAGE_DEFAULT);
  const after = args.after != null ? decodeCursor(args.after, 'after') : null;
  const before = args.before != null ? decodeCursor(args.before, 'before') : null;
  const page = await context.store.listWorkflows({
    filter: toStoreFilter(context.tenantId, args.filter),
    after,
    before,
    ...(backward ? { last: size } : { first: size }),
  });
  for (const row of page.rows) context.loaders.workflow.prime(row.id, row);
  const edges = page.rows.map((node: WorkflowRecord) => ({ cursor: encodeCursor(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

export function boundedPageSize(argument: string, value: number, max = WORKFLOWS_PAGE_MAX): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new GraphQLError(`${argument} must be between 1 and ${max}, got ${value}`, {
      extensions: { code: GraphqlErrorCode.BAD_USER_INPUT, argument, max },
    });
  }
  return value;
}
