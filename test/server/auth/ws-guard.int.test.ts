import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { apiKeyEntry, authedRequest } from '../../helpers/auth-clients.js';
import { startSynapse } from '../../helpers/synapse.js';
import { rawText } from '../../helpers/raw-data.js';

const KEY = 'ws-key-0123456789';
const ORIGIN = 'https://app.example';

let server: Awaited<ReturnType<typeof startSynapse>>;
let wsUrl: string;

beforeAll(async () => {
  server = await startSynapse({
    config: {
      auth: { apiKeys: [apiKeyEntry('ws', KEY, 'acme', ['workflows:read'])], allowedOrigins: [ORIGIN] },
      limits: { connectionInitWaitMs: 1_500, maxBodyBytes: 16_384 },
    },
  });
  wsUrl = server.url.replace(/^http/, 'ws');
});

afterAll(async () => {
  await server.stop();
});

interface RawSocket {
  socket: WebSocket;
  messages: Record<string, unknown>[];
  closed: Promise<{ code: number; reason: string }>;
  send(frame: unknown): void;
  next(): Promise<Record<string, unknown>>;
}

/** A raw graphql-transport-ws socket: frames go out exactly as written. */
async function raw(options: { protocol?: string; origin?: string } = {}): Promise<RawSocket> {
  const protocols = options.protocol === '' ? [] : [options.protocol ?? 'graphql-transport-ws'];
  const socket = new WebSocket(wsUrl, protocols, options.origin ? { origin: options.origin } : {});
  const messages: Record<string, unknown>[] = [];
  const waiting: ((message: Record<string, unknown>) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(rawText(data)) as Record<string, unknown>;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else messages.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    messages,
    closed,
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next: () =>
      messages.length > 0 ? Promise.resolve(messages.shift()!) : new Promise((resolve) => waiting.push(resolve)),
  };
}

async function acknowledged(): Promise<RawSocket> {
  const connection = await raw();
  connection.send({ type: 'connection_init', payload: { authorization: `Bearer ${KEY}` } });
  expect(await connection.next()).toEqual({ type: 'connection_ack' });
  return connection;
}

async function stillServing(): Promise<void> {
  const result = await authedRequest(server.url, KEY, '{ agents { id } }');
  expect(result.status).toBe(200);
  const connection = await acknowledged();
  connection.send({ id: 'ok', type: 'subscribe', payload: { query: '{ agents { id } }' } });
  expect(await connection.next()).toMatchObject({
    id: 'ok',
    type: 'next',
    payload: { data: { agents: expect.any(Array) } },
  });
  connection.socket.close(1000);
}

describe('malformed graphql-ws frames close with the protocol’s codes, and the server serves on', () => {
  it('4400 for a frame that is not JSON, not a message, or a subscribe without a query', async () => {
    for (const frame of [
      '{not json',
      '[]',
      JSON.stringify({ type: 'shout' }),
      JSON.stringify({ type: 'subscribe', id: 'x', payload: {} }),
    ]) {
      const connection = await raw();
      if (frame.includes('subscribe')) {
        connection.send({ type: 'connection_init', payload: { authorization: `Bearer ${KEY}` } });
        await connection.next();
      }
      connection.send(frame);
      expect(await connection.closed, frame).toMatchObject({ code: 4400 });
    }
    await stillServing();
  });

  it('4401 for a subscribe before connection_init was acknowledged', async () => {
    const connection = await raw();
    connection.send({ id: '1', type: 'subscribe', payload: { query: '{ agents { id } }' } });
    expect(await connection.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
    await stillServing();
  });

  it('4403 for missing or bad credentials, with the reason', async () => {
    for (const payload of [
      undefined,
      { authorization: 'Bearer nope' },
      { authorization: 42 },
      { authorization: `Bearer ${'x'.repeat(10_000)}` },
    ]) {
      const connection = await raw();
      connection.send(payload === undefined ? { type: 'connection_init' } : { type: 'connection_init', payload });
      const closed = await connection.closed;
      expect(closed.code).toBe(4403);
      expect(closed.reason).toMatch(/^Forbidden: /);
    }
    await stillServing();
  });

  it('4429 for a second connection_init', async () => {
    const connection = await acknowledged();
    connection.send({ type: 'connection_init', payload: { authorization: `Bearer ${KEY}` } });
    expect(await connection.closed).toEqual({ code: 4429, reason: 'Too many initialisation requests' });
  });

  it('4408 when connection_init does not come within limits.connectionInitWaitMs', async () => {
    const connection = await raw();
    expect(await connection.closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
  });

  it('1009 for a frame larger than limits.maxBodyBytes', async () => {
    const connection = await acknowledged();
    connection.send({ id: 'big', type: 'subscribe', payload: { query: `{ agents { id } } # ${'x'.repeat(20_000)}` } });
    expect((await connection.closed).code).toBe(1009);
    await stillServing();
  });

  it('4406 for a client without the graphql-transport-ws subprotocol', async () => {
    const connection = await raw({ protocol: '' });
    expect((await connection.closed).code).toBe(4406);
  });

  it('malformed GraphQL is an error for that one operation, and the socket stays open', async () => {
    const connection = await acknowledged();
    connection.send({ id: 'bad', type: 'subscribe', payload: { query: '{ agents { id ' } });
    expect(await connection.next()).toMatchObject({
      id: 'bad',
      type: 'error',
      payload: [{ message: expect.stringMatching(/Syntax Error/) }],
    });
    connection.send({
      id: 'forbidden',
      type: 'subscribe',
      payload: { query: 'mutation { cancelWorkflow(id: "x") { __typename } }' },
    });
    expect(await connection.next()).toMatchObject({
      id: 'forbidden',
      type: 'next',
      payload: { errors: [{ extensions: { code: 'FORBIDDEN' } }] },
    });
    connection.send({ id: 'good', type: 'subscribe', payload: { query: '{ agents { id } }' } });
    const answers = [await connection.next(), await connection.next()];
    expect(answers.map((message) => message.type)).toContain('next');
    expect(connection.socket.readyState).toBe(WebSocket.OPEN);
    connection.socket.close(1000);
  });
});

describe('Origin', () => {
  it('refuses the upgrade from a browser origin not in auth.allowedOrigins', async () => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws', { origin: 'https://evil.example' });
    const status = await new Promise<number>((resolve) => {
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => resolve(101));
    });
    expect(status).toBe(401);
  });

  it('also decides CORS for HTTP: only a listed origin is allowed to read answers', async () => {
    const preflight = (origin: string) =>
      fetch(server.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    const listed = await preflight(ORIGIN);
    expect(listed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(listed.headers.get('access-control-allow-credentials')).toBeNull();
    const foreign = await preflight('https://evil.example');
    expect(foreign.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });

  it('accepts a listed origin, and clients that send none', async () => {
    const listed = await raw({ origin: ORIGIN });
    listed.send({ type: 'connection_init', payload: { authorization: `Bearer ${KEY}` } });
    expect(await listed.next()).toEqual({ type: 'connection_ack' });
    listed.socket.close(1000);
  });
});

describe('malformed GraphQL over HTTP', () => {
  it('answers 400 with a code and keeps serving', async () => {
    // (Not the same text as the graphql-ws test above: yoga's parse cache would hand back that
    // error without its HTTP status, a yoga quirk noted in docs/security.md.)
    for (const query of [
      '{ agents { dialect ',
      '',
      '{ __typename } }',
      'query A { agents { id } } query A { agents { id } }',
    ]) {
      const result = await authedRequest(server.url, KEY, query);
      expect(result.status, query).toBe(400);
      expect(result.body.errors?.[0]?.extensions?.code, query).toMatch(
        /^(GRAPHQL_PARSE_FAILED|GRAPHQL_VALIDATION_FAILED|BAD_REQUEST|OPERATION_RESOLUTION_FAILURE)$/,
      );
    }
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: '{"query": 42}',
    });
    expect(response.status).toBe(400);
    await stillServing();
  });

  it('CSRF: a GET without the CSRF header is refused; with it, served', async () => {
    const url = `${server.url}?query=${encodeURIComponent('{ agents { id } }')}`;
    const refused = await fetch(url, { headers: { authorization: `Bearer ${KEY}` } });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('CSRF');
    const served = await fetch(url, { headers: { authorization: `Bearer ${KEY}`, 'x-graphql-yoga-csrf': '1' } });
    expect(served.status).toBe(200);
    const form = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${KEY}` },
      body: '{"query":"{ agents { id } }"}',
    });
    expect(form.status).toBe(403);
  });
});
