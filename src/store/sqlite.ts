import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { LogConfig, SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';
import type { Database } from './database.js';
import { createKyselyStore } from './kysely-store.js';
import { startWalCheckpointer, type WalCheckpointer } from './sqlite-checkpointer.js';
import { createGroupCommit, type CommitGroupListener } from './group-commit.js';
import { createSqliteCommitGroup, createSqliteFirstCommit } from './sqlite-commit.js';
import type { Store } from './types.js';

export interface SqliteStoreOptions {
  /** A file path (its parent directory is created) or `':memory:'`. */
  filename: string;
  /** Kysely query logging, e.g. to count statements in tests. */
  log?: LogConfig;
  /**
   * Checkpoint the WAL from a worker thread (started with the first commit) instead of inside
   * the commits on this thread (`startWalCheckpointer`). Default true for a file.
   */
  checkpointInWorker?: boolean;
  /** Told when the checkpoint worker failed and this connection checkpoints itself again. */
  onCheckpointFallback?: (error: Error) => void;
  /** Told after every group commit (workflows in it, milliseconds), e.g. for a metric. */
  onCommitGroup?: CommitGroupListener;
}

/**
 * Opens the embedded SQLite store and applies pending migrations before returning.
 * `close()` destroys Kysely, which closes the database.
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const { filename } = options;
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const fresh = filename !== ':memory:' && isNewDatabase(filename);

  const sqlite = new SqliteDatabase(filename, { nativeBinding: nativeBinding() });
  try {
    // A new file holds nothing to lose yet: switching it to WAL (a rollback-journal transaction
    // that writes the first page) needs none of the 4 fsyncs of the file, its journal and the
    // folder, which are 5-20 ms of a cold start on a busy disk. Sync is NORMAL right after.
    if (fresh) sqlite.pragma('synchronous = OFF');
    // WAL lets readers run beside the writer; NORMAL is durable across process crashes in WAL
    // mode (only an OS crash can lose the last commits); the timeout rides out a checkpoint.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
  } catch (error) {
    sqlite.close();
    throw error;
  }

  const cached = withStatementCache(sqlite);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cached }),
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
  const kyselyStore = createKyselyStore(db, 'sqlite');
  const commit = createGroupCommit(createSqliteCommitGroup(sqlite, db), options.onCommitGroup);
  const createWithEvents = createSqliteFirstCommit(sqlite, db, (sql) => cached.prepare(sql));
  let checkpointer: WalCheckpointer | null = null;
  let statistics: NodeJS.Timeout | undefined;
  const inWorker = filename !== ':memory:' && options.checkpointInWorker !== false;
  /** The WAL's checkpoints move to a worker with the first write of events. */
  const startCheckpointer = () => {
    if (inWorker) checkpointer ??= startWalCheckpointer(sqlite, filename, { onFallback: options.onCheckpointFallback });
  };
  const store: Store = {
    ...kyselyStore,
    createWorkflow(workflow, first) {
      if (!first) return kyselyStore.createWorkflow(workflow);
      startCheckpointer();
      return createWithEvents(workflow, first);
    },
    commit(workflowId, events, patch, commitOptions) {
      startCheckpointer();
      return commit(workflowId, events, patch, commitOptions);
    },
    async close() {
      clearInterval(statistics);
      await checkpointer?.close();
      return kyselyStore.close();
    },
  };
  try {
    await store.migrate();
    refreshPlannerStatistics(sqlite);
    // On this connection: statistics another connection gathers reach it only when it reopens.
    statistics = setInterval(() => {
      try {
        refreshPlannerStatistics(sqlite);
      } catch {
        // the next hour tries again; the plans keep the statistics they have
      }
    }, STATISTICS_REFRESH_MS);
    statistics.unref();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * `PRAGMA optimize`, as SQLite recommends for a long-lived connection: ANALYZE (each index
 * sampled, `analysis_limit`) of the tables whose statistics are missing or stale. SQLite keeps
 * none unless asked, and without them its planner takes any equality on an indexed column for
 * ten rows: it drove the tool-call listing of 50 workflows from the tenant's index through the
 * tenant's whole history (3.5 ms at 20,000 workflows, 0.1 ms with statistics), and the
 * retention batch likewise (docs/history.md, "Indexes"). Run at open (about 1 ms on an empty
 * database, 25 ms on one of 20,000 workflows and 1,000,000 events) and then every hour, on the
 * store's own connection. Empty tables get no statistics.
 */
export function refreshPlannerStatistics(connection: SqliteDatabase.Database): void {
  connection.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
  connection.pragma('optimize = 0x10002');
}

/** Rows sampled per index by ANALYZE (SQLite suggests 100–1000). */
const ANALYSIS_LIMIT = 400;
/** Between two refreshes of the statistics on a long-lived store. */
const STATISTICS_REFRESH_MS = 3_600_000;

/** No database file yet, or an empty one (SQLite writes its first page on the first write). */
function isNewDatabase(filename: string): boolean {
  try {
    return statSync(filename).size === 0;
  } catch {
    return true;
  }
}

/**
 * The path of better-sqlite3's native addon where its install puts it (build/Release), or
 * undefined to let better-sqlite3 search for it with the `bindings` package, which starts from
 * the calling file: inside the bundled CLI (scripts/build-cli.mjs bundles better-sqlite3's
 * JavaScript, not its addon) that is the bundle's folder, not better-sqlite3's.
 */
function nativeBinding(): string | undefined {
  try {
    const addon = join(
      dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')),
      'build',
      'Release',
      'better_sqlite3.node',
    );
    return existsSync(addon) ? addon : undefined;
  } catch {
    return undefined;
  }
}

/** Distinct statement texts kept prepared: a commit uses a handful, and batch sizes repeat. */
const STATEMENT_CACHE_SIZE = 200;

/**
 * Kysely's SQLite driver prepares every query anew; better-sqlite3's `prepare` parses and plans
 * the SQL each time (2% of the server's CPU at saturation, and more inside Kysely's
 * `executeQuery`, docs/performance.md). The statements of the hot path are always the same
 * texts, so prepared statements are kept in a small LRU. Safe because Kysely runs one query at a
 * time on this single connection (its mutex), so no cached statement is ever in use twice.
 */
function withStatementCache(database: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (statement) {
        statements.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}
