import { sql, type Kysely } from 'kysely';
import { rowToWorkflow, workflowToRow } from './codec.js';
import type { Database } from './database.js';
import type { NewWorkflow, WorkflowRecord } from './types.js';

/**
 * Queued workflows (docs/run-control.md): a QUEUED workflow that waits for its thread or for its
 * agent's `concurrency.maxRunning` is "parked": `owner_id = 'queue'`, `lease_epoch = 0` and a
 * lease expiry beyond any sweep (`PARKED_UNTIL`), so the lease sweep never takes it for the
 * workflow of a dead instance. Starting it is a compare-and-set on `owner_id = 'queue'` that
 * gives it to one instance at lease epoch 1 (so of several instances exactly one starts it);
 * cancelling it is the same compare-and-set, then a RunCancelled at epoch 1.
 */
export const QUEUE_OWNER = 'queue';
/** Epoch milliseconds beyond `new Date(8.64e15)`, the largest expiry any sweep asks for. */
export const PARKED_UNTIL = 9e15;

export type ClaimResult = 'claimed' | 'threadBusy' | 'agentFull' | 'gone';

export interface RunQueueStore {
  /** Inserts `workflow` as QUEUED and parked. */
  park(workflow: Omit<NewWorkflow, 'lease' | 'status'>): Promise<WorkflowRecord>;
  /** Parked workflows, oldest first (FIFO), at most `limit`. */
  listParked(limit: number): Promise<WorkflowRecord[]>;
  /**
   * Gives a parked workflow to `owner` at lease epoch 1, only when its thread (when it has one)
   * has no other workflow that is running, paused, being started or parked before it, and (with
   * `maxRunning`) fewer than `maxRunning` workflows of its agent are running or being started.
   * Atomic across instances (PostgreSQL: under a transaction-scoped advisory lock).
   */
  claim(request: {
    workflowId: string;
    owner: string;
    leaseExpiresAt: Date;
    maxRunning: number | null;
  }): Promise<ClaimResult>;
  /** Takes a parked workflow off the queue for `owner` at epoch 1 (to cancel it); false when it is not parked. */
  unpark(workflowId: string, owner: string, leaseExpiresAt: Date): Promise<boolean>;
  /** Deletes a parked workflow that was refused (REJECT); false when it is no longer parked. */
  discard(workflowId: string): Promise<boolean>;
  /** Number of parked workflows per agent (metrics). */
  depth(): Promise<Map<string, number>>;
}

/** No other workflow of `alias`'s thread is running, paused, being started, or parked before it. */
function threadFree(alias: string) {
  return sql`not exists (select 1 from workflows t where t.tenant_id = ${sql.ref(`${alias}.tenant_id`)} and t.thread_id = ${sql.ref(`${alias}.thread_id`)} and t.id <> ${sql.ref(`${alias}.id`)}
    and (t.status in ('RUNNING', 'INPUT_REQUIRED')
      or (t.status = 'QUEUED' and (t.owner_id is null or t.owner_id <> ${QUEUE_OWNER}))
      or (t.status = 'QUEUED' and t.owner_id = ${QUEUE_OWNER} and (t.created_at < ${sql.ref(`${alias}.created_at`)} or (t.created_at = ${sql.ref(`${alias}.created_at`)} and t.id < ${sql.ref(`${alias}.id`)})))))`;
}

/** Fewer than `maxRunning` workflows of `alias`'s agent are running or being started. */
function capOk(alias: string, maxRunning: number) {
  return sql`(select count(*) from workflows r where r.agent_id = ${sql.ref(`${alias}.agent_id`)}
    and (r.status = 'RUNNING' or (r.status = 'QUEUED' and r.owner_id is not null and r.owner_id <> ${QUEUE_OWNER}))) < ${maxRunning}`;
}

/** First in, first out: no older parked workflow of the same agent could start now (its thread is free). */
function noOlderEligible(alias: string) {
  return sql`not exists (select 1 from workflows o where o.agent_id = ${sql.ref(`${alias}.agent_id`)} and o.owner_id = ${QUEUE_OWNER} and o.status = 'QUEUED'
    and (o.created_at < ${sql.ref(`${alias}.created_at`)} or (o.created_at = ${sql.ref(`${alias}.created_at`)} and o.id < ${sql.ref(`${alias}.id`)}))
    and ${threadFree('o')})`;
}

/** The advisory lock key that serializes claims on PostgreSQL ("synapse queue"). */
const CLAIM_LOCK = 0x5e_9a_e0;

export function createRunQueueStore(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): RunQueueStore {
  return {
    async park(workflow) {
      const row = {
        ...workflowToRow({ ...workflow, status: 'QUEUED' }),
        owner_id: QUEUE_OWNER,
        lease_epoch: 0,
        lease_expires_at: PARKED_UNTIL,
      };
      await db.insertInto('workflows').values(row).execute();
      return rowToWorkflow(
        await db.selectFrom('workflows').selectAll().where('id', '=', workflow.id).executeTakeFirstOrThrow(),
      );
    },

    async listParked(limit) {
      const rows = await db
        .selectFrom('workflows')
        .selectAll()
        .where('owner_id', '=', QUEUE_OWNER)
        .where('status', '=', 'QUEUED')
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .limit(limit)
        .execute();
      return rows.map(rowToWorkflow);
    },

    async claim({ workflowId, owner, leaseExpiresAt, maxRunning }) {
      // One UPDATE whose conditions read the table: atomic on SQLite (one writer); on PostgreSQL
      // claims are serialized by a transaction-scoped advisory lock, so two instances never both
      // see a free slot.
      const conditions = [threadFree('m')];
      if (maxRunning !== null) conditions.push(capOk('m', maxRunning), noOlderEligible('m'));
      const update = sql`update workflows set owner_id = ${owner}, lease_epoch = 1, lease_expires_at = ${leaseExpiresAt.getTime()}
        where id = ${workflowId} and owner_id = ${QUEUE_OWNER} and status = 'QUEUED'
        and exists (select 1 from workflows m where m.id = ${workflowId} and ${sql.join(conditions, sql` and `)})`;
      const updated =
        dialect === 'postgres'
          ? await db.transaction().execute(async (trx) => {
              await sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`.execute(trx);
              return update.execute(trx);
            })
          : await update.execute(db);
      if (Number(updated.numAffectedRows ?? 0) === 1) return 'claimed';
      const { rows } = await sql<{ owner_id: string | null; status: string; free: number | boolean | string }>`
        select m.owner_id, m.status, case when ${threadFree('m')} then 1 else 0 end as free from workflows m where m.id = ${workflowId}`.execute(
        db,
      );
      const row = rows[0];
      if (!row || row.owner_id !== QUEUE_OWNER || row.status !== 'QUEUED') return 'gone';
      return Number(row.free) === 1 ? 'agentFull' : 'threadBusy';
    },

    async unpark(workflowId, owner, leaseExpiresAt) {
      const updated = await db
        .updateTable('workflows')
        .set({ owner_id: owner, lease_epoch: 1, lease_expires_at: leaseExpiresAt.getTime() })
        .where('id', '=', workflowId)
        .where('owner_id', '=', QUEUE_OWNER)
        .where('status', '=', 'QUEUED')
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },

    async discard(workflowId) {
      const deleted = await db
        .deleteFrom('workflows')
        .where('id', '=', workflowId)
        .where('owner_id', '=', QUEUE_OWNER)
        .where('last_sequence', '=', 0)
        .executeTakeFirst();
      return Number(deleted.numDeletedRows) === 1;
    },

    async depth() {
      const rows = await db
        .selectFrom('workflows')
        .select(['agent_id', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('owner_id', '=', QUEUE_OWNER)
        .where('status', '=', 'QUEUED')
        .groupBy('agent_id')
        .execute();
      return new Map(rows.map((row) => [row.agent_id ?? '(none)', Number(row.n)]));
    },
  };
}
