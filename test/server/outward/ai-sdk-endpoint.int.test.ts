import { Chat } from '@ai-sdk/react';
import {
  DefaultChatTransport,
  lastAssistantMessageIsCompleteWithApprovalResponses,
  readUIMessageStream,
  uiMessageChunkSchema,
  type UIMessage,
  type UIMessageChunk,
} from 'ai';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyDigest } from '../../../src/server/auth/api-keys.js';
import { graphqlRequest } from '../../helpers/graphql-clients.js';
import { WORKFLOW } from '../../helpers/operations.js';
import { startSynapse } from '../../helpers/synapse.js';
import { sleep } from '../../helpers/async.js';

type Gateway = Awaited<ReturnType<typeof startSynapse>>;

function userMessage(text: string): UIMessage {
  return { id: randomUUID(), role: 'user', parts: [{ type: 'text', text }] };
}

/** Reads a UI message chunk stream to its end: every chunk, and the message readUIMessageStream builds. */
async function consume(
  stream: ReadableStream<UIMessageChunk>,
  onChunk?: (chunk: UIMessageChunk, index: number) => void,
): Promise<{ chunks: UIMessageChunk[]; message: UIMessage | undefined }> {
  const chunks: UIMessageChunk[] = [];
  const [mine, theirs] = stream.tee();
  const reading = (async () => {
    let message: UIMessage | undefined;
    for await (const snapshot of readUIMessageStream({ stream: theirs })) message = snapshot;
    return message;
  })();
  for await (const chunk of mine as unknown as AsyncIterable<UIMessageChunk>) {
    chunks.push(chunk);
    onChunk?.(chunk, chunks.length);
  }
  return { chunks, message: await reading };
}

function textOf(message: UIMessage | undefined): string {
  return (message?.parts ?? [])
    .filter((part) => part.type === 'text')
    .map((part) => (part as { text: string }).text)
    .join('');
}

describe('AI SDK out: the UI message stream for useChat', () => {
  let gateway: Gateway;
  let api: (agentId: string) => string;
  beforeAll(async () => {
    gateway = await startSynapse();
    api = (agentId) => new URL(`/ai-sdk/${agentId}`, gateway.url).href;
  });
  afterAll(() => gateway.stop());

  it("answers DefaultChatTransport.sendMessages: valid chunks, the message's text is the workflow's, usage in metadata", async () => {
    const transport = new DefaultChatTransport({ api: api('demo') });
    const chatId = randomUUID();
    const stream = await transport.sendMessages({
      chatId,
      messages: [userMessage('What is 12 * (3 + 4)?')],
      trigger: 'submit-message',
      messageId: undefined,
      abortSignal: undefined,
    });
    const { chunks, message } = await consume(stream);
    for (const chunk of chunks)
      expect((await uiMessageChunkSchema().validate!(chunk)).success, JSON.stringify(chunk)).toBe(true);
    expect(chunks[0]).toMatchObject({ type: 'start' });
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    const workflowId = (chunks[0] as { messageId: string }).messageId;
    const workflow = (await graphqlRequest(gateway.url, WORKFLOW, { id: workflowId })).data!.workflow;
    expect(workflow.threadId).toBe(chatId);
    expect(textOf(message)).toBe(workflow.text);
    expect(message!.id).toBe(workflowId);
    expect(message!.parts.some((part) => part.type === 'reasoning')).toBe(true);
    const tool = message!.parts.find((part) => part.type === 'dynamic-tool') as {
      toolName: string;
      state: string;
      input: unknown;
      output: unknown;
    };
    expect(tool).toMatchObject({ toolName: 'calculator', state: 'output-available', output: { value: 84 } });
    expect((message!.metadata as { usage: { totalTokens: number } }).usage.totalTokens).toBeGreaterThan(0);
  });

  it('reconnectToStream: 204 (null) when the chat has no active run', async () => {
    const transport = new DefaultChatTransport({ api: api('demo') });
    expect(await transport.reconnectToStream({ chatId: randomUUID() })).toBeNull();
  });

  it('a disconnect leaves the run going, and the resumed stream (a replay) ends with every part once', async () => {
    const transport = new DefaultChatTransport({ api: api('slow') });
    const chatId = randomUUID();
    const controller = new AbortController();
    const stream = await transport.sendMessages({
      chatId,
      messages: [userMessage('keep going through 5 * 5')],
      trigger: 'submit-message',
      messageId: undefined,
      abortSignal: controller.signal,
    });
    const reader = stream.getReader();
    let seen = 0;
    while (seen < 6) {
      const { done } = await reader.read();
      if (done) break;
      seen++;
    }
    controller.abort(); // useChat's stop(): a disconnect, not a cancel
    await reader.cancel().catch(() => {});

    const resumed = await transport.reconnectToStream({ chatId });
    expect(resumed).not.toBeNull();
    const { chunks, message } = await consume(resumed!);
    expect(transport.resumeStreamIsReplay).toBe(true);
    expect(chunks[0]).toMatchObject({ type: 'start' });
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    const workflowId = (chunks[0] as { messageId: string }).messageId;
    const workflow = (await graphqlRequest(gateway.url, WORKFLOW, { id: workflowId })).data!.workflow;
    expect(workflow.status).toBe('SUCCEEDED');
    expect(textOf(message)).toBe(workflow.text);
    // Each text / reasoning / tool part exactly once.
    const ids = chunks
      .filter(
        (chunk) => chunk.type === 'text-start' || chunk.type === 'reasoning-start' || chunk.type === 'tool-input-start',
      )
      .map((chunk) => ('id' in chunk ? chunk.id : (chunk as { toolCallId: string }).toolCallId));
    expect(new Set(ids).size).toBe(ids.length);
    // Finished: nothing active any more.
    expect(await transport.reconnectToStream({ chatId })).toBeNull();
  });

  it('the cancel endpoint cancels the active run; its stream ends with abort', async () => {
    const transport = new DefaultChatTransport({ api: api('slow') });
    const chatId = randomUUID();
    const stream = await transport.sendMessages({
      chatId,
      messages: [userMessage('take your time')],
      trigger: 'submit-message',
      messageId: undefined,
      abortSignal: undefined,
    });
    const cancelling = consume(stream, (_chunk, index) => {
      if (index === 3) void fetch(`${api('slow')}/${chatId}/cancel`, { method: 'POST' });
    });
    const { chunks } = await cancelling;
    expect(chunks.map((chunk) => chunk.type)).toContain('abort');
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', messageMetadata: { status: 'CANCELLED' } });
  });

  it('a second turn on the same chat sends only the new message; the thread keeps both turns', async () => {
    const transport = new DefaultChatTransport({ api: api('demo') });
    const chatId = randomUUID();
    const first = await consume(
      await transport.sendMessages({
        chatId,
        messages: [userMessage('2 + 3')],
        trigger: 'submit-message',
        messageId: undefined,
        abortSignal: undefined,
      }),
    );
    const history: UIMessage[] = [userMessage('2 + 3'), first.message!, userMessage('and 4 + 4?')];
    const second = await consume(
      await transport.sendMessages({
        chatId,
        messages: history,
        trigger: 'submit-message',
        messageId: undefined,
        abortSignal: undefined,
      }),
    );
    const secondId = (second.chunks[0] as { messageId: string }).messageId;
    const workflow = (await graphqlRequest(gateway.url, WORKFLOW, { id: secondId })).data!.workflow;
    expect(workflow.threadId).toBe(chatId);
    expect(workflow.input.messages).toEqual([{ role: 'user', content: 'and 4 + 4?' }]);
  });

  it('a second message while the chat still runs is 409 THREAD_BUSY (the default multitaskStrategy), naming the active run', async () => {
    const transport = new DefaultChatTransport({ api: api('slow') });
    const chatId = randomUUID();
    const reading = consume(
      await transport.sendMessages({
        chatId,
        messages: [userMessage('keep going through 5 * 5')],
        trigger: 'submit-message',
        messageId: undefined,
        abortSignal: undefined,
      }),
    );
    const busy = await fetch(api('slow'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: chatId, messages: [userMessage('and another')] }),
    });
    expect(busy.status).toBe(409);
    expect((await busy.json()).error).toMatchObject({ code: 'THREAD_BUSY', message: expect.stringContaining(chatId) });
    expect((await reading).chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });

  it('refuses bad requests with a status and a JSON error', async () => {
    const bad = await fetch(api('demo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'x', messages: 3 }),
    });
    expect(bad.status).toBe(400);
    const unknown = await fetch(api('nope'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'x', messages: [userMessage('hi')] }),
    });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('UNKNOWN_AGENT');
  });
});

describe('AI SDK out with authentication on', () => {
  let gateway: Gateway;
  const keys = { acme: 'acme-key-0123456789abcdef', globex: 'globex-key-0123456789abcdef' };
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
          ],
        },
      },
    });
  });
  afterAll(() => gateway.stop());

  it('needs a key and keeps tenants apart: another tenant never sees the chat as active', async () => {
    const url = new URL('/ai-sdk/slow', gateway.url).href;
    const anonymous = new DefaultChatTransport({ api: url });
    await expect(
      anonymous.sendMessages({
        chatId: randomUUID(),
        messages: [userMessage('hi')],
        trigger: 'submit-message',
        messageId: undefined,
        abortSignal: undefined,
      }),
    ).rejects.toThrow(/UNAUTHENTICATED/);

    const acme = new DefaultChatTransport({ api: url, headers: { authorization: `Bearer ${keys.acme}` } });
    const globex = new DefaultChatTransport({ api: url, headers: { authorization: `Bearer ${keys.globex}` } });
    const chatId = randomUUID();
    const stream = await acme.sendMessages({
      chatId,
      messages: [userMessage('keep going through 5 * 5')],
      trigger: 'submit-message',
      messageId: undefined,
      abortSignal: undefined,
    });
    const reading = consume(stream);
    expect(await globex.reconnectToStream({ chatId })).toBeNull();
    const cancel = await fetch(`${url}/${chatId}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.globex}` },
    });
    expect(await cancel.json()).toEqual({ chatId, cancelled: false });
    const { chunks } = await reading;
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });
});

describe('AI SDK out: tool approvals as useChat answers them', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startSynapse({
      config: { agents: [{ id: 'ask', dialect: 'demo', demo: { wordDelayMs: 2, askHuman: true } }] },
    });
  });
  afterAll(() => gateway.stop());

  async function until(check: () => boolean): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await sleep(20);
    }
  }

  for (const approved of [true, false]) {
    it(`tool-approval-request, then addToolApprovalResponse (${approved ? 'approve' : 'reject'}) continues the same message`, async () => {
      // @ai-sdk/react's Chat: what useChat runs, without a component around it.
      const chat = new Chat({
        id: randomUUID(),
        transport: new DefaultChatTransport({ api: new URL('/ai-sdk/ask', gateway.url).href }),
        sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
      });
      await chat.sendMessage({ text: 'What is 2 + 3?' });
      await until(() => chat.status === 'ready');
      const assistant = chat.messages.at(-1)!;
      const tool = assistant.parts.find((part) => part.type === 'dynamic-tool') as {
        state: string;
        approval?: { id: string };
        toolName: string;
      };
      expect(tool).toMatchObject({
        toolName: 'calculator',
        state: 'approval-requested',
        approval: { id: 'approve_call_1' },
      });
      const workflowId = assistant.id;
      expect((await graphqlRequest(gateway.url, WORKFLOW, { id: workflowId })).data!.workflow.status).toBe(
        'INPUT_REQUIRED',
      );

      await chat.addToolApprovalResponse({
        id: 'approve_call_1',
        approved,
        ...(approved ? {} : { reason: 'not now' }),
      });
      await until(
        () =>
          chat.status === 'ready' &&
          chat.messages
            .at(-1)!
            .parts.some(
              (part) => part.type === 'dynamic-tool' && (part as { state: string }).state.startsWith('output'),
            ),
      );
      const workflow = (await graphqlRequest(gateway.url, WORKFLOW, { id: workflowId })).data!.workflow;
      expect(workflow.status).toBe('SUCCEEDED');
      expect(chat.messages.filter((message) => message.role === 'assistant')).toHaveLength(1);
      const message = chat.messages.at(-1)!;
      expect(message.id).toBe(workflowId);
      const after = message.parts.find((part) => part.type === 'dynamic-tool') as { state: string; output?: unknown };
      if (approved) {
        expect(after).toMatchObject({ state: 'output-available', output: { value: 5 } });
        expect(textOf(message)).toContain('2 + 3 = 5');
      } else {
        expect(after.state).toMatch(/^output-(error|denied)/);
      }
      // Each word once: what the client holds is the workflow's text.
      expect(textOf(message)).toBe(workflow.text);
    });
  }
});
