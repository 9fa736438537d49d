import { sql, type Kysely } from 'kysely';
import { toMillis } from './codec.js';
import type { Database } from './database.js';
import type { UsageSummaryOptions, UsageSummaryRow } from './types.js';

const DAY_MS = 86_400_000;

/** Key of the rows of workflows without an agent; agent ids cannot contain parentheses. */
export const NO_AGENT_KEY = '(none)';

/**
 * Token totals per agent or per UTC day of `created_at`, summed in SQL over the integer token
 * columns of migration 0002_history. `from` is inclusive and `to` exclusive, like the
 * `createdAfter`/`createdBefore` filter. Rows are ordered by key; a workflow without usage counts
 * towards `workflows` with zero tokens.
 */
export async function usageSummary(db: Kysely<Database>, options: UsageSummaryOptions): Promise<UsageSummaryRow[]> {
  const key =
    options.groupBy === 'AGENT'
      ? sql<string | number | null>`agent_id`
      : sql<string | number | null>`created_at / ${sql.lit(DAY_MS)}`;
  let query = db
    .selectFrom('workflows')
    .select([
      key.as('key'),
      sql<number | string>`count(*)`.as('workflows'),
      sql<number | string | null>`sum(input_tokens)`.as('input_tokens'),
      sql<number | string | null>`sum(output_tokens)`.as('output_tokens'),
      sql<number | string | null>`sum(total_tokens)`.as('total_tokens'),
    ])
    .where('tenant_id', '=', options.tenantId);
  if (options.from != null) query = query.where('created_at', '>=', toMillis(options.from));
  if (options.to != null) query = query.where('created_at', '<', toMillis(options.to));
  const rows = await query.groupBy(key).execute();
  const summary = rows.map((row) => ({
    key:
      options.groupBy === 'AGENT'
        ? ((row.key as string | null) ?? NO_AGENT_KEY)
        : new Date(Number(row.key) * DAY_MS).toISOString().slice(0, 10),
    workflows: Number(row.workflows),
    inputTokens: Number(row.input_tokens ?? 0),
    outputTokens: Number(row.output_tokens ?? 0),
    totalTokens: Number(row.total_tokens ?? 0),
  }));
  // Sorted here, by code unit: PostgreSQL's collation would order "(none)" differently from SQLite.
  return summary.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
