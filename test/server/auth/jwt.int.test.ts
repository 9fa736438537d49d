import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { parseConfig } from '../../../src/config/index.js';
import { Authenticator } from '../../../src/server/auth/authenticator.js';
import { VerifiedTokenCache } from '../../../src/server/auth/verified-token-cache.js';
import { RUN_AGENT, WORKFLOW } from '../../helpers/operations.js';
import { authedRequest, authedWsClient, wsResults } from '../../helpers/auth-clients.js';
import { startSynapse } from '../../helpers/synapse.js';
import { sleep } from '../../helpers/async.js';
import { listenOnLoopback } from '../../helpers/net.js';

const SECRET = 'an-hs256-secret-of-at-least-32-bytes!';
const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'synapse';

async function authenticatorFor(jwt: Record<string, unknown>): Promise<Authenticator> {
  const config = parseConfig({ auth: { jwt: { issuer: ISSUER, audience: AUDIENCE, ...jwt } } }, { env: {} });
  return Authenticator.create(config.auth);
}

function hs256(
  claims: JWTPayload,
  options: { secret?: string; expiresIn?: string | number; audience?: string; issuer?: string } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user-1')
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(new TextEncoder().encode(options.secret ?? SECRET));
}

async function refusal(authenticator: Authenticator, token: string): Promise<string> {
  try {
    await authenticator.authenticate(`Bearer ${token}`);
  } catch (error) {
    expect((error as { extensions: { code: string } }).extensions.code).toBe('UNAUTHENTICATED');
    return (error as Error).message;
  }
  throw new Error('the token was accepted');
}

describe('HS256', () => {
  let auth: Authenticator;
  beforeAll(async () => {
    auth = await authenticatorFor({ secret: SECRET });
  });

  it('maps a valid token to its tenant and scopes (space-separated or a list)', async () => {
    const fromString = await auth.authenticate(
      `Bearer ${await hs256({ tenant: 'acme', scope: 'agents:run workflows:read openid' })}`,
    );
    expect(fromString).toMatchObject({ id: 'jwt:user-1', tenantId: 'acme', kind: 'jwt' });
    expect([...fromString.scopes].sort()).toEqual(['agents:run', 'workflows:read']);
    const fromList = await auth.authenticate(`Bearer ${await hs256({ tenant: 'acme', scope: ['tools:call', 42] })}`);
    expect([...fromList.scopes]).toEqual(['tools:call']);
  });

  it('refuses an expired token', async () => {
    const expired = await hs256({ tenant: 'acme' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    expect(await refusal(auth, expired)).toBe('invalid token: the token has expired');
  });

  it('refuses a badly signed token', async () => {
    const forged = await hs256({ tenant: 'acme' }, { secret: 'another-secret-that-is-32-bytes-long!!' });
    expect(await refusal(auth, forged)).toBe('invalid token: the token signature is invalid');
    const tampered = (await hs256({ tenant: 'acme' })).replace(
      /\.([^.]+)\./,
      (_match, body: string) => `.${body.slice(0, -2)}AA.`,
    );
    expect(await refusal(auth, tampered)).toMatch(/^invalid token: /);
  });

  it('refuses the wrong audience or issuer, and a token without a tenant', async () => {
    expect(await refusal(auth, await hs256({ tenant: 'acme' }, { audience: 'someone-else' }))).toBe(
      'invalid token: the token\'s "aud" claim is not accepted',
    );
    expect(await refusal(auth, await hs256({ tenant: 'acme' }, { issuer: 'https://evil.test/' }))).toBe(
      'invalid token: the token\'s "iss" claim is not accepted',
    );
    expect(await refusal(auth, await hs256({}))).toBe('invalid token: the token has no "tenant" claim naming a tenant');
  });

  it('refuses a token without an expiry', async () => {
    const forever = await new SignJWT({ tenant: 'acme' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(new TextEncoder().encode(SECRET));
    expect(await refusal(auth, forever)).toBe('invalid token: the token\'s "exp" claim is not accepted');
  });

  it('refuses alg "none" and garbage', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ tenant: 'acme', aud: AUDIENCE, iss: ISSUER })).toString('base64url');
    expect(await refusal(auth, `${header}.${body}.`)).toMatch(/^invalid token: /);
    expect(await refusal(auth, 'a.b.c')).toMatch(/^invalid token: /);
    expect(await refusal(auth, 'x'.repeat(20_000))).toBe('malformed credentials');
  });
});

describe('RS256 with a configured public key', () => {
  it('accepts tokens of its key only', async () => {
    const mine = await generateKeyPair('RS256');
    const other = await generateKeyPair('RS256');
    const auth = await authenticatorFor({
      publicKey: await exportSPKI(mine.publicKey),
      tenantClaim: 'org',
      scopesClaim: 'permissions',
    });
    const sign = (key: CryptoKey) =>
      new SignJWT({ org: 'globex', permissions: ['workflows:read'] })
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('1m')
        .sign(key);
    const principal = await auth.authenticate(`Bearer ${await sign(mine.privateKey)}`);
    expect(principal.tenantId).toBe('globex');
    expect([...principal.scopes]).toEqual(['workflows:read']);
    expect(await refusal(auth, await sign(other.privateKey))).toBe('invalid token: the token signature is invalid');
    // An HS256 token "signed" with the public key text must not pass (algorithm confusion).
    const confused = await hs256({ tenant: 'globex' }, { secret: await exportSPKI(mine.publicKey) });
    expect(await refusal(auth, confused)).toMatch(/^invalid token: /);
  });

  it('a public key that is not PEM stops start-up', async () => {
    await expect(authenticatorFor({ publicKey: 'not a key' })).rejects.toThrow(
      /auth\.jwt\.publicKey: cannot be loaded/,
    );
  });
});

describe('JWKS served by a local HTTP server, through the gateway', () => {
  let jwks: Server;
  let jwksRequests = 0;
  let gateway: Awaited<ReturnType<typeof startSynapse>>;
  let signer: CryptoKey;
  let stranger: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signer = pair.privateKey;
    stranger = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_request, response) => {
      jwksRequests++;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await listenOnLoopback(jwks);
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    gateway = await startSynapse({ config: { auth: { jwt: { jwksUrl, issuer: ISSUER, audience: AUDIENCE } } } });
  });

  afterAll(async () => {
    await gateway?.stop();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const token = (key: CryptoKey, claims: JWTPayload, kid = 'key-1', expiresIn: string | number = '2m') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('svc')
      .setExpirationTime(expiresIn)
      .sign(key);

  it('serves a valid token over HTTP and graphql-ws, in its tenant', async () => {
    const good = await token(signer, { tenant: 'acme', scope: 'agents:run workflows:read' });
    const run = await authedRequest(gateway.url, good, RUN_AGENT, {
      input: { agentId: 'demo', prompt: 'hi', wait: true },
    });
    expect(run.body.data!.runAgent.workflow.status).toBe('SUCCEEDED');
    const id = run.body.data!.runAgent.workflow.id;
    const client = authedWsClient(gateway.url, good);
    const overWs = await wsResults(client, WORKFLOW, { id });
    await client.dispose();
    expect(overWs.results[0]?.data?.workflow.id).toBe(id);
    const otherTenant = await token(signer, { tenant: 'globex', scope: 'workflows:read' });
    expect((await authedRequest(gateway.url, otherTenant, WORKFLOW, { id })).body).toEqual({
      data: { workflow: null },
    });
    expect(jwksRequests).toBeGreaterThanOrEqual(1);
  });

  it('refuses a token signed by a key the issuer does not publish, expired, or for another audience', async () => {
    const cases = [
      await token(stranger, { tenant: 'acme' }),
      await token(stranger, { tenant: 'acme' }, 'unknown-kid'),
      await token(signer, { tenant: 'acme' }, 'key-1', Math.floor(Date.now() / 1000) - 120),
      await new SignJWT({ tenant: 'acme' })
        .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
        .setIssuer(ISSUER)
        .setAudience('not-synapse')
        .setExpirationTime('1m')
        .sign(signer),
    ];
    const messages: string[] = [];
    for (const bad of cases) {
      const result = await authedRequest(gateway.url, bad, '{ agents { id } }');
      expect(result.status).toBe(401);
      messages.push(result.body.errors![0]!.message);
    }
    expect(messages).toEqual([
      'invalid token: the token signature is invalid',
      'invalid token: no key of the issuer matches the token',
      'invalid token: the token has expired',
      'invalid token: the token\'s "aud" claim is not accepted',
    ]);
    const client = authedWsClient(gateway.url, cases[2]!);
    const overWs = await wsResults(client, '{ agents { id } }');
    await client.dispose();
    expect(overWs.error).toMatchObject({ code: 4403, reason: 'Forbidden: invalid token: the token has expired' });
  });
});

describe('a graphql-ws socket opened with a JWT', () => {
  it('is closed with 4403 when the token expires', async () => {
    const gateway = await startSynapse({
      config: { auth: { jwt: { secret: SECRET, issuer: ISSUER, audience: AUDIENCE, clockToleranceSec: 0 } } },
    });
    try {
      const expiresAt = Math.floor(Date.now() / 1000) + 4;
      const token = await hs256({ tenant: 'acme', scope: 'workflows:read' }, { expiresIn: expiresAt });
      let client!: ReturnType<typeof createClient>;
      const closed = new Promise<{ code: number; reason: string }>((resolve) => {
        client = createClient({
          url: gateway.url.replace(/^http/, 'ws'),
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          lazy: false, // one socket for the whole test, as a long-lived UI keeps it
          onNonLazyError: () => {},
          connectionParams: { authorization: `Bearer ${token}` },
          on: { closed: (event) => resolve(event as { code: number; reason: string }) },
        });
      });
      const before = await wsResults(client, '{ agents { id } }');
      expect(before.results[0]?.data?.agents).toBeDefined();
      const event = await closed;
      expect(event.code).toBe(4403);
      expect(event.reason).toBe('Forbidden: the token has expired');
      expect(Date.now()).toBeGreaterThanOrEqual(expiresAt * 1000 - 50);
      await client.dispose();
    } finally {
      await gateway.stop();
    }
  }, 15_000);
});

describe('VerifiedTokenCache', () => {
  it('keeps a principal until the token expires or the TTL passes, and stays bounded', () => {
    let now = 1_000_000;
    const cache = new VerifiedTokenCache(60_000, 3, () => now);
    const principal = {
      id: 'jwt:a',
      tenantId: 't',
      scopes: new Set<never>(),
      kind: 'jwt' as const,
      expiresAt: now + 10_000,
    };
    cache.set('token-a', principal);
    expect(cache.get('token-a')).toBe(principal);
    now += 9_999;
    expect(cache.get('token-a')).toBe(principal);
    now += 1;
    expect(cache.get('token-a')).toBeUndefined(); // expired with the token
    cache.set('token-b', { ...principal, expiresAt: now + 3_600_000 });
    now += 60_000;
    expect(cache.get('token-b')).toBeUndefined(); // the TTL caps a long-lived token
    for (const name of ['c', 'd', 'e', 'f']) cache.set(name, { ...principal, expiresAt: now + 1_000 });
    expect(cache.get('c')).toBeUndefined(); // evicted: at most 3 entries
    expect(cache.get('f')).toBeDefined();
  });

  it('an expired token is refused even right after it was served from the cache', async () => {
    const auth = await authenticatorFor({ secret: SECRET, clockToleranceSec: 0 });
    const token = await hs256({ tenant: 'acme' }, { expiresIn: Math.floor(Date.now() / 1000) + 1 });
    expect((await auth.authenticate(`Bearer ${token}`)).tenantId).toBe('acme');
    expect((await auth.authenticate(`Bearer ${token}`)).tenantId).toBe('acme');
    await sleep(Math.max(0, Math.ceil(Date.now() / 1000) * 1000 - Date.now()) + 1_100);
    expect(await refusal(auth, token)).toBe('invalid token: the token has expired');
  });
});
