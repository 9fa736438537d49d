import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSubscription, graphqlRequest, wsClient } from '../helpers/graphql-clients.js';
import { AGENT_STREAM, RUN_AGENT } from '../helpers/operations.js';
import { startCliProcess } from '../helpers/process.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The bundled CLI that `npm run build` makes (scripts/build-cli.mjs) and bin/synapse.js prefers:
 * built here into a scratch folder inside the repository (so better-sqlite3's native addon,
 * kept out of the bundle, resolves from node_modules), then served and driven like the sources are.
 */
describe('the bundled CLI (npm run build)', () => {
  let outdir: string;
  let entry: string[];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-bundle-'));

  beforeAll(async () => {
    outdir = mkdtempSync(path.join(ROOT, 'node_modules', '.synapse-bundle-test-'));
    await run(process.execPath, ['scripts/build-cli.mjs', outdir], { cwd: ROOT });
    entry = [path.join(outdir, 'synapse.js')];
  }, 60_000);

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the same schema as the sources', async () => {
    const { stdout } = await run(process.execPath, [...entry, 'schema'], { cwd: ROOT });
    expect(stdout).toBe(readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8'));
  });

  it('compiles from the code cache the build made, and without it alike', async () => {
    const schema = readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8');
    const cached = await run(process.execPath, [...entry, 'schema'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, SYNAPSE_CODE_CACHE: 'report' },
    });
    expect(cached.stdout).toBe(schema);
    expect(cached.stderr).toContain('synapse code cache: main.js used');
    expect(cached.stderr).not.toMatch(/rejected/);
    const uncached = await run(process.execPath, [...entry, 'schema'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, SYNAPSE_CODE_CACHE: 'off' },
    });
    expect(uncached.stdout).toBe(schema);
  });

  it('serves the demo agent: ready, a run, its stream; lazily loaded parts load on use', async () => {
    const gateway = await startCliProcess(
      ['serve', '--port', '0'],
      { SYNAPSE_DATA_DIR: dataDir, LOG_LEVEL: 'error' },
      /listening on (http:\/\/\S+)/,
      entry,
    );
    try {
      const ready = await fetch(new URL('/readyz', gateway.url));
      expect(ready.status).toBe(200);
      const result = await graphqlRequest(gateway.url, RUN_AGENT, {
        input: { agentId: 'demo', prompt: 'what is 6 * 7?', wait: true },
      });
      const workflow = result.data?.runAgent.workflow;
      expect(workflow.status).toBe('SUCCEEDED');
      const client = wsClient(gateway.url);
      const events = await collectSubscription<{ agentStream: { __typename: string; sequence: number } }>(
        client,
        AGENT_STREAM,
        { workflowId: workflow.id },
      );
      await client.dispose();
      expect(events.map((event) => event.agentStream.sequence)).toEqual(events.map((_event, index) => index + 1));
      expect(events.at(-1)?.agentStream.__typename).toBe('RunCompleted');
      // GraphiQL's assets are a chunk of their own, loaded on the first page request.
      const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
    } finally {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
    }
  });

  it('loads the YAML parser and the PostgreSQL driver when a config asks for them', async () => {
    const config = path.join(dataDir, 'synapse.config.yaml');
    writeFileSync(config, 'database:\n  url: postgres://postgres@127.0.0.1:1/none\n');
    // Only PATH from this environment: a DATABASE_URL set for the other suites would win over the file.
    const env = { PATH: process.env.PATH };
    const { code, stderr } = await run(process.execPath, [...entry, 'migrate', '--config', config], {
      cwd: ROOT,
      env,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    // Port 1 refuses: the point is that the YAML file parsed and pg loaded and tried to connect.
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/ECONNREFUSED/);
    expect(stderr).not.toMatch(/Cannot find|ERR_MODULE_NOT_FOUND/);
  });
});
