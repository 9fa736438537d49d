import type { Kysely } from 'kysely';
import type { Database } from './database.js';

/** The rows of `idempotency_keys` (migration 0007_run_control, docs/run-control.md). */
export interface IdempotencyKeysTable {
  tenant_id: string;
  key: string;
  fingerprint: string;
  workflow_id: string;
  created_at: number | string;
}

/** A key as the store holds it. */
export interface IdempotencyClaim {
  workflowId: string;
  fingerprint: string;
  createdAt: Date;
}

export type ClaimOutcome = { claimed: true } | { claimed: false; existing: IdempotencyClaim };

export interface IdempotencyStore {
  /**
   * Claims `key` of `tenantId` for `workflowId` (not created yet). Exactly one of several racing
   * claims, on any number of instances, gets `claimed: true`: the primary key decides. A claim
   * older than `expiredBefore` (or one `replace` names) is taken over in place. Otherwise the
   * existing claim is returned.
   */
  claim(request: {
    tenantId: string;
    key: string;
    fingerprint: string;
    workflowId: string;
    now: Date;
    expiredBefore: Date;
    /** Take over the claim of this workflow (it was never created). */
    replace?: string;
  }): Promise<ClaimOutcome>;
  /** Gives the key up when the workflow it was claimed for could not be created. */
  release(tenantId: string, key: string, workflowId: string): Promise<void>;
  /** Removes claims made before `before`; returns how many. */
  deleteExpired(before: Date): Promise<number>;
}

type Db = Kysely<Database & { idempotency_keys: IdempotencyKeysTable }>;

export function createIdempotencyStore(database: Kysely<Database>): IdempotencyStore {
  const db = database as unknown as Db;
  return {
    async claim(request) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const inserted = await db
          .insertInto('idempotency_keys')
          .values({
            tenant_id: request.tenantId,
            key: request.key,
            fingerprint: request.fingerprint,
            workflow_id: request.workflowId,
            created_at: request.now.getTime(),
          })
          .onConflict((conflict) => conflict.columns(['tenant_id', 'key']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { claimed: true };
        const row = await db
          .selectFrom('idempotency_keys')
          .selectAll()
          .where('tenant_id', '=', request.tenantId)
          .where('key', '=', request.key)
          .executeTakeFirst();
        if (!row) continue; // released meanwhile: claim again
        const createdAt = Number(row.created_at);
        if (createdAt < request.expiredBefore.getTime() || row.workflow_id === request.replace) {
          // Compare-and-set on the row as read: of several takers exactly one updates it.
          const updated = await db
            .updateTable('idempotency_keys')
            .set({
              fingerprint: request.fingerprint,
              workflow_id: request.workflowId,
              created_at: request.now.getTime(),
            })
            .where('tenant_id', '=', request.tenantId)
            .where('key', '=', request.key)
            .where('workflow_id', '=', row.workflow_id)
            .where('created_at', '=', createdAt)
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) === 1) return { claimed: true };
          continue;
        }
        return {
          claimed: false,
          existing: { workflowId: row.workflow_id, fingerprint: row.fingerprint, createdAt: new Date(createdAt) },
        };
      }
      throw new Error(`idempotency key claim did not settle after 5 attempts`);
    },

    async release(tenantId, key, workflowId) {
      await db
        .deleteFrom('idempotency_keys')
        .where('tenant_id', '=', tenantId)
        .where('key', '=', key)
        .where('workflow_id', '=', workflowId)
        .execute();
    },

    async deleteExpired(before) {
      const result = await db
        .deleteFrom('idempotency_keys')
        .where('created_at', '<', before.getTime())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
