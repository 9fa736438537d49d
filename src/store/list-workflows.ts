import type { Kysely } from 'kysely';
import { rowToWorkflow, toMillis } from './codec.js';
import type { Database } from './database.js';
import type { ListWorkflowsOptions, WorkflowPage } from './types.js';

/**
 * One page of workflows, newest first by `(created_at DESC, id DESC)`, strictly after the cursor.
 *
 * Filter semantics: `tenantId` always applies; `null`/absent filters do not restrict;
 * `status: []` matches nothing; `createdAfter` is inclusive and `createdBefore` exclusive, so
 * adjacent ranges neither overlap nor leave a gap.
 */
export async function listWorkflows(
  db: Kysely<Database>,
  { filter, first, after }: ListWorkflowsOptions,
): Promise<WorkflowPage> {
  const pageSize = Math.max(0, Math.floor(first));
  if (filter.status != null && filter.status.length === 0) return { rows: [], hasNextPage: false };

  let query = db.selectFrom('workflows').selectAll().where('tenant_id', '=', filter.tenantId);
  if (filter.agentId != null) query = query.where('agent_id', '=', filter.agentId);
  if (filter.status != null) query = query.where('status', 'in', [...filter.status]);
  if (filter.kind != null) query = query.where('kind', '=', filter.kind);
  if (filter.threadId != null) query = query.where('thread_id', '=', filter.threadId);
  if (filter.createdAfter != null) {
    query = query.where('created_at', '>=', toMillis(filter.createdAfter));
  }
  if (filter.createdBefore != null) {
    query = query.where('created_at', '<', toMillis(filter.createdBefore));
  }
  if (after != null) {
    const createdAt = toMillis(after.createdAt);
    // `created_at <= c` is redundant but gives both planners a range bound on the index, so a
    // deep page starts at the cursor instead of filtering every newer row.
    query = query
      .where('created_at', '<=', createdAt)
      .where((eb) => eb.or([eb('created_at', '<', createdAt), eb('id', '<', after.id)]));
  }

  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(pageSize + 1)
    .execute();
  return { rows: rows.slice(0, pageSize).map(rowToWorkflow), hasNextPage: rows.length > pageSize };
}
