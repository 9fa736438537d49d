import { GraphQLError } from 'graphql';
import { GraphqlErrorCode } from '../errors/index.js';
import {
  InvalidFilterError,
  jsonContains,
  metadataConditions,
  type WorkflowKind,
  type WorkflowListFilter,
  type WorkflowRecord,
  type WorkflowStatus,
} from '../store/index.js';

/** `WorkflowFilter` as GraphQL hands it to a resolver. */
export interface WorkflowFilterArg {
  agentId?: string | number | null;
  status?: readonly WorkflowStatus[] | null;
  kind?: WorkflowKind | null;
  threadId?: string | number | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
  metadata?: unknown;
}

/**
 * Validates a `WorkflowFilter` and scopes it to the caller's tenant. A filter that cannot mean
 * anything (a metadata value that is not an object, an inverted time range) is a GraphQL error
 * with code BAD_USER_INPUT naming the field, never a silently empty page.
 */
export function toStoreFilter(tenantId: string, filter: WorkflowFilterArg | null | undefined): WorkflowListFilter {
  const given = filter ?? {};
  if (given.createdAfter != null && given.createdBefore != null && given.createdAfter > given.createdBefore) {
    throw badFilter('filter.createdAfter', 'createdAfter must not be later than createdBefore');
  }
  let metadata: Record<string, unknown> | null = null;
  if (given.metadata != null) {
    try {
      metadataConditions(given.metadata);
    } catch (error) {
      if (error instanceof InvalidFilterError) throw badFilter(`filter.${error.field}`, error.message);
      throw error;
    }
    metadata = given.metadata as Record<string, unknown>;
  }
  return {
    tenantId,
    agentId: given.agentId == null ? null : String(given.agentId),
    status: given.status ?? null,
    kind: given.kind ?? null,
    threadId: given.threadId == null ? null : String(given.threadId),
    createdAfter: given.createdAfter ?? null,
    createdBefore: given.createdBefore ?? null,
    metadata,
  };
}

/** The same filter evaluated in memory, for live updates: exactly the store's semantics. */
export function matchesFilter(workflow: WorkflowRecord, filter: WorkflowListFilter): boolean {
  if (workflow.tenantId !== filter.tenantId) return false;
  if (filter.agentId != null && workflow.agentId !== filter.agentId) return false;
  if (filter.status != null && !filter.status.includes(workflow.status)) return false;
  if (filter.kind != null && workflow.kind !== filter.kind) return false;
  if (filter.threadId != null && workflow.threadId !== filter.threadId) return false;
  if (filter.createdAfter != null && workflow.createdAt < filter.createdAfter) return false;
  if (filter.createdBefore != null && workflow.createdAt >= filter.createdBefore) return false;
  if (filter.metadata != null && !jsonContains(workflow.metadata, filter.metadata)) return false;
  return true;
}

function badFilter(argument: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: GraphqlErrorCode.BAD_USER_INPUT, argument } });
}
