import type SqliteDatabase from 'better-sqlite3';
import type { Kysely, Selectable } from 'kysely';
import {
  checkLeaseEpoch,
  checkContiguous,
  commitEvents,
  encodeGroupEntry,
  firstCommitRows,
  insertEventsSql,
  pushEventParameters,
  type EventRow,
  type GroupEntry,
} from './commit.js';
import { rowToWorkflow } from './codec.js';
import type { Database, WorkflowsTable } from './database.js';
import type { CommitGroup, CommitItem } from './group-commit.js';
import type { FirstCommit, NewWorkflow, WorkflowRecord } from './types.js';
import { closeOpenToolCalls, hasToolCallEvents } from './tool-calls.js';

/**
 * Rows per INSERT statement, largest first: a group of n events runs as a few fixed-shape
 * statements (256 → 2 × 128; 100 → 3 × 32 + 4 × 1), so four statements stay prepared for good
 * instead of one per batch size.
 */
const INSERT_SHAPES = [128, 32, 8, 1] as const;

/** One item of the synchronous transaction, encoded. */
type Entry = GroupEntry;

/**
 * Inserts event rows with statements prepared once per shape (`INSERT_SHAPES`), inside the
 * caller's transaction.
 */
function eventInserter(sqlite: SqliteDatabase.Database): (rows: readonly EventRow[]) => void {
  const inserts = new Map<number, SqliteDatabase.Statement<unknown[]>>();
  const insertOf = (rows: number) => {
    let statement = inserts.get(rows);
    if (!statement) {
      statement = sqlite.prepare(insertEventsSql('sqlite', rows));
      inserts.set(rows, statement);
    }
    return statement;
  };
  return (rows) => {
    let start = 0;
    for (const shape of INSERT_SHAPES) {
      while (rows.length - start >= shape) {
        insertOf(shape).run(pushEventParameters([], rows, start, start + shape));
        start += shape;
      }
    }
  };
}

/**
 * `Store.createWorkflow` with the workflow's first events on SQLite (`firstCommitRows`): the
 * row and the events in one synchronous transaction, on Kysely's connection like the group
 * commit. A Kysely transaction would hold SQLite's write lock across awaits. The row's INSERT
 * (its text differs by the columns set) is prepared through `prepare`, the store's statement
 * cache that Kysely's queries use too.
 */
export function createSqliteFirstCommit(
  sqlite: SqliteDatabase.Database,
  db: Kysely<Database>,
  prepare: (sql: string) => { all(parameters: readonly unknown[]): unknown[] },
): (workflow: NewWorkflow, first: FirstCommit) => Promise<WorkflowRecord> {
  const insertEvents = eventInserter(sqlite);
  const write = sqlite.transaction((text: string, parameters: readonly unknown[], rows: readonly EventRow[]) => {
    const [row] = prepare(text).all(parameters) as Selectable<WorkflowsTable>[];
    insertEvents(rows);
    return row!;
  });
  return async (workflow, first) => {
    const { values, rows } = firstCommitRows(workflow, first);
    const insert = db.insertInto('workflows').values(values).returningAll().compile();
    const row = await db.connection().execute(async () => write(insert.sql, insert.parameters, rows));
    return rowToWorkflow(row);
  };
}

/**
 * The group commit (`CommitGroup`) on SQLite: the batches of many workflows in one synchronous
 * better-sqlite3 transaction with statements prepared once. Kysely's async driver cost more
 * than the SQL itself here (a promise chain, a mutex and a statement lookup per query, four
 * queries per commit: docs/performance.md, "Store commits"), and at model pace a transaction
 * per token per workflow kept a core busy (docs/performance.md, "Many runs at model pace").
 *
 * Per workflow the rules are those of `commitEvents`: lease epoch check, contiguity, the events,
 * then `last_sequence` and the patch. A workflow whose check fails writes nothing and gets its
 * error; the others commit. The check is the WHERE of the workflow's UPDATE (`updateOf`), and
 * the events of every accepted workflow go into the same few multi-row INSERTs after them. A
 * failure while writing (disk full) rolls the whole transaction back and refuses every item.
 *
 * A batch that ends its workflow (`GroupEntry.endedAt`) also closes the workflow's open tool
 * calls (`closeOpenToolCalls`, its statement prepared once) in the same transaction: every run's
 * last batch goes with the group, where it was a Kysely transaction of six queries of its own. Batches with tool-call
 * progress (`hasToolCallEvents`) commit after the group, one transaction each through
 * `commitEvents`, whose records are written through Kysely. Kysely's connection is taken for
 * the duration of the synchronous transaction, so a Kysely transaction that is waiting between
 * two of its queries is never joined by it.
 */
export function createSqliteCommitGroup(sqlite: SqliteDatabase.Database, db: Kysely<Database>): CommitGroup {
  // Prepared on first use: the store is opened before its migrations have created the tables.
  let selectCurrent: SqliteDatabase.Statement<[string], { last_sequence: number; lease_epoch: number }> | undefined;
  const insertEvents = eventInserter(sqlite);
  /**
   * The checked UPDATE of one workflow, by the columns it sets (a handful of shapes: progress,
   * start, end) and whether it checks an epoch: it sets `last_sequence` and the patch only where
   * the row continues at the batch's first sequence and holds the writer's epoch, so the check
   * and the write are one statement (a SELECT per workflow before it was half the group's
   * statements at model pace).
   */
  const updates = new Map<string, SqliteDatabase.Statement<unknown[]>>();
  const updateOf = (columns: readonly string[], epoch: boolean) => {
    const key = `${columns.join(',')}|${epoch}`;
    let statement = updates.get(key);
    if (!statement) {
      const set = ['"last_sequence" = ?', ...columns.map((column) => `"${column}" = ?`)].join(', ');
      statement = sqlite.prepare(
        `update "workflows" set ${set} where "id" = ? and "last_sequence" = ?${epoch ? ' and "lease_epoch" = ?' : ''}`,
      );
      updates.set(key, statement);
    }
    return statement;
  };
  /** The checked UPDATE of a patch without events (`last_sequence` unchanged, the epoch checked). */
  const patchOnlyOf = (columns: readonly string[], epoch: boolean) => {
    const key = `patch:${columns.join(',')}|${epoch}`;
    let statement = updates.get(key);
    if (!statement) {
      // `"id" = "id"` keeps the statement valid for an empty patch (it still checks the row exists).
      const set = columns.length === 0 ? '"id" = "id"' : columns.map((column) => `"${column}" = ?`).join(', ');
      statement = sqlite.prepare(
        `update "workflows" set ${set} where "id" = ?${epoch ? ' and "lease_epoch" = ?' : ''}`,
      );
      updates.set(key, statement);
    }
    return statement;
  };
  let closeStatement: SqliteDatabase.Statement<unknown[]> | undefined;
  /** Why a checked UPDATE changed nothing: the errors of `commitEvents`, in its order. */
  const refusal = (entry: Entry): Error => {
    selectCurrent ??= sqlite.prepare('select "last_sequence", "lease_epoch" from "workflows" where "id" = ?');
    const current = selectCurrent.get(entry.workflowId);
    if (current === undefined) return new Error(`store: unknown workflow ${entry.workflowId}`);
    try {
      checkLeaseEpoch(entry.workflowId, entry.epoch, Number(current.lease_epoch));
      checkContiguous(entry.workflowId, Number(current.last_sequence), entry.rows);
    } catch (error) {
      return error as Error;
    }
    return new Error(`store: the commit of workflow ${entry.workflowId} was not applied; retry`);
  };

  /** Writes the accepted entries; sets the errors of the refused ones by index. */
  const write = sqlite.transaction((entries: Entry[], results: (Error | null)[]) => {
    const rows: EventRow[] = [];
    for (const entry of entries) {
      const { workflowId, rows: own, set, epoch, endedAt } = entry;
      const columns = Object.keys(set);
      const parameters: unknown[] = [];
      let statement: SqliteDatabase.Statement<unknown[]>;
      if (own.length === 0) {
        // A patch without events: `last_sequence` stays what it is.
        statement = patchOnlyOf(columns, epoch !== undefined);
        for (const column of columns) parameters.push(set[column]);
        parameters.push(workflowId);
      } else {
        // The batch's rows are contiguous (checked before): the row must continue them.
        statement = updateOf(columns, epoch !== undefined);
        parameters.push(own[own.length - 1]!.sequence);
        for (const column of columns) parameters.push(set[column]);
        parameters.push(workflowId, own[0]!.sequence - 1);
      }
      if (epoch !== undefined) parameters.push(epoch);
      if (statement.run(parameters).changes === 0) {
        results[entry.index] = refusal(entry);
        continue;
      }
      for (const row of own) rows.push(row);
      if (endedAt !== null) {
        // Once per run: the same text every time, so the statement is prepared once.
        const close = closeOpenToolCalls(db, workflowId, endedAt).compile();
        closeStatement ??= sqlite.prepare(close.sql);
        closeStatement.run(close.parameters);
      }
    }

    insertEvents(rows);
  });

  return async (items: readonly CommitItem[]) => {
    const results: (Error | null)[] = items.map(() => null);
    const entries: Entry[] = [];
    const withToolCalls: number[] = [];
    items.forEach((item, index) => {
      if (hasToolCallEvents(item.events)) {
        withToolCalls.push(index);
        return;
      }
      try {
        // Encoded before the transaction: a bad event fails its own item only.
        entries.push(encodeGroupEntry(index, item));
      } catch (error) {
        results[index] = error as Error;
      }
    });
    if (entries.length > 0) await db.connection().execute(async () => write(entries, results));
    for (const index of withToolCalls) {
      const { workflowId, events, patch, options } = items[index]!;
      try {
        await commitEvents(db, 'sqlite', workflowId, events, patch, options);
      } catch (error) {
        results[index] = error instanceof Error ? error : new Error(String(error));
      }
    }
    return results;
  };
}
