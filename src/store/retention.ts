import type { Kysely } from 'kysely';
import type { Logger } from '../logger.js';
import { toMillis } from './codec.js';
import type { Database } from './database.js';
import { FINISHED_STATUSES, type Store } from './types.js';

const DAY_MS = 86_400_000;

/**
 * One bounded batch of the retention sweep, in one transaction: the oldest `limit` finished
 * workflows whose `finished_at` is before `finishedBefore`, with their events and tool
 * calls. Unfinished workflows are never deleted, however old. Returns how many
 * workflows it deleted; fewer than `limit` means nothing else has expired.
 */
export async function deleteExpiredWorkflows(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  options: { finishedBefore: Date; limit: number },
): Promise<number> {
  const limit = Math.max(0, Math.floor(options.limit));
  if (limit === 0) return 0;
  return db.transaction().execute(async (trx) => {
    let select = trx
      .selectFrom('workflows')
      .select('id')
      .where('status', 'in', [...FINISHED_STATUSES])
      .where('finished_at', '<', toMillis(options.finishedBefore))
      .orderBy('finished_at')
      .limit(limit);
    // Two gateways sweeping at once take different batches instead of waiting on each other.
    if (dialect === 'postgres') select = select.forUpdate().skipLocked();
    const ids = (await select.execute()).map((row) => row.id);
    if (ids.length === 0) return 0;
    await trx.deleteFrom('tool_calls').where('workflow_id', 'in', ids).execute();
    await trx.deleteFrom('events').where('workflow_id', 'in', ids).execute();
    await trx.deleteFrom('workflows').where('id', 'in', ids).execute();
    return ids.length;
  });
}

export interface RetentionOptions {
  store: Store;
  /** Finished workflows older than this many days (since they finished) are deleted. */
  days: number;
  sweepIntervalMs: number;
  batchSize: number;
  logger: Logger;
  /** Clock, for tests. */
  now?: () => number;
  /** Batches per sweep at most, so one sweep never runs unbounded; the next sweep goes on. */
  maxBatchesPerSweep?: number;
}

export interface RetentionSweeper {
  /** Runs one sweep now (waiting for one in progress first); resolves with the workflows deleted. */
  sweep(): Promise<number>;
  /** Stops the timer and waits for a sweep in progress to finish its batch. */
  stop(): Promise<void>;
}

/**
 * Sweeps at start-up and then every `sweepIntervalMs`. Each sweep deletes in batches of
 * `batchSize` workflows, one transaction each, yielding to the event loop between batches so
 * runs and queries are served meanwhile. A failing sweep is logged; the next one retries.
 */
export function startRetentionSweeper(options: RetentionOptions): RetentionSweeper {
  const now = options.now ?? Date.now;
  const maxBatches = options.maxBatchesPerSweep ?? 1_000;
  let stopped = false;
  let running: Promise<number> = Promise.resolve(0);
  let timer: NodeJS.Timeout | null = null;

  const sweepOnce = async (): Promise<number> => {
    const finishedBefore = new Date(now() - options.days * DAY_MS);
    let deleted = 0;
    for (let batch = 0; batch < maxBatches && !stopped; batch += 1) {
      const count = await options.store.deleteExpiredWorkflows({ finishedBefore, limit: options.batchSize });
      deleted += count;
      if (count < options.batchSize) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (deleted > 0) options.logger.info('retention sweep deleted expired workflows', { deleted, finishedBefore });
    return deleted;
  };

  const sweep = (): Promise<number> => {
    running = running.catch(() => 0).then(sweepOnce);
    return running;
  };

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      sweep()
        .catch((error: unknown) => options.logger.error('retention sweep failed', { error }))
        .finally(() => schedule(options.sweepIntervalMs));
    }, delayMs);
    timer.unref();
  };
  schedule(0);

  return {
    sweep,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => 0);
    },
  };
}
