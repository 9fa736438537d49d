import {
  convertToModelMessages,
  simulateReadableStream,
  stepCountIs,
  streamText,
  tool,
  validateUIMessages,
  type UIMessage,
} from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { graphqlRequest } from '../../helpers/graphql-clients.js';
import { RESPOND, waitForWorkflowStatus } from '../../helpers/interrupt-operations.js';
import { RUN_AGENT } from '../../helpers/operations.js';
import { startSynapse } from '../../helpers/synapse.js';
import { listenOnLoopback } from '../../helpers/net.js';

type Event = Record<string, unknown>;

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};
const ASK_TO_PAY = [
  { type: 'stream-start', warnings: [] },
  { type: 'text-start', id: 't0' },
  { type: 'text-delta', id: 't0', delta: 'Paying. ' },
  { type: 'text-end', id: 't0' },
  { type: 'tool-call', toolCallId: 'call_pay', toolName: 'pay_invoice', input: '{"amount":120}' },
  { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage },
];
const CONFIRM = [
  { type: 'stream-start', warnings: [] },
  { type: 'text-start', id: 't1' },
  { type: 'text-delta', id: 't1', delta: 'Done.' },
  { type: 'text-end', id: 't1' },
  { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
];

/**
 * A real AI SDK 6 route: `streamText` with a tool that `needsApproval`, answered with
 * `toUIMessageStreamResponse()`. Each request's messages are checked with the SDK's own
 * `validateUIMessages` (the shape `useChat` sends) before `convertToModelMessages` turns the
 * approval response into the model's tool-approval-response.
 */
async function startAiSdkServer() {
  const seen: { requests: UIMessage[][]; paid: number[] } = { requests: [], paid: [] };
  const tools = {
    pay_invoice: tool({
      inputSchema: z.object({ amount: z.number() }),
      needsApproval: true,
      execute: async ({ amount }) => {
        seen.paid.push(amount);
        return { paid: amount };
      },
    }),
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: unknown[] };
      const messages = await validateUIMessages({ messages: body.messages, tools: tools as never });
      seen.requests.push(messages);
      const answered = messages.some((message) => message.role === 'assistant');
      const model = new MockLanguageModelV3({
        doStream: async () => ({
          stream: simulateReadableStream({ chunks: (answered ? CONFIRM : ASK_TO_PAY) as never[], chunkDelayInMs: 1 }),
        }),
      });
      const result = streamText({
        model,
        messages: await convertToModelMessages(messages),
        tools,
        stopWhen: stepCountIs(3),
      });
      const web = result.toUIMessageStreamResponse({
        onError: (error) => (error instanceof Error ? error.message : String(error)),
      });
      response.writeHead(web.status, Object.fromEntries(web.headers));
      for await (const chunk of web.body as unknown as AsyncIterable<Uint8Array>) response.write(chunk);
      response.end();
    })().catch((error: unknown) => response.destroy(error as Error));
  });
  await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let upstream: Awaited<ReturnType<typeof startAiSdkServer>>;
let gateway: Awaited<ReturnType<typeof startSynapse>>;

beforeAll(async () => {
  upstream = await startAiSdkServer();
  gateway = await startSynapse({
    config: { agents: [{ id: 'shop', dialect: 'ai-sdk', url: `${upstream.url}/api/chat` }] },
  });
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

async function payRun(): Promise<{ id: string; interrupt: Event }> {
  const started = await graphqlRequest(gateway.url, RUN_AGENT, {
    input: { agentId: 'shop', prompt: 'pay my invoice' },
  });
  const id = started.data!.runAgent.workflow.id as string;
  const paused = await waitForWorkflowStatus(gateway.url, id, 'INPUT_REQUIRED');
  expect(paused.pendingInterrupts).toHaveLength(1);
  return { id, interrupt: paused.pendingInterrupts[0] };
}

describe('ai-sdk: tool approvals against a real AI SDK 6 route', () => {
  it('a tool-approval-request pauses the run; APPROVE sends the approval response and the route runs the tool', async () => {
    const { id, interrupt } = await payRun();
    expect(interrupt).toMatchObject({
      kind: 'TOOL_APPROVAL',
      toolCallId: 'call_pay',
      tool: 'pay_invoice',
      arguments: { amount: 120 },
    });
    expect(interrupt.message).toContain('pay_invoice');
    const before = upstream.seen.paid.length;
    const answered = await graphqlRequest(gateway.url, RESPOND, {
      workflowId: id,
      responses: [{ interruptId: interrupt.interruptId, decision: 'APPROVE' }],
    });
    expect(answered.data!.respondToInterrupts).toMatchObject({ resumed: true });
    const done = await waitForWorkflowStatus(gateway.url, id, 'SUCCEEDED');
    expect(upstream.seen.paid.slice(before)).toEqual([120]);
    // the second request carried the assistant message with the approval answered, as useChat sends it
    const assistant = upstream.seen.requests.at(-1)!.find((message) => message.role === 'assistant')!;
    expect(assistant.parts.find((part) => part.type === 'tool-pay_invoice')).toMatchObject({
      toolCallId: 'call_pay',
      state: 'approval-responded',
      input: { amount: 120 },
      approval: { id: interrupt.interruptId, approved: true },
    });
    expect(done.events.find((event: Event) => event.__typename === 'ToolResult')).toMatchObject({
      toolCallId: 'call_pay',
      result: { paid: 120 },
      isError: false,
    });
    // the workflow's text is the whole exchange: before the pause and after it
    expect(done.text).toBe('Paying. Done.');
    expect(done.events.at(-1)).toMatchObject({ __typename: 'RunCompleted', text: 'Paying. Done.' });
    expect(done.events.map((event: Event) => event.sequence)).toEqual(
      done.events.map((_event: Event, index: number) => index + 1),
    );
  });

  it('REJECT sends approved: false with the reason; the route does not run the tool', async () => {
    const { id, interrupt } = await payRun();
    const before = upstream.seen.paid.length;
    await graphqlRequest(gateway.url, RESPOND, {
      workflowId: id,
      responses: [{ interruptId: interrupt.interruptId, decision: 'REJECT', message: 'too much' }],
    });
    await waitForWorkflowStatus(gateway.url, id, 'SUCCEEDED');
    expect(upstream.seen.paid.length).toBe(before);
    const assistant = upstream.seen.requests.at(-1)!.find((message) => message.role === 'assistant')!;
    expect(assistant.parts.find((part) => part.type === 'tool-pay_invoice')).toMatchObject({
      state: 'approval-responded',
      approval: { id: interrupt.interruptId, approved: false, reason: 'too much' },
    });
  });
});
