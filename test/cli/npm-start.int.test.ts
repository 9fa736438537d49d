import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, removeTempDirs } from '../helpers/fs.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
afterAll(removeTempDirs);

/**
 * `npm start` as the README has it: the built gateway (the `prepare` script builds it on
 * `npm install`; `prestart` rebuilds when a source is newer), a single process under npm's shell,
 * so a supervisor's signal to the `npm start` process stops the server.
 */
describe('npm start', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`serves the built gateway and stops on ${signal} sent to the npm process`, async () => {
      const child = spawn('npm', ['start', '--silent'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? tmpdir(),
          PORT: '0',
          SYNAPSE_DATA_DIR: tempDir('synapse-npm-start-'),
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
          const match = /listening on (http:\/\/\S+)/.exec(stdout);
          if (match) resolve(match[1]!);
        });
        void exited.then((code) => reject(new Error(`npm start exited with ${code}: ${stderr}`)));
      });
      // The bundled CLI, not the TypeScript sources through tsx.
      const ready = await fetch(new URL('/readyz', url));
      expect(ready.status).toBe(200);
      // The Studio came with the build: no extra command.
      const studio = await fetch(new URL('/studio', url));
      expect(studio.status).toBe(200);
      expect(await studio.text()).toContain('<title>Synapse Studio</title>');

      child.kill(signal);
      expect(await exited).toBe(0);
      // Nothing is left listening: the gateway itself got the signal.
      await expect(fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    }, 90_000);
  }
});

describe('the client entry points', () => {
  it('resolve from a project that installed the repository as a dependency', async () => {
    const project = tempDir('synapse-consumer-');
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', type: 'module', private: true }),
    );
    mkdirSync(path.join(project, 'node_modules'));
    // What `npm install ../synapse` makes: a link to the repository, whose `prepare` built dist/.
    symlinkSync(ROOT, path.join(project, 'node_modules', 'synapse'), 'dir');
    const script = [
      "const client = await import('synapse/client');",
      "const apollo = await import('synapse/client/apollo');",
      "const urql = await import('synapse/client/urql');",
      'console.log(JSON.stringify([Object.keys(client).sort(), Object.keys(apollo).sort(), Object.keys(urql).sort()]));',
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [client, apollo, urql] = JSON.parse(stdout) as string[][];
    expect(client).toContain('createResumableClient');
    expect(apollo!.length).toBeGreaterThan(0);
    expect(urql!.length).toBeGreaterThan(0);
  }, 30_000);
});
