/**
 * The `concurrentRuns` count of `runAgent` against a long history, on SQLite: seeds `--history`
 * finished agent runs plus `--live` running ones of one tenant, then times
 * `store.countWorkflows` (the count `src/server/limits/use-run-limits.ts` makes per start) and
 * prints its plan. `--without-index` drops the index of migration 0008 first, to show the plan
 * and time before it (docs/performance.md, "The fourth pass").
 *
 *   npx tsx bench/admission-count.ts [--history 100000] [--live 200] [--runs 200] [--without-index]
 *
 * Bounded: one INSERT … SELECT, then `--runs` counts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { openSqliteStore } from '../src/store/index.js';

const { values } = parseArgs({
  options: {
    history: { type: 'string', default: '100000' },
    live: { type: 'string', default: '200' },
    runs: { type: 'string', default: '200' },
    'without-index': { type: 'boolean', default: false },
  },
});
const HISTORY = Number(values.history);
const LIVE = Number(values.live);
const RUNS = Number(values.runs);
const FILTER = { tenantId: 'default', status: ['QUEUED', 'RUNNING'], kind: 'AGENT_RUN' } as const;

const dir = mkdtempSync(join(tmpdir(), 'synapse-admission-'));
const filename = join(dir, 'synapse.db');
try {
  // Migrate, then seed on a side connection (no ANALYZE: a gateway's database never has statistics).
  await (await openSqliteStore({ filename })).close();
  const side = new SqliteDatabase(filename);
  side.exec(`with recursive c(n) as (select 1 union all select n + 1 from c where n < ${HISTORY + LIVE})
    insert into workflows (id, tenant_id, kind, status, agent_id, created_at, last_sequence)
    select 'w' || n, 'default', 'AGENT_RUN', case when n > ${HISTORY} then 'RUNNING' else 'SUCCEEDED' end, 'demo', n, 0 from c`);
  if (values['without-index']) side.exec('drop index workflows_tenant_status_kind_idx');
  side.close();

  const queries: { sql: string; parameters: readonly unknown[] }[] = [];
  const store = await openSqliteStore({
    filename,
    log: (event) => {
      if (event.level === 'query') queries.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
  });
  let counted = await store.countWorkflows(FILTER, 1_000); // warm
  const started = performance.now();
  for (let index = 0; index < RUNS; index++) counted = await store.countWorkflows(FILTER, 1_000);
  const perCount = (performance.now() - started) / RUNS;
  await store.close();

  const plan = new SqliteDatabase(filename, { readonly: true });
  const query = queries.find((entry) => /count\(\*\)/.test(entry.sql))!;
  const details = plan
    .prepare(`explain query plan ${query.sql}`)
    .all(...query.parameters)
    .map((row) => `    ${(row as { detail: string }).detail}`);
  plan.close();
  console.log(
    `${HISTORY} finished + ${LIVE} live agent runs${values['without-index'] ? ', without the index of 0008' : ''}: ` +
      `count = ${counted}, ${perCount.toFixed(3)} ms per count (${RUNS} counts)`,
  );
  console.log(details.join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
