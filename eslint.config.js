// ESLint flat config: typescript-eslint with type information (docs/contributing.md, "Lint").
// The stage order between folders is checked by dependency-cruiser (.dependency-cruiser.cjs),
// not here; formatting is prettier's (.prettierrc.json), so no stylistic rules are enabled.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Build output, dependencies, local run data, and code written by generators
  // (npm run codegen writes */generated/).
  globalIgnores([
    'dist/**',
    'node_modules/**',
    'coverage/**',
    '.synapse/**',
    'bench/.build/**',
    'bench/results/**',
    'examples/generated/**',
    'studio/generated/**',
    'examples/web/dist/**',
  ]),
  js.configs.recommended,
  {
    // Every TypeScript file is type-checked through the tsconfig that includes it: the root
    // tsconfig.json (src, test, bench, scripts, examples, codegen.ts, vitest.config.ts),
    // studio/tsconfig.json and examples/web/tsconfig.json (browser code and their vite configs).
    files: ['**/*.{ts,tsx,mts,cts}'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The rules issue 14 asks for, as errors.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      // A `let` that a closure reads before its one assignment (a callback wired up before the
      // object it calls exists) cannot be a const, nor can one of a destructuring whose other
      // names are reassigned.
      'prefer-const': ['error', { destructuring: 'all', ignoreReadBeforeAssign: true }],
      // `_`-prefixed names are deliberately unused (a parameter kept for its position, a
      // destructured field left out of a rest object).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'none',
          ignoreRestSiblings: true,
        },
      ],
      // Noise here: the no-unsafe-* family flags every use of a value typed `any`, whether ours or
      // a library's (JSON.parse, pg rows, ajv, yoga's context, test fixtures): ~1,200 reports in
      // December 2026, most repeating one `any` each. `no-explicit-any` keeps `any` out of our
      // own code; values from outside are parsed (zod) or narrowed from `unknown` where they
      // enter. Turn these back on once `no-explicit-any` passes everywhere.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Noise here (37 reports, none a bug): in-memory implementations of async contracts (Store,
      // PubSub, ToolSource, RateLimiter, async iterators' `return()`, test doubles) are `async`
      // without an await so that they return a promise as the contract says and a synchronous
      // throw becomes a rejection.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Plain JavaScript (bin/, scripts/*.mjs|cjs, bench/idle-memory/*.mjs, this file) has no
    // tsconfig: lint it without type information.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    // Browser code (studio, the example web app).
    files: ['studio/src/**', 'examples/web/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
