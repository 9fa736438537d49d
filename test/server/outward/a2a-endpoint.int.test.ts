import { SendMessageRequest, StreamResponse, Task, taskStateToJSON } from '@a2a-js/sdk';
import { ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory, type Client } from '@a2a-js/sdk/client';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyDigest } from '../../../src/server/auth/api-keys.js';
import { graphqlRequest } from '../../helpers/graphql-clients.js';
import { WORKFLOW } from '../../helpers/operations.js';
import { startSynapse, TEST_AGENTS } from '../../helpers/synapse.js';
import { collect, sleep } from '../../helpers/async.js';
import type { LooseData } from '../../helpers/graphql-clients.js';

type Gateway = Awaited<ReturnType<typeof startSynapse>>;

function send(
  text: string,
  ids: { contextId?: string; taskId?: string; returnImmediately?: boolean } = {},
): SendMessageRequest {
  return SendMessageRequest.fromJSON({
    message: {
      messageId: randomUUID(),
      role: 'ROLE_USER',
      parts: [{ text }],
      ...(ids.contextId ? { contextId: ids.contextId } : {}),
      ...(ids.taskId ? { taskId: ids.taskId } : {}),
    },
    ...(ids.returnImmediately ? { configuration: { returnImmediately: true } } : {}),
  });
}

function client(base: string, agentId: string, key?: string): Promise<Client> {
  const fetchImpl: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    if (key) headers.set('authorization', `Bearer ${key}`);
    return fetch(input, { ...init, headers });
  };
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl })],
    }),
  );
  // The resolver resolves `.well-known/agent-card.json` against the URL: the trailing slash keeps the agent id.
  return factory.createFromUrl(`${base}/a2a/${agentId}/`);
}

const state = (task: Task) => taskStateToJSON(task.status!.state);
const json = (item: StreamResponse) => StreamResponse.toJSON(item) as LooseData;
/** Every item of an SDK stream, as plain JSON. */
async function collectJson(stream: AsyncIterable<StreamResponse>): Promise<LooseData[]> {
  return (await collect(stream)).map(json);
}
function artifactText(items: LooseData[]): string {
  return items
    .filter((item) => item.artifactUpdate?.artifact?.name === 'answer')
    .map((item) => item.artifactUpdate.artifact.parts.map((part: { text?: string }) => part.text ?? '').join(''))
    .join('');
}

/** The agent card fields these tests read, as the endpoint serves them. */
interface AgentCardJson {
  name: string;
  capabilities: { streaming?: boolean };
  supportedInterfaces: unknown;
  skills: { id: string }[];
  securitySchemes?: { bearer: { httpAuthSecurityScheme: { scheme: string } } };
  securityRequirements?: unknown;
}

describe('A2A out: @a2a-js/sdk client against /a2a/{agentId}', () => {
  let gateway: Gateway;
  let base: string;
  beforeAll(async () => {
    gateway = await startSynapse({
      config: { agents: [...TEST_AGENTS, { id: 'asker', dialect: 'demo', demo: { wordDelayMs: 1, askHuman: true } }] },
    });
    base = new URL('/', gateway.url).href.replace(/\/$/, '');
  });
  afterAll(() => gateway.stop());

  it('serves an agent card with skills from the tools, streaming and the endpoint', async () => {
    const card = (await (await fetch(`${base}/a2a/demo/.well-known/agent-card.json`)).json()) as AgentCardJson;
    expect(card.name).toBe('demo');
    expect(card.capabilities.streaming).toBe(true);
    expect(card.supportedInterfaces).toEqual([
      { url: `${base}/a2a/demo`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
    ]);
    expect(card.skills.map((skill: { id: string }) => skill.id)).toEqual(['calculator']);
    expect(card.securitySchemes).toBeUndefined();
    expect((await fetch(`${base}/a2a/nobody/.well-known/agent-card.json`)).status).toBe(404);
    const sdk = await client(base, 'demo');
    expect((await sdk.getAgentCard()).name).toBe('demo');
  });

  it('blocking SendMessage answers the completed task with the answer as its artifact; GetTask agrees', async () => {
    const sdk = await client(base, 'demo');
    const result = await sdk.sendMessage(send('What is 12 * (3 + 4)?'));
    const task = result as Task;
    expect(state(task)).toBe('TASK_STATE_COMPLETED');
    const workflow = (await graphqlRequest(gateway.url, WORKFLOW, { id: task.id })).data!.workflow;
    expect(task.contextId).toBe(workflow.threadId);
    const answer = task.artifacts.find((artifact) => artifact.name === 'answer')!;
    expect(answer.parts.map((part) => (part.content?.$case === 'text' ? part.content.value : '')).join('')).toBe(
      workflow.text,
    );
    expect(task.artifacts.find((artifact) => artifact.artifactId === 'output')).toBeDefined();
    const got = await sdk.getTask({ id: task.id, historyLength: 0, tenant: '' });
    expect(state(got)).toBe('TASK_STATE_COMPLETED');
    expect((Task.toJSON(got) as { artifacts?: unknown }).artifacts).toEqual(
      (Task.toJSON(task) as { artifacts?: unknown }).artifacts,
    );
  });

  it('SendStreamingMessage starts with the task, streams text with append, tool activity as data, ends COMPLETED', async () => {
    const sdk = await client(base, 'demo');
    const items = await collectJson(sdk.sendMessageStream(send('What is 12 * (3 + 4)?')));
    expect(items[0]!.task.status.state).toBe('TASK_STATE_SUBMITTED');
    const taskId = items[0]!.task.id as string;
    const appends = items.filter((item) => item.artifactUpdate).map((item) => item.artifactUpdate.append ?? false);
    expect(appends[0]).toBe(false);
    expect(appends.slice(1)).toContain(true);
    const dataTypes = items
      .flatMap((item) => item.statusUpdate?.status.message?.parts ?? [])
      .map((part: { data?: { type?: string } }) => part.data?.type)
      .filter(Boolean);
    expect(dataTypes).toEqual(
      expect.arrayContaining([
        'RunStarted',
        'ReasoningStep',
        'ToolCallStarted',
        'ToolCallCompleted',
        'ToolResult',
        'UsageUpdated',
      ]),
    );
    expect(items.at(-1)!.statusUpdate.status.state).toBe('TASK_STATE_COMPLETED');
    const workflow = (await graphqlRequest(gateway.url, WORKFLOW, { id: taskId })).data!.workflow;
    expect(artifactText(items)).toBe(workflow.text);
    const sequences = items
      .slice(1)
      .map((item) => (item.statusUpdate ?? item.artifactUpdate).metadata['synapse.sequence'] as number);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(sequences.at(-1)).toBe(workflow.lastSequence);
  });

  it('a second message on the same context continues the thread; ListTasks lists the context', async () => {
    const sdk = await client(base, 'demo');
    const first = (await sdk.sendMessage(send('What is 2 + 2?'))) as Task;
    const second = (await sdk.sendMessage(send('And 3 * 3?', { contextId: first.contextId }))) as Task;
    expect(second.contextId).toBe(first.contextId);
    expect(second.id).not.toBe(first.id);
    const thread = await graphqlRequest(gateway.url, `query($id: ID!) { thread(id: $id) { workflows { id } } }`, {
      id: first.contextId,
    });
    expect(thread.data!.thread.workflows.map((workflow: { id: string }) => workflow.id)).toEqual([first.id, second.id]);
    const listed = await sdk.listTasks({
      tenant: '',
      contextId: first.contextId,
      status: 0,
      pageSize: 10,
      pageToken: '',
      historyLength: 0,
      statusTimestampAfter: undefined,
      includeArtifacts: false,
    });
    expect(listed.tasks.map((task) => task.id).sort()).toEqual([first.id, second.id].sort());
    expect(listed.tasks.every((task) => state(task) === 'TASK_STATE_COMPLETED')).toBe(true);
  });

  it('CancelTask cancels a running task; cancelling again is TaskNotCancelable; an unknown task is TaskNotFound', async () => {
    const sdk = await client(base, 'slow');
    const started = (await sdk.sendMessage(
      send('What is 1 + 1? Please explain slowly', { returnImmediately: true }),
    )) as Task;
    expect(['TASK_STATE_SUBMITTED', 'TASK_STATE_WORKING']).toContain(state(started));
    const cancelled = await sdk.cancelTask({ id: started.id, tenant: '', metadata: undefined });
    expect(state(cancelled)).toBe('TASK_STATE_CANCELED');
    await expect(sdk.cancelTask({ id: started.id, tenant: '', metadata: undefined })).rejects.toMatchObject({
      name: 'TaskNotCancelableError',
    });
    await expect(sdk.getTask({ id: 'no-such-task', historyLength: 0, tenant: '' })).rejects.toMatchObject({
      name: 'TaskNotFoundError',
    });
    // A task of another agent is unknown on this agent's endpoint.
    const other = await client(base, 'demo');
    await expect(other.getTask({ id: started.id, historyLength: 0, tenant: '' })).rejects.toMatchObject({
      name: 'TaskNotFoundError',
    });
  });

  it('SubscribeToTask starts with the current snapshot (lossless), and the resume extension continues after a sequence', async () => {
    const sdk = await client(base, 'slow');
    const started = (await sdk.sendMessage(send('What is 6 * 7?', { returnImmediately: true }))) as Task;
    await sleep(250);
    const items = await collectJson(sdk.resubscribeTask({ id: started.id, tenant: '' }));
    const snapshot = items[0]!.task;
    expect(snapshot.id).toBe(started.id);
    const workflow = (await graphqlRequest(gateway.url, WORKFLOW, { id: started.id })).data!.workflow;
    // The snapshot's text plus the streamed appends is the whole answer: nothing lost, nothing twice.
    const snapshotText = (snapshot.artifacts ?? [])
      .filter((artifact: { name: string }) => artifact.name === 'answer')
      .map((artifact: { parts: { text: string }[] }) => artifact.parts[0]!.text)
      .join('');
    expect(snapshotText.length).toBeGreaterThan(0);
    expect(snapshotText + artifactText(items.slice(1))).toBe(workflow.text);
    expect(items.at(-1)!.statusUpdate.status.state).toBe('TASK_STATE_COMPLETED');

    // Resume extension: Last-Event-ID N gives exactly the updates of the events after N.
    const after = 5;
    const resumed = await collectJson(
      sdk.resubscribeTask({ id: started.id, tenant: '' }, { serviceParameters: { 'Last-Event-ID': String(after) } }),
    );
    const sequences = resumed.map(
      (item) =>
        (item.statusUpdate ?? item.artifactUpdate ?? { metadata: { 'synapse.sequence': -1 } }).metadata[
          'synapse.sequence'
        ] as number,
    );
    expect(sequences[0]).toBe(after + 1);
    expect(sequences.at(-1)).toBe(workflow.lastSequence);
  });

  it('INPUT_REQUIRED is a paused workflow; a follow-up message on the task answers it and the task completes', async () => {
    const sdk = await client(base, 'asker');
    const items = await collectJson(sdk.sendMessageStream(send('please compute something for me')));
    const last = items.at(-1)!;
    expect(last.statusUpdate.status.state).toBe('TASK_STATE_INPUT_REQUIRED');
    expect(last.statusUpdate.status.message.parts[0].text).toBe('Which expression should the calculator evaluate?');
    const taskId = last.statusUpdate.taskId as string;
    expect(state(await sdk.getTask({ id: taskId, historyLength: 0, tenant: '' }))).toBe('TASK_STATE_INPUT_REQUIRED');

    const answer = SendMessageRequest.fromJSON({
      message: { messageId: randomUUID(), role: 'ROLE_USER', taskId, parts: [{ data: { expression: '6 * 7' } }] },
    });
    const done = (await sdk.sendMessage(answer)) as Task;
    expect(done.id).toBe(taskId);
    expect(state(done)).toBe('TASK_STATE_COMPLETED');
    const workflow = (await graphqlRequest(gateway.url, WORKFLOW, { id: taskId })).data!.workflow;
    expect(workflow.text).toContain('42');
    // A message to a task that ended is refused with a typed error.
    await expect(
      sdk.sendMessage(
        SendMessageRequest.fromJSON({
          message: { messageId: randomUUID(), role: 'ROLE_USER', taskId, parts: [{ text: 'again' }] },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'UnsupportedOperationError',
    });
  });

  it('answers bad input with JSON-RPC errors carrying the A2A codes', async () => {
    const rpc = async (body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${base}/a2a/demo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return {
        status: response.status,
        body: (await response.json()) as { id: unknown; error: { code: number; message: string } },
      };
    };
    expect((await rpc('{not json')).body.error.code).toBe(-32700);
    expect((await rpc({ jsonrpc: '1.0', id: 1, method: 'GetTask' })).body.error.code).toBe(-32600);
    expect((await rpc({ jsonrpc: '2.0', id: 2, method: 'NoSuchMethod', params: {} })).body.error.code).toBe(-32601);
    expect((await rpc({ jsonrpc: '2.0', id: 3, method: 'GetTask', params: {} })).body.error.code).toBe(-32602);
    expect(
      (
        await rpc({
          jsonrpc: '2.0',
          id: 4,
          method: 'SendMessage',
          params: { message: { messageId: 'm', role: 'ROLE_USER', parts: [] } },
        })
      ).body.error.code,
    ).toBe(-32602);
    const legacy = await rpc({ jsonrpc: '2.0', id: 5, method: 'message/send', params: {} });
    expect(legacy.body.error.code).toBe(-32009);
    expect(legacy.body.id).toBe(5);
    expect(
      (await rpc({ jsonrpc: '2.0', id: 6, method: 'CreateTaskPushNotificationConfig', params: {} })).body.error.code,
    ).toBe(-32003);
    expect(
      (await rpc({ jsonrpc: '2.0', id: 7, method: 'GetTask', params: { id: 'x' } }, { 'a2a-version': '0.3' })).body
        .error.code,
    ).toBe(-32009);
    expect((await rpc([{ jsonrpc: '2.0', id: 8, method: 'GetTask' }])).body.error.code).toBe(-32600);
  });
});

describe('A2A out with authentication on', () => {
  let gateway: Gateway;
  let base: string;
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
    base = new URL('/', gateway.url).href.replace(/\/$/, '');
  });
  afterAll(() => gateway.stop());

  it('the card is public and names the bearer scheme; methods need the key; another tenant’s task is not found', async () => {
    const card = (await (await fetch(`${base}/a2a/demo/.well-known/agent-card.json`)).json()) as AgentCardJson;
    expect(card.securitySchemes!.bearer.httpAuthSecurityScheme.scheme).toBe('Bearer');
    expect(card.securityRequirements).toEqual([{ schemes: { bearer: { list: [] } } }]);

    const anonymous = await fetch(`${base}/a2a/demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 'x' } }),
    });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { data: { code: string } } }).error.data.code).toBe('UNAUTHENTICATED');

    const acme = await client(base, 'demo', keys.acme);
    const globex = await client(base, 'demo', keys.globex);
    const task = (await acme.sendMessage(send('What is 5 * 5?'))) as Task;
    expect(state(task)).toBe('TASK_STATE_COMPLETED');
    expect(state(await acme.getTask({ id: task.id, historyLength: 0, tenant: '' }))).toBe('TASK_STATE_COMPLETED');
    await expect(globex.getTask({ id: task.id, historyLength: 0, tenant: '' })).rejects.toMatchObject({
      name: 'TaskNotFoundError',
    });
    await expect(globex.cancelTask({ id: task.id, tenant: '', metadata: undefined })).rejects.toMatchObject({
      name: 'TaskNotFoundError',
    });
    await expect(collectJson(globex.resubscribeTask({ id: task.id, tenant: '' }))).rejects.toMatchObject({
      name: 'TaskNotFoundError',
    });
    const listed = await globex.listTasks({
      tenant: '',
      contextId: task.contextId,
      status: 0,
      pageSize: 10,
      pageToken: '',
      historyLength: 0,
      includeArtifacts: false,
    } as never);
    expect(listed.tasks).toEqual([]);
  });
});
