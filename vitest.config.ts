import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds. Node loads the CJS one for yoga and
    // graphql-ws; Vite would hand our sources the ESM one, and two GraphQLError classes break
    // error masking. Point everything at the build Node uses, as in production.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Two tiers (docs/testing.md): `unit` runs in-process (no sockets, servers, PostgreSQL,
    // Redis, child processes or browsers) and stays under a minute; `integration` is the rest.
    // The tier is in the file name, so a file's place in the tree says what it tests.
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/**/*.int.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.int.test.ts'] },
      },
    ],
  },
});
