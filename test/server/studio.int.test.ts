import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { parse, validate } from 'graphql';
import { schema } from '../../src/schema/index.js';
import { graphiqlTabs } from '../../src/server/graphiql-tabs.js';
import { defaultStudioDir } from '../../src/server/studio.js';
import { apiKeyEntry } from '../helpers/auth-clients.js';
import { startSynapse } from '../helpers/synapse.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with the path exactly as written: fetch would normalise `../..` away before sending. */
function raw(base: string, rawPath: string, method = 'GET'): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: rawPath, method }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /studio: the built Studio, served by the gateway', () => {
  let scratch: string;
  let studioDir: string;
  let gateway: Awaited<ReturnType<typeof startSynapse>>;

  beforeAll(async () => {
    // A stand-in build: an index.html and hashed assets, and a secret next to (outside) the build.
    scratch = mkdtempSync(path.join(tmpdir(), 'synapse-studio-route-'));
    studioDir = path.join(scratch, 'studio');
    mkdirSync(path.join(studioDir, 'assets'), { recursive: true });
    writeFileSync(path.join(studioDir, 'index.html'), '<!doctype html><title>Synapse Studio</title>');
    writeFileSync(path.join(studioDir, 'assets', 'index-AbC123.js'), 'console.log("studio")');
    writeFileSync(path.join(studioDir, 'assets', 'index-AbC123.css'), 'body{}');
    writeFileSync(path.join(studioDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(path.join(studioDir, '.env'), 'SECRET=in-the-build-dir');
    writeFileSync(path.join(scratch, 'secret.txt'), 'SECRET=outside');
    gateway = await startSynapse({ studioDir });
  });

  afterAll(async () => {
    await gateway?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('serves index.html for /studio and /studio/, revalidated, under a same-origin CSP', async () => {
    for (const pathname of ['/studio', '/studio/', '/studio?gateway=x']) {
      const response = await raw(gateway.url, pathname);
      expect(response.status, pathname).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("connect-src 'self'");
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.body).toBe('<!doctype html><title>Synapse Studio</title>');
    }
  });

  it('serves hashed assets with their content types, cached as immutable', async () => {
    const js = await raw(gateway.url, '/studio/assets/index-AbC123.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-length']).toBe(String('console.log("studio")'.length));
    expect(js.body).toBe('console.log("studio")');
    const css = await raw(gateway.url, '/studio/assets/index-AbC123.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await raw(gateway.url, '/studio/favicon.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
    const head = await raw(gateway.url, '/studio/assets/index-AbC123.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('answers 404 for a missing asset or a directory, 405 for other methods', async () => {
    for (const pathname of [
      '/studio/assets/missing-123.js',
      '/studio/assets',
      '/studio/assets/',
      '/studio/nothing.html',
    ]) {
      const response = await raw(gateway.url, pathname);
      expect(response.status, pathname).toBe(404);
      expect(response.body).toBe('not found\n');
    }
    const post = await raw(gateway.url, '/studio', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('refuses every way out of the build directory, and dotfiles in it', async () => {
    const attempts = [
      '/studio/../secret.txt',
      '/studio/assets/../../secret.txt',
      '/studio/%2e%2e/secret.txt',
      '/studio/..%2fsecret.txt',
      '/studio/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/studio/..%5csecret.txt',
      '/studio/%2fetc%2fpasswd',
      '//studio/../secret.txt',
      '/studio/.env',
      '/studio/%2eenv',
      '/studio/index.html%00.js',
      '/studio/%E0%A4%A',
    ];
    for (const attempt of attempts) {
      const response = await raw(gateway.url, attempt);
      expect(response.status, attempt).toBeGreaterThanOrEqual(400);
      expect(response.body, attempt).not.toContain('SECRET');
      expect(response.body, attempt).not.toContain('root:');
    }
  });

  it("leaves other paths alone: /graphql, /healthz and /studiox are not the Studio's", async () => {
    expect((await raw(gateway.url, '/healthz')).body).toBe('{"status":"ok"}');
    const other = await raw(gateway.url, '/studiox');
    expect(other.status).toBe(404);
    expect(other.body).not.toContain('not found\n');
  });
});

describe('/studio without a build, and turned off', () => {
  it('says to run `npm run build` when the build is missing', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'synapse-studio-empty-'));
    const gateway = await startSynapse({ studioDir: path.join(empty, 'studio') });
    try {
      for (const pathname of ['/studio', '/studio/']) {
        const page = await raw(gateway.url, pathname);
        expect(page.status).toBe(503);
        expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(page.body).toContain('Synapse Studio is not built yet');
        expect(page.body).toContain('npm run build');
      }
      expect((await raw(gateway.url, '/studio/assets/index-AbC123.js')).status).toBe(404);
    } finally {
      await gateway.stop();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('server.studio: false serves nothing at /studio', async () => {
    const gateway = await startSynapse({ config: { server: { port: 0, studio: false } } });
    try {
      const response = await raw(gateway.url, '/studio');
      expect(response.status).toBe(404);
      expect(response.body).not.toContain('Studio');
    } finally {
      await gateway.stop();
    }
  });

  it("finds the build in the package's dist/studio when run from the sources", () => {
    expect(defaultStudioDir()).toBe(path.join(ROOT, 'dist', 'studio') + path.sep);
  });
});

describe("the Studio's same-origin socket passes the WebSocket Origin check", () => {
  it("with auth.allowedOrigins set, the gateway's own origin may open a socket, another may not", async () => {
    const gateway = await startSynapse({
      config: {
        auth: {
          apiKeys: [apiKeyEntry('k', 'studio-origin-key-0123', 'acme', ['workflows:read'])],
          allowedOrigins: ['https://app.example'],
        },
      },
    });
    const wsUrl = gateway.url.replace(/^http/, 'ws');
    const open = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(wsUrl, ['graphql-transport-ws'], { origin });
        socket.once('open', () => {
          socket.close();
          resolve('open');
        });
        socket.once('unexpected-response', (_request, response) => resolve(`refused ${response.statusCode}`));
        socket.once('error', () => resolve('error'));
      });
    try {
      const own = new URL(gateway.url).origin;
      expect(await open(own)).toBe('open');
      expect(await open(own.replace('127.0.0.1', 'localhost'))).toBe('refused 401');
      expect(await open('https://app.example')).toBe('open');
      expect(await open('https://evil.example')).toBe('refused 401');
    } finally {
      await gateway.stop();
    }
  });
});

describe("GraphiQL at /graphql (development): the README's first session as its tabs, with a link to the Studio", () => {
  /** The options object the page hands to GraphiQL. */
  async function graphiqlOptions(
    url: string,
  ): Promise<{ title: string; defaultTabs: { query: string; variables?: string }[] }> {
    const response = await fetch(url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    const start = html.indexOf('renderYogaGraphiQL(');
    const json = html.slice(html.indexOf('{', start), html.lastIndexOf(')'));
    return JSON.parse(json.slice(0, json.lastIndexOf('}') + 1)) as never;
  }

  it('every tab is a valid operation of the schema, headed by a comment naming the Studio on this host', async () => {
    const gateway = await startSynapse();
    try {
      const options = await graphiqlOptions(gateway.url);
      expect(options.title).toBe('Synapse · GraphiQL');
      const names = options.defaultTabs.map((tab) => /^(?:mutation|subscription|query) (\w+)/m.exec(tab.query)?.[1]);
      expect(names).toEqual(['Run', 'Stream', 'History', 'Call']);
      for (const tab of options.defaultTabs) {
        expect(validate(schema, parse(tab.query)), tab.query).toEqual([]);
        expect(
          tab.query.startsWith(
            `# Synapse Studio shows a run as it streams and\n# replays past workflows: ${new URL('/studio', gateway.url).href}\n`,
          ),
        ).toBe(true);
        expect(tab.query).not.toContain('Welcome to');
      }
      expect(JSON.parse(options.defaultTabs[1]!.variables!)).toEqual({ workflowId: 'PASTE-THE-ID' });
    } finally {
      await gateway.stop();
    }
  });

  it('names no Studio when server.studio is off', () => {
    for (const tab of graphiqlTabs(null)) expect(tab.query).not.toContain('Studio');
  });
});
