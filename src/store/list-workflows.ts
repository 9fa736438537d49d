import { sql, type Kysely } from 'kysely';
import { rowToWorkflow, toMillis } from './codec.js';
import type { Database } from './database.js';
import { metadataContainsSql } from './metadata-filter.js';
import type { ListWorkflowsOptions, WorkflowCountFilter, WorkflowPage } from './types.js';

/**
 * `Store.countWorkflows`: how many of a tenant's workflows match, counting at most `limit`. One
 * `count(*)` over a `LIMIT`ed subquery: the `concurrentRuns` check of every `runAgent` used to
 * read whole rows of every running workflow of the tenant (at 500 runs, 2.6 ms per start on
 * SQLite, while the tenant's other starts waited: docs/performance.md, "Many runs at model pace").
 */
export async function countWorkflows(
  db: Kysely<Database>,
  filter: WorkflowCountFilter,
  limit: number,
): Promise<number> {
  const cap = Math.max(0, Math.floor(limit));
  if (cap === 0 || (filter.status != null && filter.status.length === 0)) return 0;
  let matching = db
    .selectFrom('workflows')
    .select(sql<number>`1`.as('one'))
    .where('tenant_id', '=', filter.tenantId);
  if (filter.status != null) matching = matching.where('status', 'in', [...filter.status]);
  if (filter.kind != null) matching = matching.where('kind', '=', filter.kind);
  const row = await db
    .selectFrom(matching.limit(cap).as('matching'))
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/**
 * One page of workflows in the newest-first order `(created_at DESC, id DESC)`.
 *
 * The window is every row matching the filter that lies strictly after `after` (older) and
 * strictly before `before` (newer). Forward (`first`) takes the newest `first` rows of the window;
 * backward (`last`) the oldest `last`, read in ascending order from the `before` end and reversed,
 * so both directions are one index range scan.
 *
 * Filter semantics: `tenantId` always applies; `null`/absent filters do not restrict;
 * `status: []` matches nothing; `createdAfter` is inclusive and `createdBefore` exclusive, so
 * adjacent ranges neither overlap nor leave a gap; `metadata` is JSON containment.
 */
export async function listWorkflows(
  db: Kysely<Database>,
  { filter, first, after, before, last }: ListWorkflowsOptions,
  dialect: 'sqlite' | 'postgres' = 'sqlite',
): Promise<WorkflowPage> {
  const backward = last != null;
  const pageSize = Math.max(0, Math.floor((backward ? last : first) ?? 0));
  if (filter.status != null && filter.status.length === 0) {
    return { rows: [], hasNextPage: false, hasPreviousPage: false };
  }

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
  if (filter.metadata != null) query = query.where(metadataContainsSql(dialect, filter.metadata));
  if (after != null) {
    const createdAt = toMillis(after.createdAt);
    // `created_at <= c` is redundant but gives both planners a range bound on the index, so a
    // deep page starts at the cursor instead of filtering every newer row.
    query = query
      .where('created_at', '<=', createdAt)
      .where((eb) => eb.or([eb('created_at', '<', createdAt), eb('id', '<', after.id)]));
  }
  if (before != null) {
    const createdAt = toMillis(before.createdAt);
    query = query
      .where('created_at', '>=', createdAt)
      .where((eb) => eb.or([eb('created_at', '>', createdAt), eb('id', '>', before.id)]));
  }

  const direction = backward ? 'asc' : 'desc';
  const rows = await query
    .orderBy('created_at', direction)
    .orderBy('id', direction)
    .limit(pageSize + 1)
    .execute();
  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize).map(rowToWorkflow);
  if (backward) {
    page.reverse();
    return { rows: page, hasNextPage: before != null, hasPreviousPage: more };
  }
  return { rows: page, hasNextPage: more, hasPreviousPage: after != null };
}
