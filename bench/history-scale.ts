/**
 * History at scale: seeds a store with a million events and times the history queries through
 * the real store code, printing each query's plan (EXPLAIN QUERY PLAN / EXPLAIN).
 *
 *   npm run bench:history -- --dialect sqlite   [--workflows 20000] [--events 50]
 *   npm run bench:history -- --dialect postgres (DATABASE_URL, default the local test server;
 *                                                runs in a throwaway schema, dropped afterwards)
 *
 * Bounded: the seed is one INSERT … SELECT per table, each query runs a fixed number of times.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { openPostgresStore, openSqliteStore, type Store, type WorkflowRecord } from '../src/store/index.js';

const { values } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'sqlite' },
    workflows: { type: 'string', default: '20000' },
    events: { type: 'string', default: '50' },
    runs: { type: 'string', default: '20' },
  },
});
const WORKFLOWS = Number(values.workflows);
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);
const BASE = Date.UTC(2026, 0, 1);
const dialect = values.dialect === 'postgres' ? 'postgres' : 'sqlite';

let lastQuery: { sql: string; parameters: readonly unknown[] } | null = null;
const log = (event: { level: string; query: { sql: string; parameters: readonly unknown[] } }) => {
  // Selects only: a transaction's plan of interest is its select (retention picks its batch by one).
  if (event.level === 'query' && /^select/i.test(event.query.sql))
    lastQuery = { sql: event.query.sql, parameters: event.query.parameters };
};

interface Raw {
  exec(statement: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

async function open(): Promise<{ store: Store; raw: Raw }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'synapse-scale-'));
    const filename = join(dir, 'synapse.db');
    const store = await openSqliteStore({ filename, log });
    const side = new SqliteDatabase(filename);
    return {
      store,
      raw: {
        async exec(statement, params = []) {
          const prepared = side.prepare(statement);
          return prepared.reader
            ? (prepared.all(...params) as Record<string, unknown>[])
            : (prepared.run(...params), []);
        },
        async close() {
          side.close();
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      },
    };
  }
  const base = /^postgres/.test(process.env.DATABASE_URL ?? '')
    ? process.env.DATABASE_URL!
    : 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `synapse_scale_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const url = `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const store = await openPostgresStore({ connectionString: url, log });
  await admin.query(`SET search_path = ${schema}`);
  return {
    store,
    raw: {
      async exec(statement, params = []) {
        return (await admin.query(statement, params)).rows as Record<string, unknown>[];
      },
      async close() {
        await store.close();
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      },
    },
  };
}

/** One INSERT … SELECT per table: a recursive counter on SQLite, generate_series on PostgreSQL. */
async function seed(raw: Raw): Promise<void> {
  const counter =
    dialect === 'sqlite'
      ? (count: number, column = 'n') =>
          `with recursive c(${column}) as (select 1 union all select ${column} + 1 from c where ${column} < ${count}) select ${column} from c`
      : (count: number, column = 'n') => `select ${column} from generate_series(1, ${count}) as ${column}`;
  const padOf = (column: string) =>
    dialect === 'sqlite' ? `printf('%08d', ${column})` : `lpad(${column}::text, 8, '0')`;
  const pad = padOf('n');
  const statuses = `case n % 6 when 0 then 'QUEUED' when 1 then 'RUNNING' when 2 then 'SUCCEEDED' when 3 then 'FAILED' when 4 then 'CANCELLED' else 'INTERRUPTED' end`;
  await raw.exec(`
    insert into workflows (id, tenant_id, kind, status, agent_id, thread_id, input, metadata, created_at, finished_at,
                           usage, input_tokens, output_tokens, total_tokens, last_sequence)
    select 'w' || ${pad}, case when n % 10 = 0 then 'other' else 'default' end,
           case when n % 4 = 0 then 'TOOL_CALL' else 'AGENT_RUN' end, ${statuses},
           'agent-' || (n % 10), 'thread-' || (n / 3), '{}',
           '{"team":"t' || (n % 10) || '","n":' || n || '}',
           ${BASE} + n * 1000, case when n % 6 >= 2 then ${BASE} + n * 1000 + 500 end,
           '{"inputTokens":10,"outputTokens":20,"totalTokens":30}', 10, 20, 30, ${EVENTS}
    from (${counter(WORKFLOWS)}) as c`);
  const types = `case s % 5 when 0 then 'ToolCallStarted' when 1 then 'TextDelta' when 2 then 'ToolResult' when 3 then 'ReasoningDelta' else 'LogMessage' end`;
  const body = `case s % 5 when 0 then '{"toolCallId":"c' || s || '","toolName":"calc"}' when 2 then '{"toolCallId":"c' || (s - 2) || '","result":1,"isError":false}' when 1 then '{"messageId":"m","delta":"x"}' when 3 then '{"delta":"x"}' else '{"level":"INFO","message":"x"}' end`;
  await raw.exec(`
    insert into events (workflow_id, sequence, type, at, body)
    select 'w' || ${padOf('w.n')}, s, ${types}, ${BASE} + w.n * 1000 + s, ${body}
    from (${counter(WORKFLOWS)}) as w cross join (${counter(EVENTS, 's')}) as e`);
  await raw.exec(dialect === 'sqlite' ? 'analyze' : 'analyze workflows');
  if (dialect === 'postgres') await raw.exec('analyze events');
}

async function plan(raw: Raw): Promise<string> {
  if (!lastQuery) return '';
  const { sql, parameters } = lastQuery;
  if (dialect === 'sqlite') {
    const rows = await raw.exec(`explain query plan ${sql}`, [...parameters]);
    return rows.map((row) => `    ${String(row.detail)}`).join('\n');
  }
  const rows = await raw.exec(`explain ${sql}`, [...parameters]);
  return rows.map((row) => `    ${String(row['QUERY PLAN'])}`).join('\n');
}

async function time(raw: Raw, name: string, run: () => Promise<unknown>): Promise<void> {
  await run(); // warm
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  const p95 = samples[Math.floor(samples.length * 0.95)] ?? samples.at(-1)!;
  console.log(`${name.padEnd(44)} median ${median.toFixed(2).padStart(8)} ms   p95 ${p95.toFixed(2).padStart(8)} ms`);
  console.log(await plan(raw));
}

async function main(): Promise<void> {
  const { store, raw } = await open();
  try {
    const seedStart = Date.now();
    await seed(raw);
    const counted = await raw.exec('select count(*) as n from events');
    console.log(
      `${dialect}: ${WORKFLOWS} workflows, ${Number(counted[0]!.n)} events, seeded in ${Date.now() - seedStart} ms\n`,
    );

    const tenant = { tenantId: 'default' };
    const page = await store.listWorkflows({ filter: tenant, first: 50 });
    const middle = (
      await store.listWorkflows({
        filter: { ...tenant, createdBefore: new Date(BASE + (WORKFLOWS / 2) * 1000) },
        first: 1,
      })
    ).rows[0] as WorkflowRecord;
    const cursor = { createdAt: middle.createdAt, id: middle.id };
    const ids = page.rows.map((row) => row.id);

    await time(raw, 'workflows(first: 50)', () => store.listWorkflows({ filter: tenant, first: 50 }));
    await time(raw, 'workflows(first: 50, after: middle)', () =>
      store.listWorkflows({ filter: tenant, first: 50, after: cursor }),
    );
    await time(raw, 'workflows(last: 50, before: middle)', () =>
      store.listWorkflows({ filter: tenant, last: 50, before: cursor }),
    );
    await time(raw, 'filter agentId, after: middle', () =>
      store.listWorkflows({ filter: { ...tenant, agentId: 'agent-3' }, first: 50, after: cursor }),
    );
    await time(raw, 'filter status [FAILED], after: middle', () =>
      store.listWorkflows({ filter: { ...tenant, status: ['FAILED'] }, first: 50, after: cursor }),
    );
    await time(raw, 'filter threadId', () =>
      store.listWorkflows({ filter: { ...tenant, threadId: `thread-${Math.floor(WORKFLOWS / 6)}` }, first: 50 }),
    );
    await time(raw, 'filter created range', () =>
      store.listWorkflows({
        filter: { ...tenant, createdAfter: new Date(BASE + 1000 * 1000), createdBefore: new Date(BASE + 2000 * 1000) },
        first: 50,
      }),
    );
    await time(raw, 'filter metadata {team: t3}', () =>
      store.listWorkflows({ filter: { ...tenant, metadata: { team: 't3' } }, first: 50 }),
    );
    await time(raw, 'events(first: 5) of 50 workflows', () => store.readEventWindows(ids, 0, 5));
    await time(raw, 'events(afterSequence: 40, first: 5) of 50', () => store.readEventWindows(ids, 40, 5));
    await time(raw, 'toolCalls of 50 workflows', () => store.listToolCalls('default', ids));
    await time(raw, 'thread(id)', () => store.listThread('default', `thread-${Math.floor(WORKFLOWS / 6)}`));
    await time(raw, 'usageSummary(DAY) over everything', () =>
      store.usageSummary({ tenantId: 'default', groupBy: 'DAY' }),
    );
    await time(raw, 'usageSummary(AGENT), one day', () =>
      store.usageSummary({
        tenantId: 'default',
        groupBy: 'AGENT',
        from: new Date(BASE),
        to: new Date(BASE + 86_400_000),
      }),
    );
    // Retention: the select of one batch (nothing expires at this cutoff, so nothing is deleted).
    await time(raw, 'retention batch (none expired)', () =>
      store.deleteExpiredWorkflows({ finishedBefore: new Date(BASE), limit: 500 }),
    );
  } finally {
    await raw.close();
  }
}

await main();
