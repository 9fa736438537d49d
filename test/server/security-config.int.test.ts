import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConfigError } from '../../src/config/index.js';
import { parseConfig } from '../../src/config/index.js';
import type { Logger } from '../../src/logger.js';
import { requiredScope, ROOT_FIELD_SCOPES } from '../../src/server/auth/scope-table.js';
import { createSynapseServer } from '../../src/server/index.js';
import { authedRequest } from '../helpers/auth-clients.js';
import { RUN_AGENT } from '../helpers/operations.js';
import { runCli } from '../helpers/process.js';
import { tempDir, removeTempDirs } from '../helpers/fs.js';

afterAll(removeTempDirs);
const parse = (raw: Record<string, unknown>) => parseConfig(raw, { env: {}, source: 'test' });
const DIGEST = 'a'.repeat(64);

describe('auth and limits config', () => {
  it('defaults: auth off without credentials configured, on as soon as keys or a JWT issuer are', () => {
    const off = parse({});
    expect(off.auth).toMatchObject({ required: false, apiKeys: [], allowUnauthenticatedRemote: false });
    expect(off.limits).toMatchObject({
      maxDepth: 12,
      maxCost: 5000,
      maxAliases: 15,
      maxTokens: 2000,
      maxBodyBytes: 1_048_576,
      runsPerMinute: 600,
      concurrentRuns: 50,
      subscriptionsPerConnection: 100,
    });
    const keys = parse({ auth: { apiKeys: [{ id: 'k', sha256: DIGEST, tenant: 'acme', scopes: ['agents:run'] }] } });
    expect(keys.auth.required).toBe(true);
    const jwt = parse({ auth: { jwt: { secret: 's'.repeat(32) } } });
    expect(jwt.auth.required).toBe(true);
    expect(jwt.auth.jwt).toMatchObject({ tenantClaim: 'tenant', scopesClaim: 'scope' });
  });

  it('names every bad key', () => {
    let error: ConfigError | undefined;
    try {
      parse({
        auth: {
          required: true,
          apiKeys: [{ id: 'k', sha256: 'not-hex', tenant: 'acme', scopes: ['root'] }],
          jwt: { secret: 'short', jwksUrl: 'ftp://x' },
        },
        limits: { maxDepth: 0, maxTokenz: 5 },
      });
    } catch (caught) {
      error = caught as ConfigError;
    }
    const paths = error!.issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'auth.apiKeys[0].sha256',
        'auth.apiKeys[0].scopes[0]',
        'auth.jwt.secret',
        'auth.jwt.jwksUrl',
        'limits.maxDepth',
        'limits.maxTokenz',
      ]),
    );
    expect(error!.message).not.toContain('short'); // secrets are never echoed
  });

  it('required: true without any way to sign in is an error', () => {
    expect(() => parse({ auth: { required: true } })).toThrow(/auth\.required: is true but neither apiKeys nor jwt/);
  });
});

describe('exposure', () => {
  const quiet = (): Logger & { warnings: string[] } => {
    const warnings: string[] = [];
    return { warnings, debug() {}, info() {}, error() {}, warn: (message) => void warnings.push(message) };
  };

  it('refuses to create a server with auth off on a non-loopback address', async () => {
    const config = parseConfig(
      { server: { host: '0.0.0.0', port: 0 } },
      { env: { SYNAPSE_DATA_DIR: tempDir('synapse-sec-') } },
    );
    await expect(createSynapseServer({ config, logger: quiet() })).rejects.toThrow(
      /auth\.required: authentication is off but server\.host is "0\.0\.0\.0"/,
    );
  });

  it('warns on loopback with auth off, and serves 0.0.0.0 only when told to explicitly', async () => {
    const logger = quiet();
    const config = parseConfig(
      { server: { host: '0.0.0.0', port: 0 }, auth: { allowUnauthenticatedRemote: true } },
      { env: { SYNAPSE_DATA_DIR: tempDir('synapse-sec-') } },
    );
    const server = await createSynapseServer({ config, logger }); // not listening: nothing leaves loopback
    await server.close();
    expect(logger.warnings.join('\n')).toMatch(/authentication is off/);
  });

  it('the process refuses to start on 0.0.0.0 with auth off', async () => {
    const dir = tempDir('synapse-sec-');
    const file = path.join(dir, 'synapse.config.json');
    writeFileSync(file, JSON.stringify({ server: { host: '0.0.0.0', port: 0 } }));
    const { output } = runCli(['serve', '--config', file], { SYNAPSE_DATA_DIR: dir });
    const { code, stdout, stderr } = await output;
    expect(code).toBe(1);
    expect(stdout).not.toContain('listening');
    expect(stderr).toContain('auth.allowUnauthenticatedRemote');
  });
});

describe('the scope table', () => {
  it('locks a root field it does not list behind admin', () => {
    expect(requiredScope('query', 'somethingAddedLater')).toBe('admin');
    expect(requiredScope('mutation', 'dropEverything')).toBe('admin');
    expect(requiredScope('query', 'constructor')).toBe('admin');
  });

  it('lists the pinned limit fields and those later issues add', () => {
    expect(ROOT_FIELD_SCOPES.mutation).toMatchObject({
      runAgent: 'agents:run',
      cancelWorkflow: 'agents:run',
      callTool: 'tools:call',
    });
    expect(ROOT_FIELD_SCOPES.query).toMatchObject({
      agents: 'authenticated',
      agent: 'authenticated',
      workflow: 'workflows:read',
      workflows: 'workflows:read',
      thread: 'workflows:read',
      usageSummary: 'workflows:read',
    });
    expect(ROOT_FIELD_SCOPES.subscription).toMatchObject({
      agentStream: 'workflows:read',
      workflowUpdates: 'workflows:read',
    });
  });
});

describe('a RateLimiter of ones own (the seam for a shared one)', () => {
  it('is asked with the tenant key and its refusal reaches the client', async () => {
    const asked: string[] = [];
    const rateLimiter = {
      take: async (key: string) => {
        asked.push(key);
        return { allowed: false as const, retryAfterMs: 1234 };
      },
    };
    const config = parseConfig({ server: { port: 0 } }, { env: { SYNAPSE_DATA_DIR: tempDir('synapse-sec-') } });
    const server = await createSynapseServer({
      config,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      development: true,
      rateLimiter,
    });
    await server.listen();
    try {
      const result = await authedRequest(server.url, null, RUN_AGENT, { input: { agentId: 'demo', prompt: 'hi' } });
      expect(result.status).toBe(429);
      expect(result.body.errors?.[0]?.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        limit: 'runsPerMinute',
        retryAfterMs: 1234,
      });
      expect(result.headers.get('retry-after')).toBe('2');
      expect(asked).toEqual(['runs:default']);
    } finally {
      await server.close();
    }
  });
});
