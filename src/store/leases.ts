import { sql, type Kysely } from 'kysely';
import { rowToWorkflow, toMillis } from './codec.js';
import { LOCK_IN_ORDER } from './postgres-commit.js';
import type { Database } from './database.js';
import type { HeldLease, LeaseTakeover, TakeOverLeasesOptions } from './types.js';

/** Leases per renewal statement on SQLite: 2 parameters each, far below its limit. */
const RENEW_CHUNK = 500;

const UNFINISHED = ['QUEUED', 'RUNNING'];

/**
 * `Store.renewLeases`: moves the expiry of the rows still held by `owner` at the epoch it was
 * given; `RETURNING id` tells which ones it still holds. An epoch check and not only the owner:
 * an instance that swept its own expired workflow holds it again at a new epoch, and its old
 * writer must not renew that one.
 *
 * PostgreSQL: one UPDATE joined to the (id, epoch) pairs passed as two arrays, whatever their
 * number, after locking the rows in id order (`LOCK_IN_ORDER`, shared with the group commit, so
 * the two never deadlock). SQLite: an OR per 500 leases (one writer at a time, no row locks).
 */
export async function renewLeases(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  owner: string,
  leases: readonly HeldLease[],
  expiresAt: Date,
): Promise<string[]> {
  const kept = new Set<string>();
  if (dialect === 'postgres') {
    if (leases.length > 0) {
      const ids = leases.map((lease) => lease.workflowId);
      const epochs = leases.map((lease) => lease.epoch);
      // Locked in id order first, as the group commit does (LOCK_IN_ORDER): no deadlock with it.
      const { rows } = await sql<{ id: string }>`with held as (
          select * from unnest(${ids}::text[], ${epochs}::integer[]) as held(id, epoch)
        ), l as (${sql.raw(LOCK_IN_ORDER('array(select id from held)'))})
        update workflows as w set lease_expires_at = ${toMillis(expiresAt)}
        from held join l on l.id = held.id
        where w.id = held.id and w.lease_epoch = held.epoch and w.owner_id = ${owner}
        returning w.id`.execute(db);
      for (const row of rows) kept.add(row.id);
    }
  } else {
    for (let start = 0; start < leases.length; start += RENEW_CHUNK) {
      const chunk = leases.slice(start, start + RENEW_CHUNK);
      const rows = await db
        .updateTable('workflows')
        .set({ lease_expires_at: toMillis(expiresAt) })
        .where('owner_id', '=', owner)
        .where((eb) =>
          eb.or(chunk.map((lease) => eb.and([eb('id', '=', lease.workflowId), eb('lease_epoch', '=', lease.epoch)]))),
        )
        .returning('id')
        .execute();
      for (const row of rows) kept.add(row.id);
    }
  }
  return leases.filter((lease) => !kept.has(lease.workflowId)).map((lease) => lease.workflowId);
}

/**
 * `Store.takeOverExpiredLeases`: one UPDATE of the expired candidates that repeats the expiry test
 * and returns the rows it took. PostgreSQL: the candidates are a MATERIALIZED CTE locked `FOR
 * UPDATE SKIP LOCKED` (evaluated once: a `LIMIT` subquery under `IN` may be rescanned and take
 * more rows than asked): a second sweeper at the same moment skips them instead of waiting, and
 * a row locked by its owner's commit is skipped too (its owner is alive). The repeated WHERE is
 * re-checked on the locked row, so a lease renewed or taken meanwhile is left alone. SQLite has
 * one writer at a time: the statement (its `IN` subquery is evaluated once) is atomic by itself.
 */
export async function takeOverExpiredLeases(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  options: TakeOverLeasesOptions,
): Promise<LeaseTakeover[]> {
  const limit = Math.max(0, Math.floor(options.limit));
  if (limit === 0) return [];
  const expiredAt = toMillis(options.expiredAt);
  const takeover = {
    owner_id: options.owner,
    lease_epoch: sql<number>`lease_epoch + 1`,
    lease_expires_at: toMillis(options.leaseExpiresAt),
  };
  const candidates = db
    .selectFrom('workflows')
    .select('id')
    .where('status', 'in', UNFINISHED)
    .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', expiredAt)]))
    .orderBy('lease_expires_at')
    .limit(limit);
  const rows =
    dialect === 'postgres'
      ? await db
          .with(
            (cte) => cte('candidates').materialized(),
            () => candidates.forUpdate().skipLocked(),
          )
          .updateTable('workflows')
          .set(takeover)
          .from('candidates')
          .whereRef('workflows.id', '=', 'candidates.id')
          .where('workflows.status', 'in', UNFINISHED)
          .where((eb) =>
            eb.or([eb('workflows.lease_expires_at', 'is', null), eb('workflows.lease_expires_at', '<=', expiredAt)]),
          )
          .returningAll('workflows')
          .execute()
      : await db
          .updateTable('workflows')
          .set(takeover)
          .where('id', 'in', candidates)
          .where('status', 'in', UNFINISHED)
          .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', expiredAt)]))
          .returningAll()
          .execute();
  return rows
    .map((row) => ({ workflow: rowToWorkflow(row), epoch: Number(row.lease_epoch) }))
    .sort((a, b) => a.workflow.createdAt.getTime() - b.workflow.createdAt.getTime());
}
