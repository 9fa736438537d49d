import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, openPostgresStore } from '../../src/store/index.js';
import { createPgTestSchema, PG_URL } from '../helpers/postgres.js';
import { runCli } from '../helpers/process.js';

const names = Object.keys(MIGRATIONS).sort();

describe('synapse migrate', () => {
  it('migrates a PostgreSQL server named by DATABASE_URL, idempotently', async () => {
    const schema = await createPgTestSchema();
    try {
      for (let run = 0; run < 2; run += 1) {
        const { code, stdout, stderr } = await runCli(['migrate'], { DATABASE_URL: schema.url }).output;
        expect(stderr).toBe('');
        expect(code).toBe(0);
        expect(stdout).toBe(`PostgreSQL store is at migration ${names.at(-1)}\n`);
      }
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        const applied = await client.query(`SELECT name FROM ${schema.schema}.synapse_migration ORDER BY name`);
        expect(applied.rows.map((row: { name: string }) => row.name)).toEqual(names);
      } finally {
        await client.end();
      }
    } finally {
      await schema.drop();
    }
  });

  it('migrates a schema of its own beside another Synapse schema in the same database', async () => {
    // Kysely's migrator looks for its tables in every schema unless told which: a migrated
    // neighbour made it skip creating its own lock table ("synapse_migration_lock does not exist").
    const neighbour = await createPgTestSchema();
    const fresh = await createPgTestSchema();
    try {
      const first = await openPostgresStore({ connectionString: neighbour.url });
      const second = await openPostgresStore({ connectionString: fresh.url });
      await second.ping();
      expect(await second.listWorkflows({ filter: { tenantId: 'default' }, first: 1 })).toMatchObject({ rows: [] });
      await Promise.all([first.close(), second.close()]);
    } finally {
      await Promise.all([neighbour.drop(), fresh.drop()]);
    }
  });

  it('migrates the embedded SQLite file by default', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'synapse-migrate-'));
    try {
      const { code, stdout } = await runCli(['migrate'], { SYNAPSE_DATA_DIR: dir }).output;
      expect(code).toBe(0);
      expect(stdout).toContain('SQLite store is at migration');
      expect(existsSync(path.join(dir, 'synapse.db'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with exit 1 and no password in the message when the server is unreachable', async () => {
    const { code, stderr } = await runCli(['migrate'], { DATABASE_URL: 'postgres://u:secret@127.0.0.1:1/db' }).output;
    expect(code).toBe(1);
    expect(stderr).toMatch(/could not open the PostgreSQL store/);
    expect(stderr).not.toContain('secret');
  });
});
