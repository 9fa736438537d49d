#!/usr/bin/env node
// `npm start` runs the built gateway (dist/cli-bundle, ready in a fraction of the time tsx needs;
// docs/performance.md, "Cold start"). `npm install` builds it (the `prepare` script); this
// check, run before every `npm start`, rebuilds when a source is newer than the build, so an
// edited clone never serves stale code. It costs a few milliseconds of stat calls when nothing
// changed. `npm run dev` runs the sources through tsx instead, with a watch loop.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What the build reads: the sources, the bundler and its loader, and the dependency set. */
const INPUTS = [
  'src',
  'studio/src',
  'studio/generated',
  'studio/index.html',
  'studio/vite.config.ts',
  'scripts/build-cli.mjs',
  'scripts/cli-loader.cjs',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
];
/** What it writes: the CLI bundle, the compiled library (client entry points) and the Studio. */
const OUTPUTS = ['dist/cli-bundle/synapse.js', 'dist/client/index.js', 'dist/index.js', 'dist/studio/index.html'];

function newestMtime(entry) {
  let stat;
  try {
    stat = statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file shows as a newer directory
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

function oldestOutput() {
  let oldest = Infinity;
  for (const output of OUTPUTS) {
    try {
      oldest = Math.min(oldest, statSync(path.join(root, output)).mtimeMs);
    } catch {
      return 0; // missing: never built
    }
  }
  return oldest;
}

const built = oldestOutput();
const newestInput = Math.max(...INPUTS.map((input) => newestMtime(path.join(root, input))));
if (built === 0 || newestInput > built) {
  process.stderr.write(
    built === 0
      ? 'synapse: no build yet; building (npm run build)…\n'
      : 'synapse: sources changed since the last build; rebuilding (npm run build)…\n',
  );
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}
