import { EventType, type RunAgentInput } from '@ag-ui/core';
import { RunAgentInputSchema } from '@ag-ui/core/schemas';
import { EventEncoder } from '@ag-ui/encoder';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlRequest } from '../../helpers/graphql-clients.js';
import { RESPOND, waitForWorkflowStatus } from '../../helpers/interrupt-operations.js';
import { RUN_AGENT } from '../../helpers/operations.js';
import { startSynapse } from '../../helpers/synapse.js';
import { listenOnLoopback } from '../../helpers/net.js';

type Event = Record<string, unknown>;

/**
 * An AG-UI 1.0 agent on loopback: it parses every request with @ag-ui/core's RunAgentInputSchema
 * and writes its events with @ag-ui/encoder. A first run calls a tool and stops with a
 * RUN_FINISHED interrupt outcome (an approval of the call, and a question with a responseSchema);
 * a run that carries `resume` entries reports them back as text and finishes with success.
 */
async function startAgUiAgent() {
  const inputs: RunAgentInput[] = [];
  const encoder = new EventEncoder();
  const server: Server = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const input = RunAgentInputSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8'))) as RunAgentInput;
      inputs.push(input);
      response.writeHead(200, { 'content-type': encoder.getContentType() });
      const send = (event: Record<string, unknown>) => response.write(encoder.encodeSSE(event as never));
      const run = { threadId: input.threadId, runId: input.runId };
      send({ type: EventType.RUN_STARTED, ...run });
      if (!input.resume?.length) {
        send({ type: EventType.TOOL_CALL_START, toolCallId: 'call_pay', toolCallName: 'pay_invoice' });
        send({ type: EventType.TOOL_CALL_ARGS, toolCallId: 'call_pay', delta: '{"amount":120}' });
        send({ type: EventType.TOOL_CALL_END, toolCallId: 'call_pay' });
        send({
          type: EventType.RUN_FINISHED,
          ...run,
          outcome: {
            type: 'interrupt',
            interrupts: [
              { id: 'int_pay', reason: 'tool_approval', message: 'Pay 120 EUR?', toolCallId: 'call_pay' },
              {
                id: 'int_note',
                reason: 'input',
                message: 'A note for the payee?',
                responseSchema: { type: 'string', maxLength: 20 },
              },
            ],
          },
        });
      } else {
        send({ type: EventType.TEXT_MESSAGE_START, messageId: 'm1', role: 'assistant' });
        send({ type: EventType.TEXT_MESSAGE_CONTENT, messageId: 'm1', delta: JSON.stringify(input.resume) });
        send({ type: EventType.TEXT_MESSAGE_END, messageId: 'm1' });
        send({ type: EventType.RUN_FINISHED, ...run, outcome: { type: 'success' } });
      }
      response.end();
    })().catch((error: unknown) => response.destroy(error as Error));
  });
  await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    inputs,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let agent: Awaited<ReturnType<typeof startAgUiAgent>>;
let gateway: Awaited<ReturnType<typeof startSynapse>>;

beforeAll(async () => {
  agent = await startAgUiAgent();
  gateway = await startSynapse({ config: { agents: [{ id: 'payer', dialect: 'ag-ui', url: `${agent.url}/agent` }] } });
});
afterAll(async () => {
  await gateway?.stop();
  await agent?.close();
});

describe('ag-ui: RUN_FINISHED interrupt outcome and resume entries (AG-UI 1.0)', () => {
  it('pauses on the interrupt outcome, then starts a new run of the thread whose resume entries answer it', async () => {
    const started = await graphqlRequest(gateway.url, RUN_AGENT, {
      input: { agentId: 'payer', prompt: 'pay the invoice' },
    });
    const id = started.data!.runAgent.workflow.id as string;
    const paused = await waitForWorkflowStatus(gateway.url, id, 'INPUT_REQUIRED');
    expect(paused.pendingInterrupts).toEqual([
      expect.objectContaining({
        interruptId: 'int_pay',
        kind: 'TOOL_APPROVAL',
        toolCallId: 'call_pay',
        tool: 'pay_invoice',
        arguments: { amount: 120 },
        message: 'Pay 120 EUR?',
      }),
      expect.objectContaining({
        interruptId: 'int_note',
        kind: 'INPUT',
        toolCallId: null,
        message: 'A note for the payee?',
        responseSchema: { type: 'string', maxLength: 20 },
      }),
    ]);

    // a value the interrupt's responseSchema refuses: nothing committed
    const refused = await graphqlRequest(gateway.url, RESPOND, {
      workflowId: id,
      responses: [
        { interruptId: 'int_pay', decision: 'APPROVE' },
        { interruptId: 'int_note', decision: 'RESPOND', value: 'a note far longer than twenty characters' },
      ],
    });
    expect(refused.data!.respondToInterrupts).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'responses[1].value',
    });
    expect((await waitForWorkflowStatus(gateway.url, id, 'INPUT_REQUIRED')).lastSequence).toBe(paused.lastSequence);

    const answered = await graphqlRequest(gateway.url, RESPOND, {
      workflowId: id,
      responses: [
        { interruptId: 'int_pay', decision: 'APPROVE', arguments: { amount: 100 } },
        { interruptId: 'int_note', decision: 'RESPOND', value: 'thanks' },
      ],
    });
    expect(answered.data!.respondToInterrupts).toMatchObject({ resumed: true });
    const done = await waitForWorkflowStatus(gateway.url, id, 'SUCCEEDED');

    const [first, second] = agent.inputs.slice(-2);
    expect(second!.threadId).toBe(first!.threadId);
    expect(second!.runId).not.toBe(first!.runId);
    expect(second!.parentRunId).toBe(first!.runId);
    expect(second!.resume).toEqual([
      { interruptId: 'int_pay', status: 'resolved', payload: { approved: true, arguments: { amount: 100 } } },
      { interruptId: 'int_note', status: 'resolved', payload: 'thanks' },
    ]);
    expect(JSON.parse(done.text)).toEqual(second!.resume);
    expect(done.events.map((event: Event) => event.sequence)).toEqual(
      done.events.map((_event: Event, index: number) => index + 1),
    );
    expect(done.events.filter((event: Event) => event.__typename === 'RunCompleted')).toHaveLength(1);
  });
});
