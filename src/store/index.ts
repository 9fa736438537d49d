import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export { WORKFLOW_STATUSES, FINISHED_STATUSES, isFinishedStatus, WORKFLOW_KINDS } from './types.js';
// The errors of the Store contract (commit and lease renewal throw them); they live in the error family.
export { InvalidFilterError, LeaseLostError, SequenceConflictError } from '../errors/index.js';
export type {
  Store,
  WorkflowStatus,
  WorkflowKind,
  WorkflowError,
  WorkflowRecord,
  NewWorkflow,
  WorkflowPatch,
  WorkflowListFilter,
  WorkflowCountFilter,
  WorkflowCursor,
  ListWorkflowsOptions,
  WorkflowPage,
  UsageSummaryOptions,
  UsageSummaryRow,
  CommitOptions,
  FirstCommit,
  HeldLease,
  LeaseTakeover,
  TakeOverLeasesOptions,
} from './types.js';
export { openSqliteStore } from './sqlite.js';
export { readStoredText } from './stored-text.js';
export { DECISIONS_BY_KIND, openInterrupts } from './interrupts.js';
export { PARKED_UNTIL, QUEUE_OWNER } from './run-queue.js';
export type { DeliveryState, OutboxEntry, WebhookDeliveryRecord, WebhookOutboxStore } from './outbox.js';
export type { ClaimResult, RunQueueStore } from './run-queue.js';
export type { ClaimOutcome, IdempotencyClaim, IdempotencyStore } from './idempotency.js';
export type {
  AnswerOutcome,
  InterruptAnswer,
  InterruptRequestedEvent,
  InterruptStore,
  PausedInterrupt,
  PauseRecord,
} from './interrupts.js';
import type { PostgresStoreOptions } from './postgres.js';
export type { PostgresStoreOptions } from './postgres.js';

/**
 * The PostgreSQL store. `pg` loads on first use, not at start: a gateway on the embedded store
 * never needs it (docs/performance.md, cold start).
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const postgres = await import('./postgres.js');
  return postgres.openPostgresStore(options);
}
export type { SqliteStoreOptions } from './sqlite.js';
export { createKyselyStore } from './kysely-store.js';
export { EVENT_INSERT_CHUNK } from './commit.js';
export { jsonContains, metadataConditions, METADATA_FILTER_LIMITS } from './metadata-filter.js';
export type { MetadataCondition } from './metadata-filter.js';
export { migrateToLatest, MIGRATIONS } from './migrations.js';
export { startRetentionSweeper } from './retention.js';
export type { RetentionOptions, RetentionSweeper } from './retention.js';
export type { Database } from './database.js';
export { TOOL_CALL_STATUSES, UNFINISHED_TOOL_CALL_ERROR } from './tool-calls.js';
export type { ToolCallRecord, ToolCallStatus } from './tool-calls.js';

export interface OpenStoreOptions {
  /** `DATABASE_URL`; unset or empty means the SQLite file `<dataDir>/synapse.db`. */
  url?: string;
  dataDir: string;
  /** SQLite: told when WAL checkpoints went back to the commit thread (`startWalCheckpointer`). */
  onCheckpointFallback?: (error: Error) => void;
  /** Told after every group commit across workflows (workflows in it, milliseconds). */
  onCommitGroup?: (workflows: number, durationMs: number) => void;
}

/**
 * Opens the configured store, migrated and ready.
 *
 * Accepted urls: `sqlite::memory:` / `:memory:`, `sqlite:<path>` (also `sqlite://<path>`),
 * `file:<path>` (also a `file://` URL), `postgres://…` / `postgresql://…` (a PostgreSQL server
 * through a `pg` pool). Errors never echo the url: it may carry a password.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const url = options.url?.trim();
  if (url === undefined || url === '') {
    return openSqliteStore({
      filename: join(options.dataDir, 'synapse.db'),
      onCheckpointFallback: options.onCheckpointFallback,
      onCommitGroup: options.onCommitGroup,
    });
  }
  if (/^postgres(?:ql)?:\/\//i.test(url))
    return openPostgresStore({ connectionString: url, onCommitGroup: options.onCommitGroup });
  return openSqliteStore({
    filename: sqliteFilename(url),
    onCheckpointFallback: options.onCheckpointFallback,
    onCommitGroup: options.onCommitGroup,
  });
}

function sqliteFilename(url: string): string {
  if (url === ':memory:' || url === 'sqlite::memory:') return ':memory:';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    throw new Error('A PostgreSQL database url must start with postgres:// or postgresql://');
  }
  if (scheme === undefined) {
    throw new Error('Database url has no scheme: use sqlite:<path>, file:<path> or sqlite::memory:');
  }
  if (scheme !== 'sqlite' && scheme !== 'file') {
    throw new Error(`Unsupported database url scheme "${scheme}:" (expected sqlite:, file: or postgres:)`);
  }
  // `file://` is a real URL (percent-encoded); `sqlite:`/`file:` otherwise carry a plain path,
  // where `sqlite:///abs` and `sqlite://rel` are common spellings.
  const path = url.startsWith('file://') ? fileURLToPath(url) : url.slice(scheme.length + 1).replace(/^\/\//, '');
  if (path === '') throw new Error(`Database url "${scheme}:" names no file`);
  return path === ':memory:' ? ':memory:' : path;
}
