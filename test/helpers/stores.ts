import type { LogConfig } from 'kysely';
import { openPostgresStore, openSqliteStore, type Store } from '../../src/store/index.js';
import { createPgTestSchema } from './postgres.js';

export interface Backend {
  name: string;
  dialect: 'sqlite' | 'postgres';
  /** A fresh, empty, migrated store; closing it drops what it created. */
  open(options?: { log?: LogConfig }): Promise<Store>;
}

/** One suite, every store: in-memory SQLite and a throwaway schema on the real PostgreSQL server. */
export const BACKENDS: Backend[] = [
  {
    name: 'SQLite',
    dialect: 'sqlite',
    open: (options = {}) => openSqliteStore({ filename: ':memory:', ...options }),
  },
  {
    name: 'PostgreSQL',
    dialect: 'postgres',
    async open(options = {}) {
      const schema = await createPgTestSchema();
      try {
        const store = await openPostgresStore({ connectionString: schema.url, ...options });
        return {
          ...store,
          async close() {
            await store.close();
            await schema.drop();
          },
        };
      } catch (error) {
        await schema.drop();
        throw error;
      }
    },
  },
];
