#!/usr/bin/env node
// Bundles the `synapse` CLI with esbuild, plus a V8 code cache for what a start runs:
//   node scripts/build-cli.mjs [outdir]        (default dist/cli-bundle)
// One bundle instead of ~1,200 modules cuts cold start to ready by more than half (resolving,
// reading and compiling each module file is most of a start). Code reached only through a
// dynamic import() (GraphiQL's assets, pg, undici, the MCP SDK, YAML, OpenTelemetry) lands in
// a chunk of its own and loads when first used. better-sqlite3's native addon stays in node_modules.
//
// Node 20 has no module compile cache (`module.enableCompileCache` is Node 22), and an ES module
// cannot be given one, so each chunk is turned into a CommonJS-style function body (esbuild's
// transform; `import.meta.url` becomes the chunk's file URL) and `synapse.js` is a small loader
// (scripts/cli-loader.cjs) that compiles the chunks with `vm.Script` and `cachedData`. The cache
// is made here by a training start (`serve` on a scratch data dir until /readyz answers, then
// SIGUSR2), so it holds the bytecode of everything a start runs; it is checked against the
// chunk's SHA-1 and V8's own checks (version, flags), and a missing or rejected cache only means
// compiling as without one. See docs/performance.md, "Cold start".
import { build, transform } from 'esbuild';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.resolve(root, process.argv[2] ?? 'dist/cli-bundle');

const result = await build({
  entryPoints: { main: path.join(root, 'src/cli/index.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Minifying was measured: no faster to start, and stack traces lose their names.
  minify: false,
  // Pure ASCII output (see asciiOnly below).
  charset: 'ascii',
  sourcemap: false,
  // better-sqlite3's JavaScript is bundled (and so in the code cache); its native addon is loaded
  // from node_modules by path (src/store/sqlite.ts, nativeBinding).
  external: ['*.node', 'pg-native'],
  write: false,
  logLevel: 'warning',
  tsconfig: path.join(root, 'tsconfig.build.json'),
  plugins: [graphqlAsEsm()],
});

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
// The chunks are CommonJS function bodies, the loader a CommonJS script; the repository's
// package.json says "type": "module".
writeFileSync(path.join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
await Promise.all(
  result.outputFiles.map(async (file) => {
    let code = file.text.replace(/^#!.*\n/, '');
    const transformed = await transform(code, {
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      charset: 'ascii',
      define: { 'import.meta.url': '__synapseImportMetaUrl' },
      // import() of a chunk becomes a require() through the loader (a vm.Script has no ES module
      // loader of its own, and a script from a code cache would lose it anyway).
      supported: { 'dynamic-import': false },
      banner: "var __synapseImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
      logLevel: 'warning',
    });
    code = asciiOnly(transformed.code);
    writeFileSync(file.path, code);
  }),
);
copyFileSync(path.join(root, 'scripts/cli-loader.cjs'), path.join(outdir, 'synapse.js'));

try {
  await trainCodeCache();
} catch (error) {
  // Not fatal: the bundle works without a code cache, it only starts slower.
  console.warn(`build-cli: no code cache (${error.message.slice(0, 500)})`);
}

/**
 * esbuild's `charset: 'ascii'` escapes non-ASCII characters in code but not in the comments it
 * keeps (JSDoc on class members); one such character makes the whole chunk a two-byte string,
 * slower to read and to scan. Escaping them in comments changes nothing else.
 */
function asciiOnly(code) {
  // eslint-disable-next-line no-control-regex -- the range is all of ASCII, control characters included
  return code.replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * graphql 16 ships the same code as CommonJS (`main`, chosen by esbuild for platform node) and as
 * ES modules (`module`, `.mjs`). Bundled as CommonJS, each of the ~50 modules importing it gets
 * its own ES-module view of its ~250 exports (getters, copied at start) and every call goes
 * through one; the `.mjs` files bundle as plain scope-hoisted code. Every import and require of
 * graphql resolves to them, so there is still exactly one copy of graphql.
 */
function graphqlAsEsm() {
  return {
    name: 'graphql-as-esm',
    setup(build) {
      build.onResolve({ filter: /^graphql(\/.*)?$/ }, async (args) => {
        if (args.pluginData?.graphqlAsEsm) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { graphqlAsEsm: true },
        });
        if (resolved.errors.length > 0 || !resolved.path.endsWith('.js')) return resolved;
        const esm = `${resolved.path.slice(0, -3)}.mjs`;
        return existsSync(esm) ? { ...resolved, path: esm } : resolved;
      });
    },
  };
}

/**
 * Starts the bundled CLI once with SYNAPSE_CODE_CACHE=write (`serve` on a scratch data dir),
 * waits for /readyz, then SIGUSR2: the loader writes each loaded chunk's code cache and exits.
 */
async function trainCodeCache() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-code-cache-'));
  let child;
  try {
    child = spawn(process.execPath, [path.join(outdir, 'synapse.js'), 'serve', '--port', '0'], {
      // Not the repository: a synapse.config.* there is not the built-in demo configuration.
      cwd: dataDir,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        SYNAPSE_DATA_DIR: dataDir,
        LOG_LEVEL: 'error',
        SYNAPSE_CODE_CACHE: 'write',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const origin = await new Promise((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`no URL within 30 s: ${stderr}`)), 30_000);
      timer.unref();
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = stdout.match(/listening on (http:\/\/\S+)/);
        if (match) {
          clearTimeout(timer);
          resolve(new URL(match[1]).origin);
        }
      });
      void exited.then(() => reject(new Error(`synapse serve exited: ${stderr}`)));
    });
    let ready = false;
    for (let attempt = 0; attempt < 500 && !ready; attempt++) {
      ready =
        (await fetch(`${origin}/readyz`).then(
          (response) => response.status,
          () => 0,
        )) === 200;
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill(ready ? 'SIGUSR2' : 'SIGKILL');
    const { code } = await exited;
    const caches = readdirSync(outdir).filter((name) => name.endsWith('.v8cache'));
    if (code !== 0 || caches.length === 0) throw new Error(`training start exited with ${code}: ${stderr.slice(-500)}`);
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
