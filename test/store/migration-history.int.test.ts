import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createKyselyStore, type Database } from '../../src/store/index.js';
import { createMigrator } from '../../src/store/migrations.js';
import { createPgTestSchema } from '../helpers/postgres.js';

const cases = [
  {
    name: 'SQLite',
    async open() {
      const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) });
      return { db, dialect: 'sqlite' as const, schema: undefined, cleanup: async () => {} };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const schema = await createPgTestSchema();
      const db = new Kysely<Database>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: schema.url, max: 2 }) }),
      });
      return { db, dialect: 'postgres' as const, schema: schema.schema, cleanup: () => schema.drop() };
    },
  },
];

describe.each(cases)('0002_history on $name', (backend) => {
  it('backfills the token columns of workflows written under 0001, in batches', async () => {
    const { db, dialect, schema, cleanup } = await backend.open();
    const store = createKyselyStore(db, dialect);
    try {
      const migrator = createMigrator(db, schema);
      const down = await migrator.migrateTo('0001_initial');
      expect(down.error).toBeUndefined();
      // 1,203 rows with usage: more than two backfill batches of 500; and some without.
      const rows = Array.from({ length: 1300 }, (_, i) => ({
        id: `w${String(i).padStart(5, '0')}`,
        kind: 'AGENT_RUN',
        status: 'SUCCEEDED',
        created_at: i,
        usage:
          i % 13 === 0
            ? null
            : JSON.stringify({
                inputTokens: i,
                outputTokens: 2,
                totalTokens: i % 2 ? null : i + 2,
                reasoningTokens: null,
                cachedInputTokens: null,
              }),
      }));
      // rows in the 0001 shape, which today's `Database` type no longer describes
      for (let start = 0; start < rows.length; start += 200) {
        await (db as unknown as Kysely<{ workflows: Record<string, unknown> }>)
          .insertInto('workflows')
          .values(rows.slice(start, start + 200))
          .execute();
      }
      await store.migrate();

      const summary = await store.usageSummary({ tenantId: 'default', groupBy: 'AGENT' });
      const withUsage = rows.filter((row) => row.usage !== null);
      const expectedInput = withUsage.reduce((sum, row) => sum + Number(row.created_at), 0);
      expect(summary).toEqual([
        {
          key: '(none)',
          workflows: 1300,
          inputTokens: expectedInput,
          outputTokens: 2 * withUsage.length,
          totalTokens: expectedInput + 2 * withUsage.length, // reported or input + output, the same here
        },
      ]);

      // 0002 can be rolled back and re-applied (the backfill runs again).
      expect((await migrator.migrateDown()).error).toBeUndefined();
      await store.migrate();
      expect(await store.usageSummary({ tenantId: 'default', groupBy: 'AGENT' })).toEqual(summary);
    } finally {
      await store.close();
      await cleanup();
    }
  });
});
