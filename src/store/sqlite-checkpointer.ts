import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

export interface WalCheckpointerOptions {
  /** Pause between two checkpoints. Default 200 ms. */
  intervalMs?: number;
  /**
   * The WAL's hard bound in pages (frames): past it the worker forces the WAL back to its start
   * with a RESTART checkpoint, which holds the writer for a few milliseconds. When the WAL
   * restarts, the connection cuts the file back to a quarter of this. Default 32,768 (128 MB of
   * 4 KB pages; the file is cut back to 32 MB).
   */
  maxWalFrames?: number;
  /** Told when the worker failed and the connection went back to checkpointing itself. */
  onFallback?: (error: Error) => void;
}

export interface WalCheckpointer {
  /** Stops the worker after a last checkpoint; the connection checkpoints itself again. */
  close(): Promise<void>;
}

/*
 * The worker: its own connection to the same file, a PASSIVE checkpoint every interval (copies
 * what the WAL holds into the database file without waiting for, or blocking, the writer), and
 * a last one on 'close'. CommonJS, so that it runs the same from the sources and from the
 * bundled CLI; the driver is required by the absolute path the main thread resolved.
 *
 * The WAL goes back to its start only when a write transaction begins while every frame in it
 * has been copied. A PASSIVE checkpoint copies the frames that were there when it began; under a
 * steady stream of commits (one every few milliseconds, many runs at model pace) the writer has
 * always appended more by the time it ends, so one checkpoint per interval never got there and
 * the WAL grew without bound: 227 MB in the 11 s of the concurrency bench at N = 200, 840 MB
 * after 128,000 events of a tight commit loop (docs/performance.md, "The fourth pass"). So each
 * round repeats the checkpoint while the one before found new frames (a few passes, each copying
 * only what the last one missed), which most of the time leaves a moment with everything
 * copied, and the next writer starts the WAL over. Only when the WAL is still past its hard bound
 * does a RESTART checkpoint force it: that holds the writer for the last frames and the file's
 * fsync (6–10 ms measured), and forcing it at every 32 MB cost the concurrency bench 9–14 µs of
 * CPU per token and doubled its token latency, while the repeated passes alone kept the WAL at
 * 16–59 MB at no measurable cost (docs/performance.md, "The fourth pass").
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
// Only RESTART waits: for a moment between two of the writer's transactions, then, holding the
// writer, for readers still on the WAL. Short, so that a long reader elsewhere (another process)
// makes it give up until the next round instead of holding this store's writer.
db.pragma('busy_timeout = 50');
const checkpoint = () => {
  let last = -1;
  let result;
  for (let pass = 0; pass < 8; pass++) {
    result = db.pragma('wal_checkpoint(PASSIVE)')[0];
    if (result.log === result.checkpointed && result.log === last) return;
    last = result.log;
  }
  if (result.log > workerData.maxWalFrames) db.pragma('wal_checkpoint(RESTART)');
};
const timer = setInterval(() => {
  try { checkpoint(); } catch (error) { parentPort.postMessage({ error: String(error && error.message || error) }); }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { checkpoint(); } catch {}
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
`;

const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
const DEFAULT_MAX_WAL_FRAMES = 32_768;

/**
 * Moves WAL checkpoints off the event loop. SQLite checkpoints inside the COMMIT that pushes the
 * WAL past 1,000 pages: that commit then copies about 4 MB into the database file and fsyncs it,
 * a stall of several milliseconds on the thread that streams events (docs/performance.md,
 * "Store commits"). Here a worker thread checkpoints every `intervalMs` on its own connection,
 * and the store's connection stops checkpointing itself once the worker is ready. If the worker
 * fails, the connection checkpoints itself again, so the WAL never grows without bound.
 */
export function startWalCheckpointer(
  connection: SqliteDatabase.Database,
  filename: string,
  options: WalCheckpointerOptions = {},
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const maxWalFrames = options.maxWalFrames ?? DEFAULT_MAX_WAL_FRAMES;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, filename, intervalMs: options.intervalMs ?? 200, maxWalFrames },
    // Its own small heap: it holds one connection and a timer.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
  });
  let active = true;
  const selfCheckpoint = () => {
    if (connection.open) connection.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  };
  const fallBack = (error: Error) => {
    if (!active) return;
    active = false;
    selfCheckpoint();
    options.onFallback?.(error);
    void worker.terminate();
  };
  worker.on('message', (message: { ready?: boolean; error?: string }) => {
    if (message.ready && active && connection.open) {
      connection.pragma('wal_autocheckpoint = 0');
      // When the WAL restarts, a file grown past the bound (a burst) is cut back to it.
      const pageSize = Number(connection.pragma('page_size', { simple: true }));
      connection.pragma(`journal_size_limit = ${Math.floor(maxWalFrames / 4) * pageSize}`);
    } else if (message.error) fallBack(new Error(`WAL checkpoint failed: ${message.error}`));
  });
  worker.on('error', (error) => fallBack(error));
  worker.on('exit', (code) => {
    if (active) fallBack(new Error(`the WAL checkpoint worker exited (code ${code})`));
  });
  // Never what keeps the process alive.
  worker.unref();

  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        if (!active) return;
        active = false;
        selfCheckpoint();
        // Held until it has exited: an unref'd worker and timer would let a process whose
        // shutdown awaits this close end right here, with the rest of its shutdown undone.
        worker.ref();
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.postMessage('close');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2_000)))]);
        clearTimeout(timer);
        await worker.terminate();
      })();
      return closing;
    },
  };
}
