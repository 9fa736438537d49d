import type { Kysely } from 'kysely';
import type { AgentEvent } from '../events/index.js';
import { rowToEvent } from './codec.js';
import type { Database } from './database.js';

/** Workflow ids per `IN (...)`: far below both dialects' bind-parameter limits. */
const IDS_PER_QUERY = 1000;

/**
 * The events after `afterSequence`, at most `limit`, of many workflows in one statement per 1,000
 * ids (DataLoader batches). Sequences are contiguous from 1 per workflow (`commit` refuses
 * anything else and retention deletes whole workflows), so "the next `limit` events" is the
 * primary-key range `(workflow_id, afterSequence < sequence <= afterSequence + limit)`: exact, no
 * window function, and it reads only the rows it returns.
 */
export async function readEventWindows(
  db: Kysely<Database>,
  workflowIds: readonly string[],
  afterSequence: number,
  limit: number,
): Promise<Map<string, AgentEvent[]>> {
  const byWorkflow = new Map<string, AgentEvent[]>(workflowIds.map((id) => [id, []]));
  if (limit <= 0) return byWorkflow;
  const from = Math.max(0, Math.floor(afterSequence));
  const to = from + Math.floor(limit);
  for (const ids of chunks(unique(workflowIds))) {
    const rows = await db
      .selectFrom('events')
      .selectAll()
      .where('workflow_id', 'in', ids)
      .where('sequence', '>', from)
      .where('sequence', '<=', to)
      .orderBy('workflow_id')
      .orderBy('sequence')
      .execute();
    for (const row of rows) byWorkflow.get(row.workflow_id)?.push(rowToEvent(row));
  }
  return byWorkflow;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function* chunks(ids: string[]): Generator<string[]> {
  for (let start = 0; start < ids.length; start += IDS_PER_QUERY) yield ids.slice(start, start + IDS_PER_QUERY);
}
