import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the CLI (`synapse ...`) as a real child process, the way `npm start` does. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; output: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [...TSX_CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const output = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, output };
}

/** How the tests run the CLI by default: its TypeScript sources through tsx, as `npm start` does. */
export const TSX_CLI = ['--import', 'tsx', 'src/cli/index.ts'];

/**
 * Starts a long-running CLI command and resolves once its stdout matches `ready`; `url` is the
 * pattern's first group. Used for `serve` and `mock-upstream`; `entry` runs another build of the
 * CLI (node arguments before the command's own).
 */
export async function startCliProcess(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  entry: readonly string[] = TSX_CLI,
): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`synapse ${args[0]} did not start: ${stderr}`)), 20_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = stdout.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then(({ code }) => reject(new Error(`synapse ${args[0]} exited with ${code}: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr, exited };
}

/** Starts `synapse serve` on an ephemeral port and resolves once it prints its URL. */
export function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  return startCliProcess(['serve', '--port', '0'], env, /listening on (http:\/\/\S+)/);
}
