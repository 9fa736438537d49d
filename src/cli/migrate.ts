import { loadConfig } from '../config/index.js';
import { MIGRATIONS, openStore } from '../store/index.js';

export interface MigrateOptions {
  configPath?: string;
}

/**
 * `synapse migrate`: applies pending migrations to the configured store (`DATABASE_URL`,
 * `database.url`, or the embedded SQLite file) and exits. Idempotent; safe beside running
 * gateways, which migrate at start-up under the same lock.
 */
export async function migrate(options: MigrateOptions): Promise<string> {
  const config = await loadConfig({ configPath: options.configPath });
  // Opening a store applies every pending migration before it returns.
  const store = await openStore({ url: config.database.url, dataDir: config.dataDir });
  const dialect = store.dialect;
  await store.close();
  const latest = Object.keys(MIGRATIONS).sort().at(-1);
  return `${dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'} store is at migration ${latest}`;
}
