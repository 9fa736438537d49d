import type { Kysely } from 'kysely';
import type { AgentEvent } from '../events/index.js';
import { eventToRow, patchToRow } from './codec.js';
import type { Database } from './database.js';
import { writeToolCalls } from './tool-calls.js';
import { LeaseLostError, SequenceConflictError } from './types.js';
import type { CommitOptions, WorkflowPatch } from './types.js';

/**
 * Rows per INSERT. 500 × 5 parameters stays far below SQLite's 32766 and PostgreSQL's 65535
 * bind-parameter limits while keeping the statement count per batch tiny.
 */
export const EVENT_INSERT_CHUNK = 500;

/**
 * The body of `Store.commit`: lock the workflow row, check the lease epoch (fencing), check
 * contiguity, insert the events in
 * multi-row chunks, then one UPDATE for `last_sequence` and the patch. All in one transaction,
 * so a conflict or a failed insert leaves nothing behind.
 */
export async function commitEvents(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  workflowId: string,
  events: readonly AgentEvent[],
  patch: WorkflowPatch,
  options: CommitOptions = {},
): Promise<void> {
  // Encode before opening the transaction: a bad event fails fast without holding the lock.
  const rows = events.map((event) => {
    if (event.workflowId !== workflowId) {
      throw new Error(
        `store: commit for workflow ${workflowId} got an event of workflow ${event.workflowId}`,
      );
    }
    return eventToRow(event);
  });
  const set = patchToRow(patch);

  await db.transaction().execute(async (trx) => {
    let select = trx.selectFrom('workflows').select(['last_sequence', 'lease_epoch']).where('id', '=', workflowId);
    // SQLite has no FOR UPDATE (its single writer already serialises commits).
    if (dialect === 'postgres') select = select.forUpdate();
    const current = await select.executeTakeFirst();
    if (current === undefined) throw new Error(`store: unknown workflow ${workflowId}`);
    checkLeaseEpoch(workflowId, options.epoch, Number(current.lease_epoch));

    const last = Number(current.last_sequence);
    rows.forEach((row, index) => {
      const expected = last + 1 + index;
      if (row.sequence !== expected) {
        throw new SequenceConflictError(workflowId, expected, row.sequence);
      }
    });

    for (let start = 0; start < rows.length; start += EVENT_INSERT_CHUNK) {
      await trx
        .insertInto('events')
        .values(rows.slice(start, start + EVENT_INSERT_CHUNK))
        .execute();
    }

    await writeToolCalls(trx, workflowId, events);

    const lastRow = rows[rows.length - 1];
    if (lastRow !== undefined) set.last_sequence = lastRow.sequence;
    if (Object.keys(set).length === 0) return;
    await trx.updateTable('workflows').set(set).where('id', '=', workflowId).execute();
  });
}

/**
 * Fencing (DESIGN.md section 5): the row is locked, so no takeover can slip in between this check
 * and the end of the transaction. A writer whose epoch was superseded writes nothing.
 */
function checkLeaseEpoch(workflowId: string, writerEpoch: number | undefined, currentEpoch: number): void {
  if (writerEpoch !== undefined && writerEpoch !== currentEpoch) {
    throw new LeaseLostError(workflowId, writerEpoch, currentEpoch);
  }
}
