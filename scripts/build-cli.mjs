#!/usr/bin/env node
// Bundles the `synapse` CLI into one ES module (plus lazily loaded chunks) with esbuild:
//   node scripts/build-cli.mjs [outdir]        (default dist/cli-bundle)
// One file instead of ~1,200 modules cuts cold start to ready by more than half (resolving,
// reading and compiling each module file is most of a start). Code reached only through a
// dynamic import() (GraphiQL's assets, pg, undici, the MCP SDK, YAML, OpenTelemetry) lands in
// its own chunk and loads when first used. better-sqlite3 stays external: it is a native addon.
// See docs/performance.md, "Cold start".
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.resolve(root, process.argv[2] ?? 'dist/cli-bundle');

await build({
  entryPoints: { synapse: path.join(root, 'src/cli/index.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Minifying was measured: no faster to start, and stack traces lose their names.
  minify: false,
  sourcemap: false,
  external: ['better-sqlite3', 'pg-native'],
  // Bundled CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __synapseCreateRequire } from 'node:module'; const require = __synapseCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  tsconfig: path.join(root, 'tsconfig.build.json'),
});
