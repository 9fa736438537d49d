import { AgentCard, Task, TaskArtifactUpdateEvent, TaskStatusUpdateEvent } from '@a2a-js/sdk';
import {
  AgentEvent,
  DefaultRequestHandler,
  InMemoryTaskStore,
  JsonRpcTransportHandler,
  ServerCallContext,
  type AgentExecutor,
  type ExecutionEventBus,
  type RequestContext,
} from '@a2a-js/sdk/server';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlRequest } from '../helpers/graphql-clients.js';
import { startSynapse } from '../helpers/synapse.js';
import { listenOnLoopback } from '../helpers/net.js';
import type { WorkflowView } from '../helpers/shapes.js';

/**
 * The `a2a` dialect against @a2a-js/sdk 1.3.0's own server (DefaultRequestHandler behind its
 * transport-agnostic JsonRpcTransportHandler on node:http): a real A2A peer on loopback.
 */

const status = (requestContext: RequestContext, state: string, text?: string) =>
  AgentEvent.statusUpdate(
    TaskStatusUpdateEvent.fromJSON({
      taskId: requestContext.taskId,
      contextId: requestContext.contextId,
      status: {
        state,
        ...(text ? { message: { messageId: `m-${Math.random()}`, role: 'ROLE_AGENT', parts: [{ text }] } } : {}),
      },
    }),
  );
const chunk = (
  requestContext: RequestContext,
  text: string,
  append: boolean,
  lastChunk: boolean,
  artifactId = 'reply',
) =>
  AgentEvent.artifactUpdate(
    TaskArtifactUpdateEvent.fromJSON({
      taskId: requestContext.taskId,
      contextId: requestContext.contextId,
      artifact: { artifactId, parts: [{ text }] },
      append,
      lastChunk,
    }),
  );

class PeerExecutor implements AgentExecutor {
  readonly cancelled: string[] = [];
  readonly contexts: string[] = [];
  readonly answers: string[] = [];

  async execute(requestContext: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const text = requestContext.userMessage.parts
      .map((part) =>
        part.content?.$case === 'text'
          ? part.content.value
          : part.content?.$case === 'data'
            ? JSON.stringify(part.content.value)
            : '',
      )
      .join('');
    this.contexts.push(requestContext.contextId);
    if (requestContext.task) {
      // The follow-up message of an INPUT_REQUIRED task: the answer.
      this.answers.push(text);
      bus.publish(AgentEvent.task(requestContext.task));
      bus.publish(status(requestContext, 'TASK_STATE_WORKING'));
      bus.publish(chunk(requestContext, `Nice to meet you, ${text}.`, false, true));
      bus.publish(status(requestContext, 'TASK_STATE_COMPLETED'));
      bus.finished();
      return;
    }
    bus.publish(
      AgentEvent.task(
        Task.fromJSON({
          id: requestContext.taskId,
          contextId: requestContext.contextId,
          status: { state: 'TASK_STATE_SUBMITTED' },
          history: [],
        }),
      ),
    );
    if (text.includes('ask')) {
      bus.publish(status(requestContext, 'TASK_STATE_INPUT_REQUIRED', 'What is your name?'));
    } else if (text.includes('fail')) {
      bus.publish(status(requestContext, 'TASK_STATE_WORKING', 'trying'));
      bus.publish(status(requestContext, 'TASK_STATE_FAILED', 'the peer broke'));
    } else if (text.includes('auth')) {
      bus.publish(status(requestContext, 'TASK_STATE_AUTH_REQUIRED', 'sign in at the peer first'));
    } else if (text.includes('slow')) {
      bus.publish(status(requestContext, 'TASK_STATE_WORKING', 'working slowly'));
      for (let index = 0; index < 200 && !this.cancelled.includes(requestContext.taskId); index++) {
        bus.publish(chunk(requestContext, `tick ${index} `, index > 0, false));
        await sleep(25);
      }
      if (!this.cancelled.includes(requestContext.taskId)) bus.publish(status(requestContext, 'TASK_STATE_COMPLETED'));
    } else {
      bus.publish(status(requestContext, 'TASK_STATE_WORKING', 'looking it up'));
      for (const [index, piece] of ['The answer', ' is', ' 42.'].entries()) {
        bus.publish(chunk(requestContext, piece, index > 0, index === 2));
        await sleep(5);
      }
      bus.publish(
        AgentEvent.artifactUpdate(
          TaskArtifactUpdateEvent.fromJSON({
            taskId: requestContext.taskId,
            contextId: requestContext.contextId,
            artifact: { artifactId: 'result', parts: [{ data: { answer: 42 } }] },
            lastChunk: true,
          }),
        ),
      );
      bus.publish(status(requestContext, 'TASK_STATE_COMPLETED'));
    }
    bus.finished();
  }

  async cancelTask(taskId: string, bus: ExecutionEventBus): Promise<void> {
    this.cancelled.push(taskId);
    bus.publish(
      AgentEvent.statusUpdate(
        TaskStatusUpdateEvent.fromJSON({ taskId, contextId: '', status: { state: 'TASK_STATE_CANCELED' } }),
      ),
    );
    bus.finished();
  }
}

/** An A2A peer: the card at /.well-known/agent-card.json, JSON-RPC at /rpc. */
async function startPeer(streaming: boolean): Promise<{ base: string; executor: PeerExecutor; server: Server }> {
  const executor = new PeerExecutor();
  let base = '';
  const card = () =>
    AgentCard.fromJSON({
      name: 'peer',
      description: 'an @a2a-js/sdk agent',
      version: '1.0.0',
      supportedInterfaces: [{ url: `${base}/rpc`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
      capabilities: { streaming },
      defaultInputModes: ['text/plain'],
      defaultOutputModes: ['text/plain'],
      skills: [{ id: 'answer', name: 'answer', description: 'answers', tags: [] }],
    });
  let handler: JsonRpcTransportHandler | null = null;
  const server = createServer((request, response) => {
    void (async () => {
      if (request.method === 'GET' && request.url === '/.well-known/agent-card.json') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(AgentCard.toJSON(card())));
        return;
      }
      const chunks: Buffer[] = [];
      for await (const piece of request) chunks.push(piece as Buffer);
      handler ??= new JsonRpcTransportHandler(new DefaultRequestHandler(card(), new InMemoryTaskStore(), executor));
      const result = await handler.handle(
        Buffer.concat(chunks).toString('utf8'),
        new ServerCallContext({ requestedVersion: '1.0' }),
      );
      if (Symbol.asyncIterator in (result as object)) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        for await (const item of result as AsyncGenerator<unknown>) response.write(`data: ${JSON.stringify(item)}\n\n`);
        response.end();
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      }
    })().catch((error: unknown) => {
      if (process.env.A2A_PEER_DEBUG) console.error(error);
      response.destroy();
    });
  });
  await listenOnLoopback(server);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, executor, server };
}

const RUN = `mutation($input: RunAgentInput!) { runAgent(input: $input) { __typename ... on RunAgentPayload { workflow { id threadId status text output error { code message retryable } } } } }`;
const READ = `query($id: ID!) { workflow(id: $id) { id status text output threadId error { code message retryable }
  pendingInterrupts { interruptId kind message }
  events { __typename ... on TextDelta { messageId delta } ... on ReasoningStep { title } ... on InterruptRequested { interruptId kind message } ... on CustomEvent { name value } } } }`;

describe('a2a dialect against @a2a-js/sdk server peers', () => {
  let streamingPeer: Awaited<ReturnType<typeof startPeer>>;
  let pollingPeer: Awaited<ReturnType<typeof startPeer>>;
  let gateway: Awaited<ReturnType<typeof startSynapse>>;
  beforeAll(async () => {
    streamingPeer = await startPeer(true);
    pollingPeer = await startPeer(false);
    gateway = await startSynapse({
      config: {
        agents: [
          { id: 'peer', dialect: 'a2a', url: `${streamingPeer.base}/.well-known/agent-card.json` },
          { id: 'peer-endpoint', dialect: 'a2a', url: `${streamingPeer.base}/rpc` },
          { id: 'poller', dialect: 'a2a', url: `${pollingPeer.base}/.well-known/agent-card.json` },
        ],
      },
    });
  });
  afterAll(async () => {
    await gateway.stop();
    streamingPeer.server.close();
    pollingPeer.server.close();
  });

  const run = async (agentId: string, prompt: string, threadId?: string) => {
    const result = await graphqlRequest(gateway.url, RUN, {
      input: { agentId, prompt, wait: true, ...(threadId ? { threadId } : {}) },
    });
    return result.data!.runAgent.workflow as {
      id: string;
      threadId: string;
      status: string;
      text: string | null;
      output: unknown;
      error: { code: string; retryable: boolean } | null;
    };
  };
  const read = async (id: string) => (await graphqlRequest(gateway.url, READ, { id })).data!.workflow as WorkflowView;

  it('streams artifacts as text, status messages as reasoning steps, data artifacts as the output', async () => {
    for (const agentId of ['peer', 'peer-endpoint']) {
      const workflow = await run(agentId, 'what is the answer?');
      expect(workflow.status, agentId).toBe('SUCCEEDED');
      expect(workflow.text).toBe('The answer is 42.');
      expect(workflow.output).toEqual({ answer: 42 });
      const stored = await read(workflow.id);
      const deltas = stored.events.filter((event: { __typename: string }) => event.__typename === 'TextDelta');
      // Deltas of one batch may be merged by the bridge (docs/architecture.md): their text is the answer.
      expect(deltas.map((event) => event.delta as string).join('')).toBe('The answer is 42.');
      expect(
        stored.events.some(
          (event: { __typename: string; title?: string }) =>
            event.__typename === 'ReasoningStep' && event.title === 'looking it up',
        ),
      ).toBe(true);
    }
    // The Synapse thread is the remote context: a second turn reaches the peer on the same context.
    const first = await run('peer', 'first turn');
    await run('peer', 'second turn', first.threadId);
    expect(streamingPeer.executor.contexts.filter((context) => context === first.threadId).length).toBe(2);
  });

  it('a non-streaming agent runs through SendMessage and GetTask', async () => {
    const workflow = await run('poller', 'what is the answer?');
    expect(workflow.status).toBe('SUCCEEDED');
    expect(workflow.text).toBe('The answer is 42.');
  });

  it('INPUT_REQUIRED pauses the run as an INPUT interrupt; the answer continues the same remote task', async () => {
    const started = await graphqlRequest(gateway.url, RUN, { input: { agentId: 'peer', prompt: 'ask me something' } });
    const id = started.data!.runAgent.workflow.id as string;
    let workflow = await read(id);
    for (let tries = 0; workflow.status !== 'INPUT_REQUIRED' && tries < 100; tries++) {
      await sleep(20);
      workflow = await read(id);
    }
    expect(workflow.status).toBe('INPUT_REQUIRED');
    expect(workflow.pendingInterrupts).toHaveLength(1);
    expect(workflow.pendingInterrupts[0]).toMatchObject({ kind: 'INPUT', message: 'What is your name?' });
    const answered = await graphqlRequest(
      gateway.url,
      `mutation($id: ID!, $responses: [InterruptResponseInput!]!) { respondToInterrupts(workflowId: $id, responses: $responses) { __typename } }`,
      {
        id,
        responses: [{ interruptId: workflow.pendingInterrupts[0]!.interruptId, decision: 'RESPOND', value: 'Ada' }],
      },
    );
    expect(answered.data!.respondToInterrupts.__typename).toBe('RespondToInterruptsPayload');
    for (let tries = 0; workflow.status !== 'SUCCEEDED' && tries < 100; tries++) {
      await sleep(20);
      workflow = await read(id);
    }
    expect(workflow.status, JSON.stringify(workflow.error)).toBe('SUCCEEDED');
    expect(workflow.text).toBe('Nice to meet you, Ada.');
    expect(streamingPeer.executor.answers).toContain('Ada');
  });

  it('a failed task is RunFailed UPSTREAM_ERROR; AUTH_REQUIRED is RunFailed UPSTREAM_AUTH_REQUIRED', async () => {
    const failed = await run('peer', 'please fail');
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatchObject({ code: 'UPSTREAM_ERROR', retryable: false });
    expect((failed.error as unknown as { message: string }).message).toContain('the peer broke');
    const auth = await run('peer', 'needs auth');
    expect(auth.status).toBe('FAILED');
    expect(auth.error).toMatchObject({ code: 'UPSTREAM_AUTH_REQUIRED', retryable: false });
  });

  it('cancel reaches the peer as CancelTask', async () => {
    const started = await graphqlRequest(gateway.url, RUN, { input: { agentId: 'peer', prompt: 'go slow' } });
    const id = started.data!.runAgent.workflow.id as string;
    let workflow = await read(id);
    for (
      let tries = 0;
      !workflow.events.some((event: { __typename: string }) => event.__typename === 'TextDelta') && tries < 100;
      tries++
    ) {
      await sleep(20);
      workflow = await read(id);
    }
    const cancelled = await graphqlRequest(
      gateway.url,
      `mutation($id: ID!) { cancelWorkflow(id: $id) { __typename ... on CancelWorkflowPayload { cancelled } } }`,
      { id },
    );
    expect(cancelled.data!.cancelWorkflow.cancelled).toBe(true);
    for (let tries = 0; streamingPeer.executor.cancelled.length === 0 && tries < 100; tries++) await sleep(20);
    expect(streamingPeer.executor.cancelled.length).toBe(1);
    expect((await read(id)).status).toBe('CANCELLED');
  });
});
