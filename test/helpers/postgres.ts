import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test server: `DATABASE_URL` when it names PostgreSQL, else the local one on loopback. */
export const PG_URL = /^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? '')
  ? process.env.DATABASE_URL!
  : 'postgres://postgres@127.0.0.1:5432/test';

export interface PgTestSchema {
  /** The schema's name (`synapse_test_<random>`). */
  schema: string;
  /** `PG_URL` with `search_path` set to the schema, for `openStore` / `DATABASE_URL`. */
  url: string;
  /** Drops the schema and everything in it. Idempotent. */
  drop(): Promise<void>;
}

/**
 * A fresh, empty schema on the test server, so concurrent test runs (other files, other
 * worktrees) never see each other's tables. Connections opened with `url` use it as their
 * `search_path`, so the store's unqualified tables and migrations land in it.
 */
export async function createPgTestSchema(): Promise<PgTestSchema> {
  const schema = `synapse_test_${randomBytes(6).toString('hex')}`;
  await runSql(`CREATE SCHEMA ${schema}`);
  const separator = PG_URL.includes('?') ? '&' : '?';
  const url = `${PG_URL}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  let dropped: Promise<void> | undefined;
  return {
    schema,
    url,
    drop: () => (dropped ??= runSql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
  };
}

async function runSql(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
