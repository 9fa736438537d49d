/**
 * Cold start to ready: spawns `synapse serve --port 0` on a fresh data dir and times from spawn
 * until /readyz answers 200. Two runners:
 * - `compiled`: the built CLI (the esbuild bundle of `npm run build`; see `compiledEntry`);
 * - `tsx`: bin/synapse.js in a clone without dist/, which runs the TypeScript sources through tsx.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, track } from './ipc.js';

export interface ColdStart {
  ms: number;
  /** Time until the CLI printed its URL. */
  listeningMs: number;
}

const BUILD = path.join(ROOT, 'bench/.build');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * The built CLI, as `npm run build` makes it and `bin/synapse.js` prefers: the esbuild bundle in
 * dist/cli-bundle/ when there is one, else the bench bundles src/ into bench/.build/ with the same
 * script (scripts/build-cli.mjs; gitignored; rebuilt when a source file is newer).
 */
export function compiledEntry(log: (line: string) => void): { entry: string; source: string } {
  const dist = path.join(ROOT, 'dist/cli-bundle/synapse.js');
  if (existsSync(dist)) return { entry: dist, source: 'dist/cli-bundle/ (npm run build)' };
  const entry = path.join(BUILD, 'synapse.js');
  if (!existsSync(entry) || statSync(entry).mtimeMs < newestMtime(path.join(ROOT, 'src'))) {
    log('  bundling src/ into bench/.build/ (scripts/build-cli.mjs, a few seconds) ...');
    rmSync(BUILD, { recursive: true, force: true });
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-cli.mjs'), BUILD], { cwd: ROOT, stdio: 'inherit' });
  }
  return { entry, source: 'bench/.build/ (esbuild bundle of src/, as npm run build)' };
}

/** bin/synapse.js runs dist/ when it exists; only without it is this the tsx path. */
export const TSX_ENTRY = path.join(ROOT, 'src/cli/index.ts');

export async function coldStartOnce(runner: 'compiled' | 'tsx', entry: string, timeoutMs = 20_000): Promise<ColdStart> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-bench-cold-'));
  const started = performance.now();
  const args = runner === 'tsx' ? ['--import', 'tsx', entry] : [entry];
  const child = spawn(process.execPath, [...args, 'serve', '--port', '0'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', SYNAPSE_DATA_DIR: dataDir, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  try {
    const { origin, listeningMs } = await new Promise<{ origin: string; listeningMs: number }>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(
        () => reject(new Error(`no URL within ${timeoutMs} ms: ${stderr.slice(-500)}`)),
        timeoutMs,
      );
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = stdout.match(/listening on (http:\/\/\S+)/);
        if (match) {
          clearTimeout(timer);
          resolve({ origin: new URL(match[1]!).origin, listeningMs: performance.now() - started });
        }
      });
      void exited.then(() => reject(new Error(`synapse serve exited: ${stderr.slice(-500)}`)));
    });
    const deadline = started + timeoutMs;
    while (performance.now() < deadline) {
      const status = await fetch(`${origin}/readyz`).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) return { ms: performance.now() - started, listeningMs };
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    throw new Error('/readyz never answered 200');
  } finally {
    child.kill('SIGKILL');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}
