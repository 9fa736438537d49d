import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startWalCheckpointer } from '../../src/store/sqlite-checkpointer.js';
import { openSqliteStore } from '../../src/store/index.js';
import type { AgentEvent } from '../../src/events/index.js';
import { newWorkflowRecord } from '../helpers/stores.js';
import { until } from '../helpers/async.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function walDatabase(): { connection: SqliteDatabase.Database; filename: string } {
  const dir = mkdtempSync(join(tmpdir(), 'synapse-ckpt-'));
  dirs.push(dir);
  const filename = join(dir, 'db.sqlite');
  const connection = new SqliteDatabase(filename);
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.exec('create table t (id integer primary key, body text not null)');
  return { connection, filename };
}

const autocheckpoint = (connection: SqliteDatabase.Database) =>
  connection.pragma('wal_autocheckpoint', { simple: true });

describe('WAL checkpoints in a worker thread', () => {
  it('the worker copies the WAL into the database file while this connection no longer checkpoints itself', async () => {
    const { connection, filename } = walDatabase();
    const checkpointer = startWalCheckpointer(connection, filename, { intervalMs: 50 });
    await until(() => autocheckpoint(connection) === 0, 5_000, 'the worker to be ready');
    const before = statSync(filename).size;
    const insert = connection.prepare('insert into t (body) values (?)');
    const body = 'x'.repeat(500);
    connection.transaction(() => {
      for (let index = 0; index < 4_000; index++) insert.run(body);
    })();
    // Only a checkpoint writes pages into the database file itself; this connection does not.
    await until(() => statSync(filename).size > before + 1_000_000, 5_000, 'the database file to receive the WAL');
    await checkpointer.close();
    expect(autocheckpoint(connection)).toBe(1000);
    expect(connection.prepare('select count(*) as n from t').get()).toEqual({ n: 4_000 });
    connection.close();
  });

  it('keeps the WAL bounded under a steady stream of commits', async () => {
    const { connection, filename } = walDatabase();
    const maxWalFrames = 500;
    const checkpointer = startWalCheckpointer(connection, filename, { intervalMs: 50, maxWalFrames });
    await until(() => autocheckpoint(connection) === 0, 5_000, 'the worker to be ready');
    const insert = connection.prepare('insert into t (body) values (?)');
    const commit = connection.transaction((rows: number) => {
      for (let index = 0; index < rows; index++) insert.run('x'.repeat(200));
    });
    // Many runs at model pace: a small transaction every millisecond or so, for 2 s. With one
    // PASSIVE checkpoint per interval the writer had always appended more by the time it ended,
    // and the WAL never went back to its start.
    let largest = 0;
    const started = Date.now();
    let commits = 0;
    while (Date.now() - started < 2_000) {
      commit(16);
      commits++;
      if (commits % 20 === 0) largest = Math.max(largest, statSync(`${filename}-wal`).size);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await checkpointer.close();
    expect(commits).toBeGreaterThan(500);
    // The bound plus what the writer appends between two rounds of the worker, with room to spare.
    expect(largest).toBeLessThan(3 * maxWalFrames * 4096);
    expect(connection.prepare('select count(*) as n from t').get()).toEqual({ n: commits * 16 });
    connection.close();
  });

  it('a worker that cannot open the database hands checkpointing back to the connection', async () => {
    const { connection } = walDatabase();
    connection.pragma('wal_autocheckpoint = 0');
    const failures: Error[] = [];
    const checkpointer = startWalCheckpointer(
      connection,
      join(tmpdir(), 'synapse-no-such-dir', 'missing', 'db.sqlite'),
      {
        onFallback: (error) => failures.push(error),
      },
    );
    await until(() => failures.length > 0, 5_000, 'the fallback');
    expect(autocheckpoint(connection)).toBe(1000);
    await checkpointer.close();
    connection.close();
  });

  it('a file store commits through it and closes cleanly with every event kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synapse-ckpt-store-'));
    dirs.push(dir);
    const filename = join(dir, 'synapse.db');
    const store = await openSqliteStore({ filename });
    await store.createWorkflow(newWorkflowRecord('w1', { status: 'RUNNING' }));
    let sequence = 0;
    const at = new Date().toISOString();
    for (let batch = 0; batch < 50; batch++) {
      const events = Array.from({ length: 100 }, (): AgentEvent => ({
        type: 'ReasoningDelta',
        delta: 'd'.repeat(200),
        workflowId: 'w1',
        sequence: ++sequence,
        at,
      }));
      await store.commit('w1', events, {});
    }
    await store.close();
    const reopened = await openSqliteStore({ filename });
    expect((await reopened.getWorkflow('w1'))!.lastSequence).toBe(5_000);
    expect(await reopened.readEvents('w1', 4_990, 100)).toHaveLength(10);
    await reopened.close();
  });

  it('closing keeps the process alive until the worker is gone (a shutdown that awaits it runs to its end)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synapse-ckpt-exit-'));
    dirs.push(dir);
    const script = join(dir, 'close.mts');
    const storeModule = fileURLToPath(new URL('../../src/store/index.ts', import.meta.url));
    writeFileSync(
      script,
      `import { openSqliteStore } from ${JSON.stringify(storeModule)};
const store = await openSqliteStore({ filename: ${JSON.stringify(join(dir, 'synapse.db'))} });
await store.createWorkflow({ id: 'w', tenantId: 'default', kind: 'AGENT_RUN', status: 'RUNNING', agentId: 'demo', threadId: null, input: {}, metadata: null, createdAt: new Date() });
await store.commit('w', [{ type: 'ReasoningDelta', delta: 'x', workflowId: 'w', sequence: 1, at: new Date().toISOString() }], {});
await new Promise((resolve) => setTimeout(resolve, 300));
await store.close();
console.log('after close');
`,
    );
    const result = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('after close');
  });
});
