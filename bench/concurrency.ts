/**
 * The concurrency scenario (docs/performance.md, "Many runs at model pace"): N runs at once,
 * each upstream an openai-chat SSE stream at model pace (lib/model-upstream-proc.ts: 300 tokens
 * at 40/s after 300 ms), started over a ramp of 3.3 s (N × 300 tokens offered over 10.8 s: 13,889
 * tokens/s at N = 500), one graphql-ws subscriber per run over 50 client sockets, a probe query
 * every 100 ms (lib/concurrency-client-proc.ts). Targets, each in fresh processes:
 *
 * - `gqlref`: the graphql-ws + graphql-js reference server (lib/server-proc.ts);
 * - `sqlite`: Synapse on its embedded SQLite store;
 * - `pg1`:    Synapse on PostgreSQL + Redis, one instance;
 * - `pg2`:    two instances on the same PostgreSQL schema and Redis prefix; run i starts on
 *             instance i mod 2, its subscriber is connected to the other one.
 *
 *   npm run bench -- --only concurrency                # N = 200 and 500, every target
 *   npx tsx bench/concurrency.ts                       # the same, on its own
 *   BENCH_CONCURRENCY_N=50,200 BENCH_CONCURRENCY_TARGETS=sqlite,pg2 npx tsx bench/concurrency.ts
 *
 * Environment: BENCH_CONCURRENCY_N (default `200,500`; 2000 for larger machines),
 * BENCH_CONCURRENCY_TARGETS (default `gqlref,sqlite,pg1,pg2`), BENCH_CONCURRENCY_SOCKETS (50),
 * BENCH_CONCURRENCY_RAMP_MS (3300), BENCH_CONCURRENCY_TIMEOUT_S (per run, 60), and for the
 * upstream BENCH_TOKENS (300), BENCH_TOKENS_PER_SEC (40), BENCH_TTFT_MS (300); DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test) and REDIS_URL (redis://127.0.0.1:6379).
 * For investigations: BENCH_CPU_PROF_DIR (a --cpu-prof of every server), BENCH_SQL_STATS=1 (SQL
 * statements by time), BENCH_HEAP_SNAPSHOTS, and BENCH_SERVER_FLAGS (node flags of the server
 * processes, e.g. `--max-semi-space-size=4`; lib/ipc.ts). Loopback only; every run is bounded
 * in count and time; every child is killed at the end.
 *
 * CPU per token: the server processes' CPU over the run (process.cpuUsage), plus the CPU of this
 * run's PostgreSQL backends (found by application_name, read from /proc) and of redis-server
 * (INFO cpu: the whole server, which other clients of it may share), over tokens delivered.
 * RSS per active run: the servers' peak RSS during the run minus their RSS before (after a full
 * GC), over N; and RSS and V8 heap after a full GC once every run streams (ramp + 2 s).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { forkChild, killAll, type Child } from './lib/ipc.js';

export type Target = 'gqlref' | 'sqlite' | 'pg1' | 'pg2';
export const TARGET_LABEL: Record<Target, string> = {
  gqlref: 'graphql-ws reference',
  sqlite: 'Synapse, SQLite',
  pg1: 'Synapse, PostgreSQL + Redis, 1 instance',
  pg2: 'Synapse, PostgreSQL + Redis, 2 instances',
};

/** Milliseconds at the median and the 99th percentile; null without samples. */
type Percentiles = { p50: number | null; p99: number | null };

export interface ConcurrencyResult {
  target: Target;
  n: number;
  completed: number;
  intact: number;
  timedOut: boolean;
  tokensReceived: number;
  tokensOffered: number;
  tokensPerSec: number;
  offeredTokensPerSec: number;
  serverCpuUsPerToken: number;
  storeCpuUsPerToken: number | null;
  /**
   * Token latency, added TTFT and probe latency without what was in flight while a server was
   * paused by the bench itself (the forced full GC of the memory figures, below); the same
   * figures with it are `…WithPauses`, and `pausedOut` counts what was left out.
   */
  tokenLatencyMs: { p50: number | null; p99: number | null; max: number | null };
  /**
   * Added time to first token, and its two parts (p50/p99 each): `toUpstream` from the client's
   * start (`runAgent` sent) to the upstream's request, `delivery` from the first token's send to
   * the client.
   */
  addedTtftMs: Percentiles & { toUpstream: Percentiles; delivery: Percentiles };
  probeMs: { count: number; p50: number | null; p99: number | null };
  tokenLatencyMsWithPauses: ConcurrencyResult['tokenLatencyMs'];
  addedTtftMsWithPauses: ConcurrencyResult['addedTtftMs'];
  probeMsWithPauses: ConcurrencyResult['probeMs'];
  pausedOut: { windows: number; tokens: number; firstTokens: number; probes: number };
  rssKbPerActiveRun: number;
  /** After a full GC while every run is active (ramp + 2 s): RSS and V8 heap over N, minus before. */
  gcRssKbPerActiveRun: number | null;
  heapKbPerActiveRun: number | null;
  clientCpuUsPerToken: number;
  /** The servers' event-loop delay during the run (the worst instance). */
  loopDelayMs: { p99: number; max: number } | null;
  loadavg: number[];
  failures: string[];
}

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const PG_BASE = /^postgres/.test(process.env.DATABASE_URL ?? '')
  ? process.env.DATABASE_URL!
  : 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = /^rediss?:\/\//.test(process.env.REDIS_URL ?? '') ? process.env.REDIS_URL! : 'redis://127.0.0.1:6379';
const CLOCK_TICKS_PER_SEC = 100;

export function concurrencySettings() {
  return {
    ns: env('BENCH_CONCURRENCY_N', '200,500')
      .split(',')
      .map(Number)
      .filter((n) => n > 0),
    targets: env('BENCH_CONCURRENCY_TARGETS', 'gqlref,sqlite,pg1,pg2')
      .split(',')
      .filter((t): t is Target => t in TARGET_LABEL),
    sockets: Number(env('BENCH_CONCURRENCY_SOCKETS', '50')),
    rampMs: Number(env('BENCH_CONCURRENCY_RAMP_MS', '3300')),
    timeoutMs: Number(env('BENCH_CONCURRENCY_TIMEOUT_S', '60')) * 1000,
    tokens: Number(env('BENCH_TOKENS', '300')),
    rate: Number(env('BENCH_TOKENS_PER_SEC', '40')),
    ttftMs: Number(env('BENCH_TTFT_MS', '300')),
  };
}

/** What bench/lib/concurrency-client-proc.ts answers to a `run` request (the fields read here). */
interface ClientReport {
  completed: number;
  intact: number;
  timedOut: boolean;
  tokensReceived: number;
  tokensOffered: number;
  firstTokenAt: number;
  lastTokenAt: number;
  tokenLatencyMs: ConcurrencyResult['tokenLatencyMs'];
  addedTtftMs: ConcurrencyResult['addedTtftMs'];
  probeMs: ConcurrencyResult['probeMs'];
  tokenLatencyMsWithPauses: ConcurrencyResult['tokenLatencyMs'];
  addedTtftMsWithPauses: ConcurrencyResult['addedTtftMs'];
  probeMsWithPauses: ConcurrencyResult['probeMs'];
  pausedOut: ConcurrencyResult['pausedOut'];
  clientCpuUs: number;
  failures: string[];
}

interface Server {
  child: Child;
  httpUrl: string;
  wsUrl: string;
}

interface Stats {
  cpuUs: number;
  rss: number;
  heapUsed: number;
  loop?: { p99Ms: number; maxMs: number };
  /** When `gc` was asked: the forced GC's window (`clock()` ms), a pause of the bench's own making. */
  gcWindow?: { from: number; to: number };
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

async function startServer(name: string, extra: Record<string, string>): Promise<Server> {
  // BENCH_CPU_PROF_DIR=<dir>: node --cpu-prof of every server process, into <dir>/<name>-<time>/.
  const profDir = process.env.BENCH_CPU_PROF_DIR;
  const execArgv = profDir ? ['--cpu-prof', '--cpu-prof-dir', `${profDir}/${name}-${Date.now()}`] : [];
  const child = forkChild(`server:${name}`, './server-proc.ts', { gc: true, env: extra, execArgv });
  const { url } = await child.next<{ url: string }>('listening', 60_000);
  return { child, httpUrl: url.replace(/^ws/, 'http'), wsUrl: url.replace(/^http/, 'ws') };
}

/** CPU (µs) of the PostgreSQL backends of this run's connections, by pid. */
async function pgBackendCpu(admin: pg.Client, applicationName: string): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [
    applicationName,
  ]);
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SEC) * 1e6);
    } catch {
      // gone meanwhile
    }
  }
  return cpu;
}

async function redisCpuUs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const pick = (key: string) => Number(new RegExp(`^${key}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return (pick('used_cpu_user') + pick('used_cpu_sys')) * 1e6;
}

/** Runs every target at every N; `log` gets one line per figure. */
export async function runConcurrencyScenario(
  log: (line: string) => void,
  deadline = Number.POSITIVE_INFINITY,
): Promise<{ results: ConcurrencyResult[]; skipped: string[] }> {
  const settings = concurrencySettings();
  const results: ConcurrencyResult[] = [];
  const skipped: string[] = [];
  const upstream = forkChild('model-upstream', './model-upstream-proc.ts');
  const { url: upstreamUrl } = await upstream.next<{ url: string }>('listening', 30_000);
  const client = forkChild('concurrency-client', './concurrency-client-proc.ts');
  await client.next('listening', 30_000);
  log(
    `\nConcurrency: N runs at model pace (${settings.tokens} tokens at ${settings.rate}/s after ${settings.ttftMs} ms, started over ${settings.rampMs} ms), ` +
      `one subscriber per run over ${settings.sockets} sockets, a probe every 100 ms; load average ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
  );

  try {
    for (const target of settings.targets) {
      const perRunMs = settings.timeoutMs + 20_000;
      if (Date.now() + perRunMs * (settings.ns.length + 1) > deadline) {
        skipped.push(`concurrency ${target}: out of time`);
        continue;
      }
      const applicationName = `synapse-bench-${process.pid}-${target}`;
      let admin: pg.Client | null = null;
      let redis: Redis | null = null;
      let schema: string | null = null;
      const servers: Server[] = [];
      try {
        if (target === 'pg1' || target === 'pg2') {
          admin = new pg.Client({ connectionString: PG_BASE, connectionTimeoutMillis: 3_000 });
          await admin.connect();
          schema = `synapse_bench_conc_${process.pid}_${target}`;
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
          redis = new Redis(REDIS, { lazyConnect: true, maxRetriesPerRequest: 1 });
          await redis.connect();
          const url = `${PG_BASE}${PG_BASE.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}&application_name=${applicationName}`;
          const extra = {
            BENCH_SERVER: 'synapse',
            BENCH_UPSTREAM: upstreamUrl,
            BENCH_DATABASE_URL: url,
            BENCH_REDIS_URL: REDIS,
            BENCH_REDIS_PREFIX: `synapse-bench-${process.pid}-${target}:`,
          };
          // One after the other: the first migrates the schema.
          servers.push(await startServer(`${target}-a`, extra));
          if (target === 'pg2') servers.push(await startServer(`${target}-b`, extra));
        } else {
          servers.push(
            await startServer(target, {
              BENCH_SERVER: target === 'gqlref' ? 'gqlref' : 'synapse',
              BENCH_UPSTREAM: upstreamUrl,
            }),
          );
        }
        const kind = target === 'gqlref' ? 'gqlref' : 'synapse';
        const request = (n: number) => ({
          cmd: 'run',
          kind,
          httpUrls: servers.map((server) => server.httpUrl),
          wsUrls: servers.map((server) => server.wsUrl),
          n,
          sockets: settings.sockets,
          rampMs: settings.rampMs,
          ttftMs: settings.ttftMs,
          tokens: settings.tokens,
          timeoutMs: settings.timeoutMs,
        });
        // Warm-up (JIT, pools, the store's first pages), not recorded.
        await client.request({ ...request(10), rampMs: 200 }, perRunMs);

        for (const n of settings.ns) {
          if (Date.now() + perRunMs > deadline) {
            skipped.push(`concurrency ${target} N=${n}: out of time`);
            continue;
          }
          const stats = () => Promise.all(servers.map((server) => server.child.request<Stats>({ cmd: 'stats' })));
          // BENCH_HEAP_SNAPSHOTS=<dir>: heap snapshots of the first server before and mid-run, for
          // node bench/idle-memory/heap-diff.mjs <before> <mid> <N> (the figures of that run are off).
          const snapshots = process.env.BENCH_HEAP_SNAPSHOTS;
          const snapshot = (when: string) =>
            snapshots ? { snapshot: `${snapshots}/${target}-${n}-${when}.heapsnapshot` } : {};
          const before = await Promise.all(
            servers.map((server, index) =>
              server.child.request<Stats>(
                { cmd: 'stats', gc: true, resetLoop: true, ...(index === 0 ? snapshot('before') : {}) },
                120_000,
              ),
            ),
          );
          const pgBefore = admin ? await pgBackendCpu(admin, applicationName) : null;
          const redisBefore = redis ? await redisCpuUs(redis) : null;
          let peakRss = before.reduce((sum, stat) => sum + stat.rss, 0);
          let sampling = true;
          const sampler = (async () => {
            while (sampling) {
              await new Promise((resolve) => setTimeout(resolve, 500));
              if (!sampling) break;
              const now = await stats().catch(() => null);
              if (now)
                peakRss = Math.max(
                  peakRss,
                  now.reduce((sum, stat) => sum + stat.rss, 0),
                );
            }
          })();
          // Once every run is streaming: a full GC, then RSS and heap (steadier than the peak).
          let midRun: Stats[] | null = null;
          const midTimer = setTimeout(() => {
            void Promise.all(
              servers.map((server, index) =>
                server.child.request<Stats>(
                  { cmd: 'stats', gc: true, ...(index === 0 ? snapshot('mid') : {}) },
                  120_000,
                ),
              ),
            ).then(
              (value) => {
                midRun = value;
                const windows = value.flatMap((stat) => (stat.gcWindow ? [stat.gcWindow] : []));
                return client.request({ cmd: 'pause', windows });
              },
              () => {},
            );
          }, settings.rampMs + 2_000);
          const report = await client.request<ClientReport>(request(n), perRunMs);
          clearTimeout(midTimer);
          sampling = false;
          await sampler;
          const after = await Promise.all(
            servers.map((server) => server.child.request<Stats>({ cmd: 'stats', resetLoop: true })),
          );
          const pgAfter = admin ? await pgBackendCpu(admin, applicationName) : null;
          const redisAfter = redis ? await redisCpuUs(redis) : null;

          const tokens = Math.max(1, report.tokensReceived);
          const serverCpuUs = after.reduce((sum, stat, index) => sum + stat.cpuUs - before[index]!.cpuUs, 0);
          let storeCpuUs: number | null = null;
          if (pgBefore && pgAfter && redisBefore !== null && redisAfter !== null) {
            storeCpuUs = redisAfter - redisBefore;
            for (const [pid, cpu] of pgAfter) storeCpuUs += cpu - (pgBefore.get(pid) ?? 0);
          }
          const windowSec = Math.max(1e-3, (report.lastTokenAt - report.firstTokenAt) / 1000);
          const result: ConcurrencyResult = {
            target,
            n,
            completed: report.completed,
            intact: report.intact,
            timedOut: report.timedOut,
            tokensReceived: report.tokensReceived,
            tokensOffered: report.tokensOffered,
            tokensPerSec: Math.round(report.tokensReceived / windowSec),
            offeredTokensPerSec: Math.round(
              (n * settings.tokens) / ((settings.rampMs + (settings.tokens / settings.rate) * 1000) / 1000),
            ),
            serverCpuUsPerToken: round(serverCpuUs / tokens),
            storeCpuUsPerToken: storeCpuUs === null ? null : round(storeCpuUs / tokens),
            tokenLatencyMs: report.tokenLatencyMs,
            addedTtftMs: report.addedTtftMs,
            probeMs: report.probeMs,
            tokenLatencyMsWithPauses: report.tokenLatencyMsWithPauses,
            addedTtftMsWithPauses: report.addedTtftMsWithPauses,
            probeMsWithPauses: report.probeMsWithPauses,
            pausedOut: report.pausedOut,
            rssKbPerActiveRun: round((peakRss - before.reduce((sum, stat) => sum + stat.rss, 0)) / 1024 / n),
            gcRssKbPerActiveRun:
              midRun === null
                ? null
                : round(
                    ((midRun as Stats[]).reduce((sum, stat) => sum + stat.rss, 0) -
                      before.reduce((sum, stat) => sum + stat.rss, 0)) /
                      1024 /
                      n,
                  ),
            heapKbPerActiveRun:
              midRun === null
                ? null
                : round(
                    ((midRun as Stats[]).reduce((sum, stat) => sum + stat.heapUsed, 0) -
                      before.reduce((sum, stat) => sum + stat.heapUsed, 0)) /
                      1024 /
                      n,
                  ),
            clientCpuUsPerToken: round(report.clientCpuUs / tokens),
            loopDelayMs: after[0]?.loop
              ? {
                  p99: round(Math.max(...after.map((stat) => stat.loop!.p99Ms))),
                  max: round(Math.max(...after.map((stat) => stat.loop!.maxMs))),
                }
              : null,
            loadavg: os.loadavg().map((value) => round(value, 2)),
            failures: report.failures,
          };
          results.push(result);
          log(formatResult(result));
          // Let the last runs settle before the next N.
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      } catch (error) {
        skipped.push(`concurrency ${target}: ${(error as Error).message}`);
        log(`  ${TARGET_LABEL[target]}: FAILED ${(error as Error).message}`);
      } finally {
        for (const server of servers) {
          await server.child.request({ cmd: 'close' }, 15_000).catch(() => {});
          await server.child.exit(5_000);
        }
        if (admin && schema) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
        await admin?.end().catch(() => {});
        redis?.disconnect();
      }
    }
  } finally {
    await client.kill();
    await upstream.kill();
  }
  const summary = summarize(results);
  for (const line of summary) log(line);
  return { results, skipped };
}

export function formatResult(r: ConcurrencyResult): string {
  const ms = (n: number | null) => (n === null ? '-' : n.toFixed(n >= 100 ? 0 : 1));
  return (
    `  N=${String(r.n).padEnd(4)} ${TARGET_LABEL[r.target].padEnd(41)} ${r.completed}/${r.n} completed${r.intact === r.n ? '' : ` (${r.intact} intact)`}${r.timedOut ? ' TIMED OUT' : ''}  ` +
    `${r.tokensPerSec} tokens/s of ${r.offeredTokensPerSec}  cpu ${r.serverCpuUsPerToken} µs/token${r.storeCpuUsPerToken === null ? '' : ` + ${r.storeCpuUsPerToken} PG/Redis`}  ` +
    `token p50/p99 ${ms(r.tokenLatencyMs.p50)}/${ms(r.tokenLatencyMs.p99)} ms  added TTFT p99 ${ms(r.addedTtftMs.p99)} ms (to upstream p50/p99 ${ms(r.addedTtftMs.toUpstream.p50)}/${ms(r.addedTtftMs.toUpstream.p99)}, first delivery ${ms(r.addedTtftMs.delivery.p50)}/${ms(r.addedTtftMs.delivery.p99)})  probe p99 ${ms(r.probeMs.p99)} ms  ` +
    `(with the forced GC: ${ms(r.tokenLatencyMsWithPauses.p99)}, ${ms(r.addedTtftMsWithPauses.p99)}, ${ms(r.probeMsWithPauses.p99)} ms; left out ${r.pausedOut.tokens} tokens, ${r.pausedOut.probes} probes)  ` +
    `RSS ${r.rssKbPerActiveRun} KB/run peak, after GC ${r.gcRssKbPerActiveRun ?? '-'} KB RSS, ${r.heapKbPerActiveRun ?? '-'} KB heap  loop delay p99/max ${r.loopDelayMs ? `${r.loopDelayMs.p99}/${r.loopDelayMs.max}` : '-'} ms  (client ${r.clientCpuUsPerToken} µs/token, load ${r.loadavg.join(' ')})` +
    `${r.failures.length ? `  failures: ${r.failures.slice(0, 3).join('; ')}` : ''}`
  );
}

/** The issue's goals as ratios within this run. */
export function summarize(results: readonly ConcurrencyResult[]): string[] {
  const lines: string[] = [];
  const ns = [...new Set(results.map((r) => r.n))];
  for (const n of ns) {
    const at = (target: Target) => results.find((r) => r.n === n && r.target === target);
    const ref = at('gqlref');
    const sqlite = at('sqlite');
    const pg1 = at('pg1');
    const pg2 = at('pg2');
    const check = (ok: boolean) => (ok ? 'met' : 'NOT met');
    lines.push(`  goals at N=${n}:`);
    if (sqlite)
      lines.push(`    SQLite: every run complete and intact: ${check(sqlite.intact === n)} (${sqlite.intact}/${n})`);
    if (pg2)
      lines.push(
        `    PostgreSQL + Redis, 2 instances: every run complete and intact: ${check(pg2.intact === n)} (${pg2.intact}/${n})`,
      );
    if (ref && sqlite)
      lines.push(
        `    CPU per token SQLite ≤ reference: ${check(sqlite.serverCpuUsPerToken <= ref.serverCpuUsPerToken)} (${sqlite.serverCpuUsPerToken} vs ${ref.serverCpuUsPerToken} µs)`,
      );
    if (sqlite) {
      lines.push(
        `    SQLite token p99 ≤ 50 ms: ${check((sqlite.tokenLatencyMs.p99 ?? Infinity) <= 50)} (${sqlite.tokenLatencyMs.p99}); added TTFT p99 ≤ 25 ms: ${check((sqlite.addedTtftMs.p99 ?? Infinity) <= 25)} (${sqlite.addedTtftMs.p99})`,
      );
      lines.push(
        `    probe p99 ≤ 50 ms on SQLite: ${check((sqlite.probeMs.p99 ?? Infinity) <= 50)} (${sqlite.probeMs.p99})`,
      );
      lines.push(
        `    RSS per active run ≤ 64 KB on SQLite: ${check(sqlite.rssKbPerActiveRun <= 64)} (${sqlite.rssKbPerActiveRun} KB at peak; ${sqlite.gcRssKbPerActiveRun ?? '-'} KB after a full GC${ref ? `; reference ${ref.rssKbPerActiveRun} / ${ref.gcRssKbPerActiveRun ?? '-'} KB` : ''})`,
      );
    }
    for (const pgResult of [pg1, pg2]) {
      if (pgResult)
        lines.push(
          `    ${TARGET_LABEL[pgResult.target]} token p99 ≤ 100 ms: ${check((pgResult.tokenLatencyMs.p99 ?? Infinity) <= 100)} (${pgResult.tokenLatencyMs.p99})`,
        );
    }
    if (pg1 && pg2) {
      const ratio = pg2.tokensPerSec / Math.max(1, pg1.tokensPerSec);
      const saturated = pg1.tokensPerSec < 0.95 * pg1.offeredTokensPerSec;
      lines.push(
        `    two instances over one: ${ratio.toFixed(2)}× tokens/s (${pg2.tokensPerSec} vs ${pg1.tokensPerSec}; one instance ${saturated ? 'saturated' : 'not saturated, so the ≥ 1.6× goal does not apply'})`,
      );
    }
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
  const guard = setTimeout(() => {
    process.stdout.write('concurrency bench: hard time limit reached, stopping\n');
    killAll();
    process.exit(2);
  }, 30 * 60_000);
  guard.unref();
  runConcurrencyScenario((line) => process.stdout.write(`${line}\n`))
    .then(({ skipped }) => {
      if (skipped.length) process.stdout.write(`skipped: ${skipped.join('; ')}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
      killAll();
      process.exit(1);
    });
}
