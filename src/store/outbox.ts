import type { Kysely } from 'kysely';
import type { Database } from './database.js';

/** Rows of the webhook tables (migration 0007_run_control, docs/run-control.md). */
export interface WebhookOutboxTable {
  id: string;
  workflow_id: string;
  status: string;
  created_at: number | string;
  fanned_out: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  outbox_id: string;
  endpoint: string;
  url: string;
  workflow_id: string;
  status: string;
  state: string;
  attempts: number;
  next_attempt_at: number | string;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: number | string | null;
  created_at: number | string;
  locked_by: string | null;
  locked_until: number | string | null;
}

export interface OutboxEntry {
  id: string;
  workflowId: string;
  status: string;
  createdAt: Date;
  /** The workflow's agent (null when the workflow is gone or has none). */
  agentId: string | null;
}

export type DeliveryState = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface WebhookDeliveryRecord {
  /** The `webhook-id` of every attempt. */
  id: string;
  outboxId: string;
  /** Which configured endpoint (a hash of its url and secret). */
  endpoint: string;
  url: string;
  workflowId: string;
  /** The workflow status it reports. */
  status: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface WebhookOutboxStore {
  /** Outbox rows not yet copied into deliveries, oldest first. */
  pendingFanOut(limit: number): Promise<OutboxEntry[]>;
  /**
   * Creates the deliveries of one outbox row (one per endpoint; a delivery that exists is kept, so
   * instances racing here create each once) and marks the row fanned out.
   */
  fanOut(
    outboxId: string,
    deliveries: readonly Omit<
      WebhookDeliveryRecord,
      'state' | 'attempts' | 'lastStatusCode' | 'lastError' | 'deliveredAt'
    >[],
  ): Promise<void>;
  /** Deliveries due now (PENDING, next attempt passed, not claimed by a live claim), oldest first. */
  due(now: Date, limit: number): Promise<WebhookDeliveryRecord[]>;
  /** Claims a due delivery for `owner` until `until`; false when another instance has it or it is done. */
  claim(id: string, owner: string, now: Date, until: Date): Promise<boolean>;
  /** Records an attempt's outcome and lets go of the claim. */
  record(
    id: string,
    owner: string,
    outcome: {
      state: DeliveryState;
      attempts: number;
      nextAttemptAt: Date;
      statusCode: number | null;
      error: string | null;
      deliveredAt: Date | null;
    },
  ): Promise<void>;
  /** The deliveries of some workflows (for GraphQL), oldest first. */
  listForWorkflows(workflowIds: readonly string[]): Promise<WebhookDeliveryRecord[]>;
}

type Db = Kysely<Database & { webhook_outbox: WebhookOutboxTable; webhook_deliveries: WebhookDeliveriesTable }>;

function toDelivery(row: WebhookDeliveriesTable): WebhookDeliveryRecord {
  return {
    id: row.id,
    outboxId: row.outbox_id,
    endpoint: row.endpoint,
    url: row.url,
    workflowId: row.workflow_id,
    status: row.status,
    state: row.state as DeliveryState,
    attempts: Number(row.attempts),
    nextAttemptAt: new Date(Number(row.next_attempt_at)),
    lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
    lastError: row.last_error,
    deliveredAt: row.delivered_at === null ? null : new Date(Number(row.delivered_at)),
    createdAt: new Date(Number(row.created_at)),
  };
}

export function createWebhookOutboxStore(database: Kysely<Database>): WebhookOutboxStore {
  const db = database as unknown as Db;
  return {
    async pendingFanOut(limit) {
      const rows = await db
        .selectFrom('webhook_outbox as o')
        .leftJoin('workflows as w', 'w.id', 'o.workflow_id')
        .select(['o.id', 'o.workflow_id', 'o.status', 'o.created_at', 'w.agent_id'])
        .where('o.fanned_out', '=', 0)
        .orderBy('o.created_at', 'asc')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        workflowId: row.workflow_id,
        status: row.status,
        createdAt: new Date(Number(row.created_at)),
        agentId: row.agent_id ?? null,
      }));
    },

    async fanOut(outboxId, deliveries) {
      await db.transaction().execute(async (trx) => {
        for (const delivery of deliveries) {
          await trx
            .insertInto('webhook_deliveries')
            .values({
              id: delivery.id,
              outbox_id: outboxId,
              endpoint: delivery.endpoint,
              url: delivery.url,
              workflow_id: delivery.workflowId,
              status: delivery.status,
              state: 'PENDING',
              attempts: 0,
              next_attempt_at: delivery.nextAttemptAt.getTime(),
              created_at: delivery.createdAt.getTime(),
            })
            .onConflict((conflict) => conflict.columns(['outbox_id', 'endpoint']).doNothing())
            .execute();
        }
        await trx.updateTable('webhook_outbox').set({ fanned_out: 1 }).where('id', '=', outboxId).execute();
      });
    },

    async due(now, limit) {
      const rows = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('state', '=', 'PENDING')
        .where('next_attempt_at', '<=', now.getTime())
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now.getTime())]))
        .orderBy('next_attempt_at', 'asc')
        .limit(limit)
        .execute();
      return rows.map(toDelivery);
    },

    async claim(id, owner, now, until) {
      const updated = await db
        .updateTable('webhook_deliveries')
        .set({ locked_by: owner, locked_until: until.getTime() })
        .where('id', '=', id)
        .where('state', '=', 'PENDING')
        .where('next_attempt_at', '<=', now.getTime())
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now.getTime())]))
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },

    async record(id, owner, outcome) {
      await db
        .updateTable('webhook_deliveries')
        .set({
          state: outcome.state,
          attempts: outcome.attempts,
          next_attempt_at: outcome.nextAttemptAt.getTime(),
          last_status_code: outcome.statusCode,
          last_error: outcome.error,
          delivered_at: outcome.deliveredAt?.getTime() ?? null,
          locked_by: null,
          locked_until: null,
        })
        .where('id', '=', id)
        .where('locked_by', '=', owner)
        .execute();
    },

    async listForWorkflows(workflowIds) {
      if (workflowIds.length === 0) return [];
      const rows = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('workflow_id', 'in', [...workflowIds])
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
      return rows.map(toDelivery);
    },
  };
}
