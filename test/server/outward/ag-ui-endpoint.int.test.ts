import { HttpAgent } from '@ag-ui/client';
import { mockUpstream } from '../../../src/cli/mock-upstream.js';
import { EventSchemas } from '@ag-ui/core/schemas';
import { createParser } from 'eventsource-parser';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyDigest } from '../../../src/server/auth/api-keys.js';
import { graphqlRequest } from '../../helpers/graphql-clients.js';
import { WORKFLOW } from '../../helpers/operations.js';
import { startSynapse } from '../../helpers/synapse.js';

type Gateway = Awaited<ReturnType<typeof startSynapse>>;
/** An AG-UI event as these tests read it; RUN_FINISHED carries the `outcome`. */
interface AgUiEvent {
  type: string;
  outcome?: { type: string; interrupts: { id: string; [field: string]: unknown }[] };
  [field: string]: unknown;
}
interface Frame {
  id: number;
  event: AgUiEvent;
}

/** POSTs (or GETs) an AG-UI endpoint and reads the whole SSE answer as frames. */
async function readFrames(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; frames: Frame[]; comments: number }> {
  const response = await fetch(url, init);
  const frames: Frame[] = [];
  if (!response.headers.get('content-type')?.startsWith('text/event-stream'))
    return { status: response.status, frames, comments: 0 };
  const parser = createParser({
    onEvent: (message) => frames.push({ id: Number(message.id), event: JSON.parse(message.data) as Frame['event'] }),
  });
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
    parser.feed(decoder.decode(chunk, { stream: true }));
  return { status: response.status, frames, comments: 0 };
}

function runInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    threadId: randomUUID(),
    runId: randomUUID(),
    messages: [{ id: 'm1', role: 'user', content: 'What is 12 * (3 + 4)?' }],
    tools: [],
    context: [],
    state: {},
    forwardedProps: {},
    ...overrides,
  };
}

const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
  body: JSON.stringify(body),
});

describe('AG-UI out: POST /ag-ui/{agentId}', () => {
  let gateway: Gateway;
  let base: string;
  beforeAll(async () => {
    gateway = await startSynapse();
    base = new URL('/', gateway.url).href.replace(/\/$/, '');
  });
  afterAll(() => gateway.stop());

  it("runs through @ag-ui/client's HttpAgent: every event valid, the text is the workflow's, history has the run", async () => {
    const threadId = randomUUID();
    const agent = new HttpAgent({ url: `${base}/ag-ui/demo`, threadId });
    agent.messages = [{ id: 'u1', role: 'user', content: 'What is 12 * (3 + 4)?' }];
    const events: AgUiEvent[] = [];
    await agent.runAgent({ runId: randomUUID() }, { onEvent: ({ event }) => void events.push(event) });

    for (const event of events) expect(EventSchemas.safeParse(event).success, JSON.stringify(event)).toBe(true);
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('RUN_STARTED');
    expect(types.at(-1)).toBe('RUN_FINISHED');
    expect(types).toContain('REASONING_MESSAGE_CONTENT');
    expect(types).toContain('TOOL_CALL_START');
    expect(types).toContain('TOOL_CALL_RESULT');

    const runId = events[0]!.runId as string;
    const text = events
      .filter((event) => event.type === 'TEXT_MESSAGE_CONTENT')
      .map((event) => event.delta as string)
      .join('');
    const workflow = (await graphqlRequest(gateway.url, WORKFLOW, { id: runId })).data!.workflow;
    expect(workflow.status).toBe('SUCCEEDED');
    expect(workflow.threadId).toBe(threadId);
    expect(text).toBe(workflow.text);
    expect(text).toContain('84');
    // The assistant's answer is in the agent's own message list, as any AG-UI frontend shows it.
    expect(
      agent.messages.some((message) => message.role === 'assistant' && String(message.content).includes('84')),
    ).toBe(true);
  });

  it("frames carry the workflow sequence as their id, never decreasing; RUN_FINISHED has the terminal event's", async () => {
    const { status, frames } = await readFrames(`${base}/ag-ui/demo`, post(runInput()));
    expect(status).toBe(200);
    const ids = frames.map((frame) => frame.id);
    expect(ids[0]).toBe(1);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const runId = frames[0]!.event.runId as string;
    const workflow = (await graphqlRequest(gateway.url, WORKFLOW, { id: runId })).data!.workflow;
    expect(frames.at(-1)!.event.type).toBe('RUN_FINISHED');
    expect(frames.at(-1)!.id).toBe(workflow.lastSequence);
  });

  it('GET /ag-ui/runs/{runId} with Last-Event-ID: N gives exactly the frames after N, for every N', async () => {
    const full = await readFrames(`${base}/ag-ui/demo`, post(runInput()));
    const runId = full.frames[0]!.event.runId as string;
    const last = full.frames.at(-1)!.id;
    for (let after = 0; after <= last; after++) {
      const resumed = await readFrames(`${base}/ag-ui/runs/${runId}`, { headers: { 'last-event-id': String(after) } });
      expect(resumed.status).toBe(200);
      expect(resumed.frames).toEqual(full.frames.filter((frame) => frame.id > after));
    }
  });

  it('a resumed live run goes on to its end; a disconnect leaves the run going, cancel ends it', async () => {
    // Disconnect: abort the POST after the first text; the workflow still succeeds.
    const controller = new AbortController();
    const response = await fetch(`${base}/ag-ui/slow`, {
      ...post(runInput({ messages: [{ id: 'm', role: 'user', content: 'keep going through 5 * 5' }] })),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const runId = /"runId":"([^"]+)"/.exec(first)![1]!;
    controller.abort();
    const resumed = await readFrames(`${base}/ag-ui/runs/${runId}`, { headers: { 'last-event-id': '1' } });
    expect(resumed.frames.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } });
    expect(resumed.frames[0]!.id).toBeGreaterThan(1);

    // Cancel: the run ends RUN_FINISHED with the cancelled outcome.
    const started = await fetch(
      `${base}/ag-ui/slow`,
      post(runInput({ messages: [{ id: 'm', role: 'user', content: 'take your time' }] })),
    );
    const chunk = new TextDecoder().decode((await started.body!.getReader().read()).value);
    const cancelledId = /"runId":"([^"]+)"/.exec(chunk)![1]!;
    const cancel = await fetch(`${base}/ag-ui/runs/${cancelledId}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(200);
    expect(await cancel.json()).toMatchObject({ runId: cancelledId, cancelled: true });
    const after = await readFrames(`${base}/ag-ui/runs/${cancelledId}`);
    expect(after.frames.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'cancelled' } });
  });

  it('refuses what it cannot run with the HTTP status and a JSON error', async () => {
    const unknown = await fetch(`${base}/ag-ui/nope`, post(runInput()));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'UNKNOWN_AGENT' } });
    const bad = await fetch(`${base}/ag-ui/demo`, post({ messages: 'hi' }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('INVALID_INPUT');
    const notJson = await fetch(`${base}/ag-ui/demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    const missing = await fetch(`${base}/ag-ui/runs/${randomUUID()}`);
    expect(missing.status).toBe(404);
    const cursor = await fetch(`${base}/ag-ui/runs/${randomUUID()}`, { headers: { 'last-event-id': 'x' } });
    expect(cursor.status).toBe(400);
  });

  it('answers a CORS preflight from a browser origin', async () => {
    const preflight = await fetch(`${base}/ag-ui/demo`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});

describe('AG-UI out with authentication on', () => {
  let gateway: Gateway;
  let base: string;
  const keys = {
    acme: 'acme-key-0123456789abcdef',
    globex: 'globex-key-0123456789abcdef',
    reader: 'reader-key-0123456789abcdef',
  };
  beforeAll(async () => {
    gateway = await startSynapse({
      config: {
        auth: {
          required: true,
          apiKeys: [
            { id: 'acme', sha256: apiKeyDigest(keys.acme), tenant: 'acme', scopes: ['agents:run', 'workflows:read'] },
            {
              id: 'globex',
              sha256: apiKeyDigest(keys.globex),
              tenant: 'globex',
              scopes: ['agents:run', 'workflows:read'],
            },
            { id: 'reader', sha256: apiKeyDigest(keys.reader), tenant: 'acme', scopes: ['workflows:read'] },
          ],
        },
        limits: { maxBodyBytes: 4096 },
      },
    });
    base = new URL('/', gateway.url).href.replace(/\/$/, '');
  });
  afterAll(() => gateway.stop());

  it('needs a key, the agents:run scope to start, and keeps tenants apart', async () => {
    expect((await fetch(`${base}/ag-ui/demo`, post(runInput()))).status).toBe(401);
    expect(
      (await fetch(`${base}/ag-ui/demo`, post(runInput(), { authorization: 'Bearer wrong-key-0123456789' }))).status,
    ).toBe(401);
    expect(
      (await fetch(`${base}/ag-ui/demo`, post(runInput(), { authorization: `Bearer ${keys.reader}` }))).status,
    ).toBe(403);

    const agent = new HttpAgent({ url: `${base}/ag-ui/demo`, headers: { authorization: `Bearer ${keys.acme}` } });
    agent.messages = [{ id: 'u1', role: 'user', content: '2 + 3' }];
    const events: AgUiEvent[] = [];
    await agent.runAgent({}, { onEvent: ({ event }) => void events.push(event) });
    const runId = events[0]!.runId as string;

    const own = await readFrames(`${base}/ag-ui/runs/${runId}`, {
      headers: { authorization: `Bearer ${keys.reader}` },
    });
    expect(own.status).toBe(200);
    expect(own.frames.at(-1)!.event.type).toBe('RUN_FINISHED');
    // Another tenant's run answers exactly as a missing one.
    const other = await fetch(`${base}/ag-ui/runs/${runId}`, { headers: { authorization: `Bearer ${keys.globex}` } });
    const missing = await fetch(`${base}/ag-ui/runs/${randomUUID()}`, {
      headers: { authorization: `Bearer ${keys.globex}` },
    });
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(((await other.json()) as { error: { message: string } }).error.message).toBe(`no run with id "${runId}"`);
    const cancel = await fetch(`${base}/ag-ui/runs/${runId}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.globex}` },
    });
    expect(cancel.status).toBe(404);
  });

  it('applies limits.maxBodyBytes', async () => {
    const big = runInput({ messages: [{ id: 'm', role: 'user', content: 'x'.repeat(5_000) }] });
    const response = await fetch(`${base}/ag-ui/demo`, post(big, { authorization: `Bearer ${keys.acme}` }));
    expect(response.status).toBe(413);
  });
});

describe('AG-UI out: a run that waits for a person', () => {
  let gateway: Gateway;
  let base: string;
  beforeAll(async () => {
    gateway = await startSynapse({
      config: { agents: [{ id: 'ask', dialect: 'demo', demo: { wordDelayMs: 2, askHuman: true } }] },
    });
    base = new URL('/', gateway.url).href.replace(/\/$/, '');
  });
  afterAll(() => gateway.stop());

  it('ends the AG-UI run with the interrupt outcome; the next run answers it with resume and the same workflow goes on', async () => {
    const agent = new HttpAgent({ url: `${base}/ag-ui/ask` });
    agent.messages = [{ id: 'u1', role: 'user', content: 'What is 2 + 3?' }];
    const first: AgUiEvent[] = [];
    await agent.runAgent({}, { onEvent: ({ event }) => void first.push(event) });
    for (const event of first) expect(EventSchemas.safeParse(event).success, JSON.stringify(event)).toBe(true);
    const finished = first.at(-1)!;
    expect(finished).toMatchObject({
      type: 'RUN_FINISHED',
      outcome: {
        type: 'interrupt',
        interrupts: [
          {
            id: 'approve_call_1',
            reason: 'tool_approval',
            message: 'May the calculator evaluate 2 + 3?',
            toolCallId: 'call_1',
          },
        ],
      },
    });
    const workflowId = finished.runId as string;
    expect((await graphqlRequest(gateway.url, WORKFLOW, { id: workflowId })).data!.workflow.status).toBe(
      'INPUT_REQUIRED',
    );

    // The client's next run carries the answer; edited arguments go with the approval.
    const second: AgUiEvent[] = [];
    await agent.runAgent(
      {
        resume: [
          {
            interruptId: 'approve_call_1',
            status: 'resolved',
            payload: { approved: true, arguments: { expression: '4 * 5' } },
          },
        ],
      },
      { onEvent: ({ event }) => void second.push(event) },
    );
    for (const event of second) expect(EventSchemas.safeParse(event).success, JSON.stringify(event)).toBe(true);
    expect(second[0]).toMatchObject({ type: 'RUN_STARTED', runId: workflowId });
    expect(second.at(-1)).toMatchObject({ type: 'RUN_FINISHED', runId: workflowId, outcome: { type: 'success' } });
    expect(second.find((event) => event.type === 'CUSTOM')).toMatchObject({
      name: 'synapse.InterruptResolved',
      value: { decision: 'APPROVE', arguments: { expression: '4 * 5' } },
    });
    const text = second
      .filter((event) => event.type === 'TEXT_MESSAGE_CONTENT')
      .map((event) => event.delta as string)
      .join('');
    const workflow = (await graphqlRequest(gateway.url, WORKFLOW, { id: workflowId })).data!.workflow;
    expect(workflow.status).toBe('SUCCEEDED');
    expect(text).toBe(workflow.text);
    expect(text).toContain('4 * 5 = 20');
  });

  it('an INPUT interrupt is answered with the payload as the value; a bad value is refused naming the entry', async () => {
    const agent = new HttpAgent({ url: `${base}/ag-ui/ask` });
    agent.messages = [{ id: 'u1', role: 'user', content: 'please compute something' }];
    const first: AgUiEvent[] = [];
    await agent.runAgent({}, { onEvent: ({ event }) => void first.push(event) });
    const interrupt = first.at(-1)!.outcome!.interrupts[0];
    expect(interrupt).toMatchObject({ id: 'ask_expression', reason: 'input', responseSchema: { type: 'object' } });

    const threadId = agent.threadId;
    const refused = await fetch(
      `${base}/ag-ui/ask`,
      post(runInput({ threadId, resume: [{ interruptId: 'ask_expression', status: 'resolved', payload: 42 }] })),
    );
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatchObject({
      code: 'INVALID_INPUT',
      field: expect.stringMatching(/^resume\[0\]\.value/),
    });

    const answered = await readFrames(
      `${base}/ag-ui/ask`,
      post(
        runInput({
          threadId,
          resume: [{ interruptId: 'ask_expression', status: 'resolved', payload: { expression: '6 * 7' } }],
        }),
      ),
    );
    expect(answered.frames[0]!.event.type).toBe('RUN_STARTED');
    expect(answered.frames.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } });
    expect(answered.frames.map((frame) => (frame.event.delta as string | undefined) ?? '').join('')).toContain(
      '6 * 7 = 42',
    );
    const again = await fetch(
      `${base}/ag-ui/ask`,
      post(
        runInput({
          threadId,
          resume: [{ interruptId: 'ask_expression', status: 'resolved', payload: { expression: '1' } }],
        }),
      ),
    );
    expect(again.status).toBe(409);
  });
});

describe('AG-UI out: frontend tools are client tools of the agent runtime', () => {
  let gateway: Gateway;
  let base: string;
  let mock: Awaited<ReturnType<typeof mockUpstream>>;
  beforeAll(async () => {
    // A keyless model that calls the first tool it is offered (docs/runtime.md, tool-loop).
    mock = await mockUpstream({ dialect: 'openai-chat', port: undefined, scenario: 'tool-loop', frameDelayMs: '0' }, {
      write: () => true,
    } as unknown as NodeJS.WritableStream);
    gateway = await startSynapse({
      config: {
        agents: [{ id: 'model', dialect: 'openai-chat', url: `${mock.url}/v1/chat/completions`, model: 'mock' }],
      },
    });
    base = new URL('/', gateway.url).href.replace(/\/$/, '');
  });
  afterAll(async () => {
    await gateway.stop();
    await mock.close();
  });

  it("the model's call of a frontend tool ends the AG-UI run with a client_tool interrupt; resume with the result goes on", async () => {
    const agent = new HttpAgent({ url: `${base}/ag-ui/model` });
    agent.messages = [{ id: 'u1', role: 'user', content: 'What time is it in Paris?' }];
    const tools = [
      {
        name: 'get_time',
        description: 'The local time of a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    ];
    const first: AgUiEvent[] = [];
    await agent.runAgent({ tools }, { onEvent: ({ event }) => void first.push(event) });
    for (const event of first) expect(EventSchemas.safeParse(event).success, JSON.stringify(event)).toBe(true);
    expect(first.find((event) => event.type === 'TOOL_CALL_START')).toMatchObject({ toolCallName: 'get_time' });
    const finished = first.at(-1)!;
    expect(finished).toMatchObject({
      type: 'RUN_FINISHED',
      outcome: { type: 'interrupt', interrupts: [{ reason: 'client_tool', metadata: { tool: 'get_time' } }] },
    });
    const interrupt = finished.outcome!.interrupts[0]!;

    const second: AgUiEvent[] = [];
    await agent.runAgent(
      { tools, resume: [{ interruptId: interrupt.id, status: 'resolved', payload: { time: '12:00' } }] },
      { onEvent: ({ event }) => void second.push(event) },
    );
    expect(second.at(-1)).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } });
    const text = second
      .filter((event) => event.type === 'TEXT_MESSAGE_CONTENT')
      .map((event) => event.delta as string)
      .join('');
    expect(text).toContain('The tool answered');
    expect(text).toContain('12:00');
  });
});
