/**
 * A preload for a server process of the bench that records where its promoted garbage comes
 * from: V8's sampling heap profiler keeping the samples of objects a major GC collected (so
 * they had survived into the old generation) and dropping those a minor GC collected. Objects
 * still alive at the end are in the profile too. Summarise the file with
 * `npx tsx bench/promoted-summary.ts <file>`.
 *
 *   BENCH_SERVER_FLAGS="--import ./bench/lib/promoted-heap.ts" \
 *     BENCH_CONCURRENCY_N=200 BENCH_CONCURRENCY_TARGETS=pg1 npx tsx bench/concurrency.ts
 *
 * BENCH_PROMOTED_FROM_MS / BENCH_PROMOTED_TO_MS (default 11000 / 19000: the concurrency
 * scenario's steady state at N = 200) bound the sampling, counted from the process's start;
 * the profile goes to `<BENCH_PROMOTED_DIR or the system's temp folder>/promoted-<pid>.heapprofile`.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import path from 'node:path';

const from = Number(process.env.BENCH_PROMOTED_FROM_MS ?? 11_000);
const to = Number(process.env.BENCH_PROMOTED_TO_MS ?? 19_000);
const file = path.join(process.env.BENCH_PROMOTED_DIR ?? tmpdir(), `promoted-${process.pid}.heapprofile`);

const session = new Session();
session.connect();
const post = <T>(method: string, params?: object) =>
  new Promise<T>((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))),
  );

setTimeout(() => {
  void (async () => {
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: false,
    });
    setTimeout(() => {
      void post<{ profile: unknown }>('HeapProfiler.stopSampling').then(({ profile }) => {
        writeFileSync(file, JSON.stringify(profile));
        console.error(`promoted-heap: ${file}`);
      });
    }, to - from).unref();
  })();
}, from).unref();
