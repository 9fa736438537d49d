/**
 * Cold start to ready: spawns `synapse serve --port 0` (bin/synapse.js: the compiled CLI in
 * dist/ when built, else the TypeScript sources through tsx) on a fresh data dir and times
 * from spawn until /readyz answers 200.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './ipc.js';

export interface ColdStart {
  ms: number;
  /** Time until the CLI printed its URL. */
  listeningMs: number;
}

export const runsCompiled = () => existsSync(path.join(ROOT, 'dist/cli/index.js'));

export async function coldStartOnce(timeoutMs = 20_000): Promise<ColdStart> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-bench-cold-'));
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/synapse.js'), 'serve', '--port', '0'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', SYNAPSE_DATA_DIR: dataDir, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  try {
    const { origin, listeningMs } = await new Promise<{ origin: string; listeningMs: number }>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`no URL within ${timeoutMs} ms: ${stderr.slice(-500)}`)), timeoutMs);
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
      const status = await fetch(`${origin}/readyz`).then((response) => response.status, () => 0);
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
