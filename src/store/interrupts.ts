import { isDeepStrictEqual } from 'node:util';
import type { Kysely, Transaction } from 'kysely';
import type { AgentEvent, AgentEventOf, InterruptDecision } from '../events/index.js';
import { eventToRow, fromJson, rowToEvent, rowToWorkflow, toJson, toMillis } from './codec.js';
import type { Database } from './database.js';
import type { LeaseTakeover, WorkflowRecord } from './types.js';

/*
 * The store side of a workflow paused for a person (docs/human-in-the-loop.md). Kept apart from
 * the commit path: a pause is a conditional UPDATE of the row after the writer committed the
 * InterruptRequested events; an answer is its own transaction that locks the row, appends the
 * InterruptResolved events and, with the last answer, hands the workflow to the answering
 * instance (a new lease epoch), so exactly one instance resumes it.
 */

export type InterruptRequestedEvent = AgentEventOf<'InterruptRequested'>;

/** A person's answer as stored (the InterruptResolved fields but `interruptId`). */
export interface InterruptAnswer {
  decision: InterruptDecision;
  value: unknown;
  arguments: unknown;
  comment: string | null;
  respondedBy: string | null;
}

export interface PausedInterrupt {
  request: InterruptRequestedEvent;
  /** The JSON Schema of the tool's arguments, when the gateway knows the tool (edited APPROVE). */
  argumentsSchema: unknown;
  answer: InterruptAnswer | null;
}

/** The `pause` column: a workflow's open (or last) pause. */
export interface PauseRecord {
  interrupts: PausedInterrupt[];
  /** What the dialect needs to resume its upstream (opaque to the store). */
  state: unknown;
}

export interface PauseRequest {
  /** The writer's lease epoch: the pause is refused (false) when the workflow moved on. */
  epoch: number;
  /** The InterruptRequested events after this sequence are the pause's interrupts. */
  afterSequence: number;
  state: unknown;
  /** Per tool name, the JSON Schema of its arguments, when known. */
  argumentsSchemas?: Record<string, unknown>;
}

/** A paused workflow as `read` returns it. */
export interface PausedWorkflow {
  workflow: WorkflowRecord;
  pause: PauseRecord | null;
}

export interface AnswerRequest {
  workflowId: string;
  tenantId: string;
  answers: readonly { interruptId: string; answer: InterruptAnswer }[];
  /** Who takes the workflow over when this call answers the last open interrupt. */
  owner: string;
  leaseExpiresAt: Date;
}

export type AnswerOutcome =
  | { kind: 'notFound' }
  | { kind: 'notOpen'; interruptId: string; status: WorkflowRecord['status'] }
  | {
      kind: 'accepted';
      /** The InterruptResolved events committed by this call (none when every answer was a repeat). */
      events: AgentEvent[];
      workflow: WorkflowRecord;
      /** Set when this call answered the last open interrupt: the caller resumes at this epoch. */
      resume: { epoch: number; pause: PauseRecord } | null;
    };

/** What the answering and expiring paths need of the store. */
export interface InterruptStore {
  /**
   * RUNNING at `epoch` → INPUT_REQUIRED: the row keeps the pause, its owner and lease are cleared
   * (the lease sweep leaves it alone). False when the workflow is not RUNNING at that epoch.
   */
  pause(workflowId: string, request: PauseRequest): Promise<boolean>;
  /** The workflow and its pause record (also after the resume, until the next pause). */
  read(workflowId: string): Promise<PausedWorkflow | undefined>;
  /** Records answers atomically (see `AnswerOutcome`). */
  answer(request: AnswerRequest): Promise<AnswerOutcome>;
  /**
   * INPUT_REQUIRED → RUNNING under `owner` at a new epoch (cancel of a paused workflow). Null when
   * the workflow is not paused (any more).
   */
  takeOver(
    workflowId: string,
    owner: string,
    leaseExpiresAt: Date,
  ): Promise<(LeaseTakeover & { pause: PauseRecord | null }) | null>;
  /** Takes over paused workflows whose interrupts expired at `now`, at most `limit` (each by exactly one caller). */
  takeOverExpired(options: { owner: string; now: Date; leaseExpiresAt: Date; limit: number }): Promise<LeaseTakeover[]>;
  /** Number of workflows waiting for a person (the paused gauge). */
  countPaused(): Promise<number>;
}

/** Decisions each kind of interrupt accepts (CANCEL always: it ends the run). */
export const DECISIONS_BY_KIND = {
  TOOL_APPROVAL: ['APPROVE', 'REJECT', 'CANCEL'],
  CLIENT_TOOL: ['RESPOND', 'REJECT', 'CANCEL'],
  INPUT: ['RESPOND', 'CANCEL'],
} as const satisfies Record<string, readonly InterruptDecision[]>;

export function createInterruptStore(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): InterruptStore {
  const lockRow = (trx: Transaction<Database>, workflowId: string) => {
    const select = trx.selectFrom('workflows').selectAll().where('id', '=', workflowId);
    // SQLite has no FOR UPDATE: its one writer (and Kysely's one connection) serialise transactions.
    return (dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirst();
  };

  return {
    async pause(workflowId, request) {
      return db.transaction().execute(async (trx) => {
        const row = await lockRow(trx, workflowId);
        if (!row || row.status !== 'RUNNING' || Number(row.lease_epoch) !== request.epoch) return false;
        const rows = await trx
          .selectFrom('events')
          .selectAll()
          .where('workflow_id', '=', workflowId)
          .where('sequence', '>', request.afterSequence)
          .where('type', '=', 'InterruptRequested')
          .orderBy('sequence', 'asc')
          .execute();
        const interrupts: PausedInterrupt[] = rows.map((eventRow) => {
          const event = rowToEvent(eventRow) as InterruptRequestedEvent;
          const schema = event.tool ? request.argumentsSchemas?.[event.tool] : undefined;
          return { request: event, argumentsSchema: schema ?? null, answer: null };
        });
        if (interrupts.length === 0) return false;
        const pause: PauseRecord = { interrupts, state: request.state ?? null };
        await trx
          .updateTable('workflows')
          .set({
            status: 'INPUT_REQUIRED',
            pause: toJson(pause),
            interrupt_expires_at: earliestExpiry(interrupts),
            owner_id: null,
            lease_expires_at: null,
          })
          .where('id', '=', workflowId)
          .execute();
        return true;
      });
    },

    async read(workflowId) {
      const row = await db.selectFrom('workflows').selectAll().where('id', '=', workflowId).executeTakeFirst();
      if (!row) return undefined;
      return { workflow: rowToWorkflow(row), pause: fromJson(row.pause) as PauseRecord | null };
    },

    async answer(request) {
      return db.transaction().execute(async (trx): Promise<AnswerOutcome> => {
        const row = await lockRow(trx, request.workflowId);
        if (!row || row.tenant_id !== request.tenantId) return { kind: 'notFound' };
        const workflow = rowToWorkflow(row);
        const pause = fromJson(row.pause) as PauseRecord | null;
        const paused = row.status === 'INPUT_REQUIRED';
        const fresh: { interruptId: string; answer: InterruptAnswer }[] = [];
        for (const { interruptId, answer } of request.answers) {
          const interrupt = pause?.interrupts.find((candidate) => candidate.request.interruptId === interruptId);
          if (!interrupt) return { kind: 'notOpen', interruptId, status: workflow.status };
          if (interrupt.answer) {
            // The same answer again is accepted once; a different one is refused.
            if (sameAnswer(interrupt.answer, answer)) continue;
            return { kind: 'notOpen', interruptId, status: workflow.status };
          }
          if (!paused) return { kind: 'notOpen', interruptId, status: workflow.status };
          fresh.push({ interruptId, answer });
        }
        if (fresh.length === 0 || !pause) return { kind: 'accepted', events: [], workflow, resume: null };

        const at = new Date().toISOString();
        let sequence = Number(row.last_sequence);
        const events: AgentEvent[] = fresh.map(({ interruptId, answer }) => ({
          type: 'InterruptResolved',
          interruptId,
          decision: answer.decision,
          value: answer.value ?? null,
          arguments: answer.arguments ?? null,
          comment: answer.comment,
          respondedBy: answer.respondedBy,
          workflowId: request.workflowId,
          sequence: ++sequence,
          at,
        }));
        await trx.insertInto('events').values(events.map(eventToRow)).execute();
        for (const { interruptId, answer } of fresh) {
          pause.interrupts.find((candidate) => candidate.request.interruptId === interruptId)!.answer = answer;
        }
        const done =
          pause.interrupts.every((interrupt) => interrupt.answer !== null) ||
          fresh.some(({ answer }) => answer.decision === 'CANCEL');
        const epoch = Number(row.lease_epoch) + 1;
        await trx
          .updateTable('workflows')
          .set({
            last_sequence: sequence,
            pause: toJson(pause),
            ...(done
              ? {
                  status: 'RUNNING',
                  owner_id: request.owner,
                  lease_epoch: epoch,
                  lease_expires_at: toMillis(request.leaseExpiresAt),
                  interrupt_expires_at: null,
                }
              : {}),
          })
          .where('id', '=', request.workflowId)
          .execute();
        const after: WorkflowRecord = {
          ...workflow,
          lastSequence: sequence,
          ...(done ? { status: 'RUNNING' as const } : {}),
        };
        return { kind: 'accepted', events, workflow: after, resume: done ? { epoch, pause } : null };
      });
    },

    async takeOver(workflowId, owner, leaseExpiresAt) {
      return db.transaction().execute(async (trx) => {
        const row = await lockRow(trx, workflowId);
        if (!row || row.status !== 'INPUT_REQUIRED') return null;
        const epoch = Number(row.lease_epoch) + 1;
        await trx
          .updateTable('workflows')
          .set({
            status: 'RUNNING',
            owner_id: owner,
            lease_epoch: epoch,
            lease_expires_at: toMillis(leaseExpiresAt),
            interrupt_expires_at: null,
          })
          .where('id', '=', workflowId)
          .execute();
        return {
          workflow: { ...rowToWorkflow(row), status: 'RUNNING' as const },
          epoch,
          pause: fromJson(row.pause) as PauseRecord | null,
        };
      });
    },

    async takeOverExpired(options) {
      const taken: LeaseTakeover[] = [];
      const candidates = await db
        .selectFrom('workflows')
        .select('id')
        .where('status', '=', 'INPUT_REQUIRED')
        .where('interrupt_expires_at', '<=', toMillis(options.now))
        .orderBy('interrupt_expires_at')
        .limit(Math.max(0, Math.floor(options.limit)))
        .execute();
      for (const { id } of candidates) {
        // Each one re-checked under its row lock: an answer or another sweeper may have won.
        const outcome = await db.transaction().execute(async (trx) => {
          const row = await lockRow(trx, id);
          if (!row || row.status !== 'INPUT_REQUIRED') return null;
          const expiresAt = row.interrupt_expires_at === null ? null : Number(row.interrupt_expires_at);
          if (expiresAt === null || expiresAt > toMillis(options.now)) return null;
          const epoch = Number(row.lease_epoch) + 1;
          await trx
            .updateTable('workflows')
            .set({
              status: 'RUNNING',
              owner_id: options.owner,
              lease_epoch: epoch,
              lease_expires_at: toMillis(options.leaseExpiresAt),
              interrupt_expires_at: null,
            })
            .where('id', '=', id)
            .execute();
          return { workflow: { ...rowToWorkflow(row), status: 'RUNNING' as const }, epoch };
        });
        if (outcome) taken.push(outcome);
      }
      return taken;
    },

    async countPaused() {
      const row = await db
        .selectFrom('workflows')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('status', '=', 'INPUT_REQUIRED')
        .executeTakeFirst();
      return Number(row?.count ?? 0);
    },
  };
}

/** The open interrupts of a pause record, in the order they were asked. */
export function openInterrupts(pause: PauseRecord | null): InterruptRequestedEvent[] {
  return pause?.interrupts.filter((interrupt) => interrupt.answer === null).map((interrupt) => interrupt.request) ?? [];
}

function sameAnswer(left: InterruptAnswer, right: InterruptAnswer): boolean {
  return (
    left.decision === right.decision &&
    isDeepStrictEqual(left.value ?? null, right.value ?? null) &&
    isDeepStrictEqual(left.arguments ?? null, right.arguments ?? null) &&
    (left.comment ?? null) === (right.comment ?? null)
  );
}

function earliestExpiry(interrupts: readonly PausedInterrupt[]): number | null {
  const times = interrupts
    .map((interrupt) => (interrupt.request.expiresAt ? Date.parse(interrupt.request.expiresAt) : Number.NaN))
    .filter((ms) => Number.isFinite(ms));
  return times.length === 0 ? null : Math.min(...times);
}
