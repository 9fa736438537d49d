import { CompiledQuery, type Kysely } from 'kysely';
import { commitEvents, encodeGroupEntry, type GroupEntry } from './commit.js';
import type { Database } from './database.js';
import type { CommitGroup, CommitItem } from './group-commit.js';
import { hasToolCallEvents, OPEN_TOOL_CALL_STATUSES, UNFINISHED_TOOL_CALL } from './tool-calls.js';
import { LeaseLostError, SequenceConflictError } from '../errors/index.js';

/** The PostgreSQL type of every column a patch may set (`patchToRow`), for the casts below. */
const PATCH_COLUMN_TYPES: Readonly<Record<string, string>> = {
  status: 'text',
  output: 'text',
  text: 'text',
  error_code: 'text',
  error_message: 'text',
  error_retryable: 'integer',
  usage: 'text',
  input_tokens: 'bigint',
  output_tokens: 'bigint',
  total_tokens: 'bigint',
  started_at: 'bigint',
  finished_at: 'bigint',
};

/**
 * The rows of `ids` locked in id order, before a statement updates several workflows. Every
 * statement that updates many workflow rows at once (this group commit on every instance, the
 * lease renewal in leases.ts) takes their locks in this one order, so two of them never wait for
 * each other in a cycle. Before, an UPDATE … FROM locked in whatever order its join produced, and
 * at 200 concurrent runs a group commit and a lease renewal deadlocked every minute or so: both
 * waited PostgreSQL's `deadlock_timeout` (1 s), then one failed (docs/performance.md, "Many runs
 * at model pace"). The sort sits under the lock (`ORDER BY … FOR UPDATE`), so rows are locked as
 * the sorted scan returns them. A group of one workflow goes without it: an UPDATE of one row
 * waits for no other row while it holds that one, so it cannot close a cycle, and the statement
 * of a single stream stays what it was. `ids` is an SQL expression of a `text[]`.
 */
export const LOCK_IN_ORDER = (ids: string) =>
  `select w."id" from "workflows" as w where w."id" = any(${ids}) order by w."id" for update`;

/** One accepted item, encoded. */
type Entry = GroupEntry;

/**
 * The statement of a group commit: every workflow's fencing and contiguity checked set-wise
 * by the UPDATE's WHERE (re-evaluated on the newest row version once its row lock is held, so a
 * takeover committed meanwhile is seen), `last_sequence` and the patch set in that UPDATE, and
 * the events of exactly the workflows it updated inserted by the same statement. Parameters are
 * arrays (`unnest`), so the text depends only on which patch columns the group sets and no
 * group is too large for the bind-parameter limit.
 */
function groupStatement(columns: readonly string[], workflows: number, ends: boolean): string {
  const sets = columns.map(
    (column) =>
      `, "${column}" = case when b.p ? '${column}' then (b.p->>'${column}')::${PATCH_COLUMN_TYPES[column]} else w."${column}" end`,
  );
  return `with b as (
  select * from unnest($1::text[], $2::integer[], $3::bigint[], $4::bigint[], $5::jsonb[]) as b(id, epoch, first_seq, last_seq, p)
)${
    workflows > 1
      ? `, l as (
  ${LOCK_IN_ORDER('$1::text[]')}
)`
      : ''
  }, u as (
  update "workflows" as w set "last_sequence" = coalesce(b.last_seq, w."last_sequence")${sets.join('')}
  from b${workflows > 1 ? ' join l on l.id = b.id' : ''}
  where w."id" = b.id
    and (b.epoch is null or w."lease_epoch" = b.epoch)
    and (b.first_seq is null or w."last_sequence" = b.first_seq - 1)
  returning w."id"
), i as (
  insert into "events" ("workflow_id", "sequence", "type", "at", "body")
  select e.workflow_id, e.sequence, e.type, e.at, e.body
  from unnest($6::text[], $7::integer[], $8::text[], $9::bigint[], $10::text[]) as e(workflow_id, sequence, type, at, body)
  where e.workflow_id in (select id from u)
)${
    ends
      ? `, c as (
  update "tool_calls" as t set "status" = $13, "is_error" = $14, "error" = $15, "finished_at" = x.at
  from unnest($11::text[], $12::bigint[]) as x(id, at)
  where t."workflow_id" = x.id and t."status" = any($16::text[]) and x.id in (select id from u)
)`
      : ''
  }
select id from u`;
}

/**
 * The group commit (`CommitGroup`) on PostgreSQL: one round trip, one statement
 * (`groupStatement`), for the batches of every workflow in the group, instead of BEGIN, SELECT …
 * FOR UPDATE, INSERT, UPDATE and COMMIT per workflow per batch (docs/performance.md, "Many runs
 * at model pace"). The statement is atomic on its own. Workflows it did not update are read
 * once more to tell why (lease lost, sequence conflict, unknown workflow), each refused alone.
 *
 * A batch that ends its workflow (`GroupEntry.endedAt`) also closes the workflow's open tool
 * calls (`closeOpenToolCalls`' values) in the same statement, so every run's last batch goes with the
 * group, where it was a transaction of six round trips of its own. Batches with tool-call
 * progress (`hasToolCallEvents`) commit through `commitEvents` (their own transaction, row
 * locked `FOR UPDATE`), concurrently with the group.
 */
export function createPostgresCommitGroup(db: Kysely<Database>): CommitGroup {
  return async (items: readonly CommitItem[]) => {
    const results: (Error | null)[] = items.map(() => null);
    const entries: Entry[] = [];
    const separate: Promise<void>[] = [];
    items.forEach((item, index) => {
      if (hasToolCallEvents(item.events)) {
        separate.push(
          commitEvents(db, 'postgres', item.workflowId, item.events, item.patch, item.options).catch(
            (error: unknown) => {
              results[index] = error instanceof Error ? error : new Error(String(error));
            },
          ),
        );
        return;
      }
      try {
        entries.push(encodeGroupEntry(index, item));
      } catch (error) {
        results[index] = error as Error;
      }
    });
    const grouped = entries.length > 0 ? commitEntries(db, entries, results) : Promise.resolve();
    // Both settle before the group answers; a failure of the group statement refuses the group.
    const [outcome] = await Promise.allSettled([grouped, ...separate]);
    if (outcome.status === 'rejected') {
      for (const entry of entries)
        results[entry.index] = outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason));
    }
    return results;
  };
}

async function commitEntries(
  db: Kysely<Database>,
  entries: readonly Entry[],
  results: (Error | null)[],
): Promise<void> {
  const columns = new Set<string>();
  for (const entry of entries) for (const column of Object.keys(entry.set)) columns.add(column);
  for (const column of columns)
    if (!(column in PATCH_COLUMN_TYPES)) throw new Error(`store: unknown patch column ${column}`);
  const ids: string[] = [];
  const epochs: (number | null)[] = [];
  const firsts: (number | null)[] = [];
  const lasts: (number | null)[] = [];
  const patches: string[] = [];
  const eventIds: string[] = [];
  const sequences: number[] = [];
  const types: string[] = [];
  const ats: number[] = [];
  const bodies: string[] = [];
  /** The workflows the group ends, and when (their terminal event's time). */
  const endIds: string[] = [];
  const endAts: number[] = [];
  for (const entry of entries) {
    ids.push(entry.workflowId);
    epochs.push(entry.epoch ?? null);
    firsts.push(entry.rows[0]?.sequence ?? null);
    lasts.push(entry.rows.at(-1)?.sequence ?? null);
    patches.push(JSON.stringify(entry.set));
    for (const row of entry.rows) {
      eventIds.push(row.workflow_id);
      sequences.push(row.sequence);
      types.push(row.type);
      ats.push(Number(row.at));
      bodies.push(row.body);
    }
    if (entry.endedAt !== null) {
      endIds.push(entry.workflowId);
      endAts.push(entry.endedAt);
    }
  }
  const ends = endIds.length > 0;
  const { rows } = await db.executeQuery<{ id: string }>(
    CompiledQuery.raw(groupStatement([...columns].sort(), entries.length, ends), [
      ids,
      epochs,
      firsts,
      lasts,
      patches,
      eventIds,
      sequences,
      types,
      ats,
      bodies,
      ...(ends
        ? [
            endIds,
            endAts,
            UNFINISHED_TOOL_CALL.status,
            UNFINISHED_TOOL_CALL.is_error,
            UNFINISHED_TOOL_CALL.error,
            OPEN_TOOL_CALL_STATUSES,
          ]
        : []),
    ]),
  );
  const updated = new Set(rows.map((row) => row.id));
  const refused = entries.filter((entry) => !updated.has(entry.workflowId));
  if (refused.length === 0) return;

  // Why each refused workflow was refused: read after the statement, outside any lock.
  const current = await db
    .selectFrom('workflows')
    .select(['id', 'last_sequence', 'lease_epoch'])
    .where(
      'id',
      'in',
      refused.map((entry) => entry.workflowId),
    )
    .execute();
  const byId = new Map(current.map((row) => [row.id, row]));
  for (const entry of refused) {
    const row = byId.get(entry.workflowId);
    const first = entry.rows[0]?.sequence;
    if (row === undefined) results[entry.index] = new Error(`store: unknown workflow ${entry.workflowId}`);
    else if (entry.epoch !== undefined && Number(row.lease_epoch) !== entry.epoch) {
      results[entry.index] = new LeaseLostError(entry.workflowId, entry.epoch, Number(row.lease_epoch));
    } else if (first !== undefined && Number(row.last_sequence) !== first - 1) {
      results[entry.index] = new SequenceConflictError(entry.workflowId, Number(row.last_sequence) + 1, first);
    } else {
      results[entry.index] = new Error(
        `store: the commit of workflow ${entry.workflowId} was not applied (changed concurrently); retry`,
      );
    }
  }
}
