import type SqliteDatabase from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { AgentEvent } from '../events/index.js';
import { patchToRow } from './codec.js';
import { checkLeaseEpoch, checkContiguous, commitEvents, eventRowsOf, insertEventsSql, pushEventParameters, type EventRow } from './commit.js';
import type { Database } from './database.js';
import { touchesToolCalls } from './tool-calls.js';
import type { CommitOptions, WorkflowPatch } from './types.js';

/**
 * Rows per INSERT statement, largest first: a batch of n events runs as a few fixed-shape
 * statements (256 → 2 × 128; 100 → 3 × 32 + 4 × 1), so four statements stay prepared for good
 * instead of one per batch size.
 */
const INSERT_SHAPES = [128, 32, 8, 1] as const;

/**
 * `Store.commit` on SQLite, run as one synchronous better-sqlite3 transaction with statements
 * prepared once. Kysely's async driver cost more than the SQL itself here (a promise chain, a
 * mutex and a statement lookup per query, four queries per commit: docs/performance.md, "Store
 * commits"). The rules are those of `commitEvents`: lease epoch check, contiguity, the events,
 * then `last_sequence` and the patch, all or nothing. That shared path still serves PostgreSQL
 * and the batches that change tool-call records (`touchesToolCalls`: tool events and the
 * terminal event), whose records are written through Kysely.
 *
 * Kysely's connection is taken for the duration, so a Kysely transaction that is waiting
 * between two of its queries is never joined by this one.
 */
export function createSqliteCommit(
  sqlite: SqliteDatabase.Database,
  db: Kysely<Database>,
): (workflowId: string, events: readonly AgentEvent[], patch: WorkflowPatch, options?: CommitOptions) => Promise<void> {
  // Prepared on first use: the store is opened before its migrations have created the tables.
  let selectCurrent: SqliteDatabase.Statement<[string], { last_sequence: number; lease_epoch: number }> | undefined;
  const inserts = new Map<number, SqliteDatabase.Statement<unknown[]>>();
  const insertOf = (rows: number) => {
    let statement = inserts.get(rows);
    if (!statement) {
      statement = sqlite.prepare(insertEventsSql('sqlite', rows));
      inserts.set(rows, statement);
    }
    return statement;
  };
  /** UPDATE statements by the columns they set (a handful of shapes: progress, start, end). */
  const updates = new Map<string, SqliteDatabase.Statement<unknown[]>>();
  const updateOf = (columns: readonly string[]) => {
    const key = columns.join(',');
    let statement = updates.get(key);
    if (!statement) {
      const set = columns.map((column) => `"${column}" = ?`).join(', ');
      statement = sqlite.prepare(`update "workflows" set ${set} where "id" = ?`);
      updates.set(key, statement);
    }
    return statement;
  };

  const write = sqlite.transaction(
    (workflowId: string, rows: EventRow[], set: Record<string, unknown>, epoch: number | undefined) => {
      selectCurrent ??= sqlite.prepare('select "last_sequence", "lease_epoch" from "workflows" where "id" = ?');
      const current = selectCurrent.get(workflowId);
      if (current === undefined) throw new Error(`store: unknown workflow ${workflowId}`);
      checkLeaseEpoch(workflowId, epoch, Number(current.lease_epoch));
      checkContiguous(workflowId, Number(current.last_sequence), rows);

      let start = 0;
      for (const shape of INSERT_SHAPES) {
        while (rows.length - start >= shape) {
          insertOf(shape).run(pushEventParameters([], rows, start, start + shape));
          start += shape;
        }
      }

      const lastRow = rows[rows.length - 1];
      if (lastRow !== undefined) set.last_sequence = lastRow.sequence;
      const columns = Object.keys(set);
      if (columns.length === 0) return;
      updateOf(columns).run([...columns.map((column) => set[column]), workflowId]);
    },
  );

  return async (workflowId, events, patch, options = {}) => {
    if (touchesToolCalls(events)) {
      return commitEvents(db, 'sqlite', workflowId, events, patch, options);
    }
    const rows = eventRowsOf(workflowId, events);
    const set = patchToRow(patch) as Record<string, unknown>;
    await db.connection().execute(async () => write(workflowId, rows, set, options.epoch));
  };
}
