import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { AgentEvent } from '../events/index.js';
import { rowToEvent, rowToWorkflow, workflowToRow } from './codec.js';
import { readEventWindows } from './batch-reads.js';
import { commitEvents, createWithEvents } from './commit.js';
import { createGroupCommit, type CommitGroupListener } from './group-commit.js';
import { createPostgresCommitGroup } from './postgres-commit.js';
import type { Database } from './database.js';
import { createIdempotencyStore } from './idempotency.js';
import { createInterruptStore } from './interrupts.js';
import { createWorkflowLinkStore } from './workflow-links.js';
import { createRunQueueStore } from './run-queue.js';
import { createWebhookOutboxStore } from './outbox.js';
import { renewLeases, takeOverExpiredLeases } from './leases.js';
import { countWorkflows, listWorkflows } from './list-workflows.js';
import { migrateToLatest } from './migrations.js';
import { deleteExpiredWorkflows } from './retention.js';
import { usageSummary } from './usage-summary.js';
import { listToolCalls } from './tool-calls.js';
import type { Store, WorkflowRecord } from './types.js';

/** Ids per `IN (...)` lookup; a DataLoader batch up to this size is one query. */
const ID_LOOKUP_CHUNK = 1000;

/**
 * The `Store` over Kysely. Only query-builder calls are used, so the same code serves SQLite and
 * PostgreSQL; `dialect` only switches the few dialect-specific clauses (`FOR UPDATE`).
 * `close()` destroys `db`.
 */
export function createKyselyStore(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  options: { onCommitGroup?: CommitGroupListener } = {},
): Store {
  let closing: Promise<void> | undefined;

  return {
    dialect,

    async migrate() {
      if (dialect === 'sqlite') return migrateToLatest(db);
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
      return migrateToLatest(db, rows[0]?.schema);
    },

    async createWorkflow(workflow, first) {
      // SQLite's store replaces this with a synchronous transaction (src/store/sqlite-commit.ts).
      if (first) return createWithEvents(db, workflow, first);
      // RETURNING the whole row (both dialects): the defaults come from the database, in one round trip.
      const row = await db
        .insertInto('workflows')
        .values(workflowToRow(workflow))
        .returningAll()
        .executeTakeFirstOrThrow();
      return rowToWorkflow(row);
    },

    // PostgreSQL: a group commit across workflows (src/store/postgres-commit.ts). SQLite's
    // store replaces this with its synchronous group commit (src/store/sqlite-commit.ts).
    commit:
      dialect === 'postgres'
        ? createGroupCommit(createPostgresCommitGroup(db), options.onCommitGroup)
        : (workflowId, events, patch, options) => commitEvents(db, dialect, workflowId, events, patch, options),

    renewLeases: (owner, leases, expiresAt) => renewLeases(db, dialect, owner, leases, expiresAt),

    takeOverExpiredLeases: (options) => takeOverExpiredLeases(db, dialect, options),

    async getWorkflow(id) {
      const row = await db.selectFrom('workflows').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : rowToWorkflow(row);
    },

    async getWorkflows(ids) {
      const unique = [...new Set(ids)];
      const byId = new Map<string, WorkflowRecord>();
      for (let start = 0; start < unique.length; start += ID_LOOKUP_CHUNK) {
        const chunk = unique.slice(start, start + ID_LOOKUP_CHUNK);
        const rows = await db.selectFrom('workflows').selectAll().where('id', 'in', chunk).execute();
        for (const row of rows) byId.set(row.id, rowToWorkflow(row));
      }
      return ids.map((id) => byId.get(id));
    },

    listWorkflows: (options) => listWorkflows(db, options, dialect),

    countWorkflows: (filter, limit) => countWorkflows(db, filter, limit),

    async readLastEvent(workflowId) {
      const row = await db
        .selectFrom('events')
        .selectAll()
        .where('workflow_id', '=', workflowId)
        .orderBy('sequence', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && rowToEvent(row);
    },

    async readEvents(workflowId, afterSequence, limit): Promise<AgentEvent[]> {
      if (limit <= 0) return [];
      const rows = await db
        .selectFrom('events')
        .selectAll()
        .where('workflow_id', '=', workflowId)
        .where('sequence', '>', afterSequence)
        .orderBy('sequence', 'asc')
        .limit(Math.floor(limit))
        .execute();
      return rows.map(rowToEvent);
    },

    readEventWindows: (workflowIds, afterSequence, limit) => readEventWindows(db, workflowIds, afterSequence, limit),

    usageSummary: (options) => usageSummary(db, options),

    deleteExpiredWorkflows: (options) => deleteExpiredWorkflows(db, dialect, options),

    async listThread(tenantId, threadId) {
      const rows = await db
        .selectFrom('workflows')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('thread_id', '=', threadId)
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
      return rows.map(rowToWorkflow);
    },

    listToolCalls: (tenantId, workflowIds) => listToolCalls(db, tenantId, workflowIds),

    interrupts: createInterruptStore(db, dialect),

    links: createWorkflowLinkStore(db),
    idempotency: createIdempotencyStore(db),

    queue: createRunQueueStore(db, dialect),

    webhooks: createWebhookOutboxStore(db),

    async ping() {
      await db.selectNoFrom(sql<number>`1`.as('one')).execute();
    },

    close() {
      closing ??= db.destroy();
      return closing;
    },
  };
}
