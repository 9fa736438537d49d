import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AgentEvent } from '../../events/index.js';
import {
  A2A_RESUME_EXTENSION,
  A2A_SEQUENCE_KEY,
  A2aTaskMapper,
  isTerminalState,
  taskStateOf,
  type A2aStreamResponse,
  type A2aTask,
  type A2aTaskState,
} from '../../outward/a2a-events.js';
import type { SynapseServices } from '../../schema/index.js';
import type { SynapseYoga } from '../yoga.js';
import { applyCors } from './cors.js';
import { pumpWorkflow, startEventStream } from './event-source.js';
import { executeAsCaller, statusForCode, type GateError } from './graphql-gate.js';
import { readBody, replyJson, safeDecode } from './http-io.js';
import { GraphqlErrorCode, UserErrorCode } from '../../errors/index.js';

export interface A2aEndpointOptions {
  services: SynapseServices;
  yoga: SynapseYoga;
  maxBodyBytes: number;
  allowedOrigins?: readonly string[];
  /** `auth.required`: the card then names the bearer scheme every method needs. */
  authRequired?: boolean;
}

/** The A2A error codes (JSON-RPC binding), docs/a2a.md "Errors". */
export const A2A_ERROR = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  TASK_NOT_FOUND: -32001,
  TASK_NOT_CANCELABLE: -32002,
  PUSH_NOTIFICATION_NOT_SUPPORTED: -32003,
  UNSUPPORTED_OPERATION: -32004,
  EXTENDED_CARD_NOT_CONFIGURED: -32007,
  VERSION_NOT_SUPPORTED: -32009,
  /** Synapse: the gateway refused the caller (data.code: UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED, …). */
  GATEWAY_REFUSED: -32000,
} as const;

/** The A2A 0.3 method names, answered with VERSION_NOT_SUPPORTED (this endpoint speaks 1.0). */
const LEGACY_METHODS = new Set([
  'message/send',
  'message/stream',
  'tasks/get',
  'tasks/cancel',
  'tasks/resubscribe',
  'tasks/list',
  'agent/getAuthenticatedExtendedCard',
]);
const PUSH_METHODS = new Set([
  'CreateTaskPushNotificationConfig',
  'GetTaskPushNotificationConfig',
  'ListTaskPushNotificationConfigs',
  'DeleteTaskPushNotificationConfig',
]);

type RpcId = string | number | null;
class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus = 200,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const Envelope = z.looseObject({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number(), z.null()]).optional(),
  method: z.string().min(1),
  params: z.record(z.string(), z.unknown()).optional(),
});
const Part = z.looseObject({
  text: z.string().optional(),
  data: z.unknown().optional(),
  url: z.string().optional(),
  raw: z.string().optional(),
  mediaType: z.string().optional(),
});
const Message = z.looseObject({
  messageId: z.string().min(1),
  contextId: z.string().optional(),
  taskId: z.string().optional(),
  role: z.string(),
  parts: z.array(Part).min(1),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
const SendParams = z.looseObject({
  message: Message,
  configuration: z
    .looseObject({ returnImmediately: z.boolean().optional(), historyLength: z.number().optional() })
    .optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
const TaskIdParams = z.looseObject({ id: z.string().min(1), afterSequence: z.number().int().nonnegative().optional() });
const ListParams = z.looseObject({
  contextId: z.string().optional(),
  status: z.string().optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
  pageToken: z.string().optional(),
  includeArtifacts: z.boolean().optional(),
});

const WORKFLOW = /* GraphQL */ `
  query A2aTask($id: ID!) {
    workflow(id: $id) {
      id threadId status lastSequence agent { id }
      pendingInterrupts { interruptId kind message tool responseSchema }
    }
  }
`;
interface GateWorkflow {
  id: string;
  threadId: string | null;
  status: string;
  lastSequence: number;
  agent: { id: string } | null;
  pendingInterrupts: {
    interruptId: string;
    kind: string;
    message: string;
    tool: string | null;
    responseSchema: unknown;
  }[];
}
const RUN_AGENT = /* GraphQL */ `
  mutation A2aRun($input: RunAgentInput!) {
    runAgent(input: $input) {
      __typename
      ... on RunAgentPayload { workflow { id threadId } }
      ... on Error { code message }
      ... on InvalidInputError { field }
    }
  }
`;
const RESPOND = /* GraphQL */ `
  mutation A2aRespond($id: ID!, $responses: [InterruptResponseInput!]!) {
    respondToInterrupts(workflowId: $id, responses: $responses) {
      __typename
      ... on Error { code message }
      ... on InvalidInputError { field }
    }
  }
`;
const CANCEL = /* GraphQL */ `
  mutation A2aCancel($id: ID!) {
    cancelWorkflow(id: $id, reason: "cancelled through A2A") {
      __typename
      ... on CancelWorkflowPayload { cancelled workflow { id status } }
      ... on Error { code message }
    }
  }
`;
const LIST = /* GraphQL */ `
  query A2aList($filter: WorkflowFilter, $first: Int, $after: String) {
    workflows(filter: $filter, first: $first, after: $after) {
      edges { node { id threadId status } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
const STATE_TO_STATUS: Record<string, string[]> = {
  TASK_STATE_SUBMITTED: ['QUEUED'],
  TASK_STATE_WORKING: ['RUNNING'],
  TASK_STATE_INPUT_REQUIRED: ['INPUT_REQUIRED'],
  TASK_STATE_COMPLETED: ['SUCCEEDED'],
  TASK_STATE_FAILED: ['FAILED', 'INTERRUPTED'],
  TASK_STATE_CANCELED: ['CANCELLED'],
};

/**
 * A2A 1.0 over JSON-RPC for every agent (docs/a2a.md):
 * - `GET /a2a/{agentId}/.well-known/agent-card.json`: the agent card (public);
 * - `POST /a2a/{agentId}`: SendMessage, SendStreamingMessage, GetTask, ListTasks, CancelTask,
 *   SubscribeToTask. Task = workflow, contextId = thread. Every start, read, answer and cancel is a
 *   GraphQL operation with the caller's credentials (graphql-gate.ts); another tenant's task is
 *   the unknown-task error. Returns false for any other path.
 */
export async function handleA2a(
  request: IncomingMessage,
  response: ServerResponse,
  options: A2aEndpointOptions,
): Promise<boolean> {
  const path = (request.url ?? '').split('?')[0]!;
  if (!path.startsWith('/a2a/')) return false;
  if (applyCors(request, response, options.allowedOrigins)) return true;
  const parts = path.slice('/a2a/'.length).split('/').map(safeDecode);
  const agentId = parts[0] ?? '';
  const known = agentId !== '' && options.services.agents.get(agentId) !== undefined;
  if (
    parts.length === 3 &&
    parts[1] === '.well-known' &&
    (parts[2] === 'agent-card.json' || parts[2] === 'agent.json') &&
    request.method === 'GET'
  ) {
    if (!known)
      return (
        replyJson(response, 404, { error: { code: UserErrorCode.UNKNOWN_AGENT, message: `no agent "${agentId}"` } }),
        true
      );
    replyJson(response, 200, agentCard(request, options, agentId));
    return true;
  }
  if (parts.length === 1 && request.method === 'POST') {
    await rpc(request, response, options, agentId, known);
    return true;
  }
  replyJson(response, 404, {
    error: { code: GraphqlErrorCode.NOT_FOUND, message: `no A2A endpoint ${request.method} ${path}` },
  });
  return true;
}

function agentCard(request: IncomingMessage, options: A2aEndpointOptions, agentId: string): Record<string, unknown> {
  const agent = options.services.agents.get(agentId)!;
  const forwardedProto = request.headers['x-forwarded-proto'];
  const proto = typeof forwardedProto === 'string' ? forwardedProto.split(',')[0]!.trim() : 'http';
  const url = `${proto}://${request.headers.host ?? 'localhost'}/a2a/${encodeURIComponent(agentId)}`;
  const tools = options.services.tools.list(agentId) ?? [];
  const skills = tools.map((tool) => ({
    id: tool.name,
    name: tool.name,
    description: tool.description ?? tool.name,
    tags: ['tool'],
  }));
  if (skills.length === 0)
    skills.push({
      id: 'chat',
      name: agentId,
      description: agent.config.description ?? `Chat with ${agentId}`,
      tags: ['chat'],
    });
  return {
    name: agentId,
    description: agent.config.description ?? `The ${agentId} agent (${agent.config.dialect}), served by Synapse`,
    supportedInterfaces: [{ url, protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
    provider: { organization: 'Synapse', url: url.replace(/\/a2a\/.*$/, '/') },
    version: '1.0.0',
    capabilities: {
      streaming: true,
      pushNotifications: false,
      extensions: [
        {
          uri: A2A_RESUME_EXTENSION,
          description:
            'SubscribeToTask continues after a workflow sequence (Last-Event-ID or params.afterSequence); every update carries metadata "synapse.sequence"',
          required: false,
        },
      ],
    },
    ...(options.authRequired
      ? {
          securitySchemes: {
            bearer: {
              httpAuthSecurityScheme: { scheme: 'Bearer', description: 'A Synapse API key or JWT, as on /graphql' },
            },
          },
          securityRequirements: [{ schemes: { bearer: { list: [] } } }],
        }
      : {}),
    defaultInputModes: ['text/plain', 'application/json'],
    defaultOutputModes: ['text/plain', 'application/json'],
    skills,
  };
}

async function rpc(
  request: IncomingMessage,
  response: ServerResponse,
  options: A2aEndpointOptions,
  agentId: string,
  known: boolean,
): Promise<void> {
  let id: RpcId = null;
  try {
    const body = await readBody(request, options.maxBodyBytes);
    if (body === null)
      throw new RpcError(
        A2A_ERROR.INVALID_REQUEST,
        `the request body is larger than limits.maxBodyBytes (${options.maxBodyBytes})`,
        413,
      );
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch {
      throw new RpcError(A2A_ERROR.PARSE_ERROR, 'the body is not JSON');
    }
    if (Array.isArray(raw))
      throw new RpcError(A2A_ERROR.INVALID_REQUEST, 'JSON-RPC batches are not supported: send one request per POST');
    if (raw && typeof raw === 'object' && 'id' in raw) {
      const candidate = raw.id;
      if (typeof candidate === 'string' || typeof candidate === 'number') id = candidate;
    }
    const envelope = Envelope.safeParse(raw);
    if (!envelope.success)
      throw new RpcError(
        A2A_ERROR.INVALID_REQUEST,
        `not a JSON-RPC 2.0 request: ${envelope.error.issues[0]!.path.join('.') || 'body'} ${envelope.error.issues[0]!.message}`,
      );
    const { method } = envelope.data;
    const params = envelope.data.params ?? {};
    const version = request.headers['a2a-version'];
    if (typeof version === 'string' && version.trim() !== '' && !/^1(\.\d+)?$/.test(version.trim())) {
      throw new RpcError(
        A2A_ERROR.VERSION_NOT_SUPPORTED,
        `A2A-Version ${version} is not supported: this endpoint speaks A2A 1.0`,
      );
    }
    if (LEGACY_METHODS.has(method))
      throw new RpcError(
        A2A_ERROR.VERSION_NOT_SUPPORTED,
        `"${method}" is A2A 0.3: this endpoint speaks A2A 1.0 (SendMessage, SendStreamingMessage, GetTask, ListTasks, CancelTask, SubscribeToTask)`,
      );
    if (PUSH_METHODS.has(method))
      throw new RpcError(
        A2A_ERROR.PUSH_NOTIFICATION_NOT_SUPPORTED,
        'push notifications are not supported: stream the task, or use Synapse webhooks',
      );
    if (method === 'GetExtendedAgentCard')
      throw new RpcError(A2A_ERROR.EXTENDED_CARD_NOT_CONFIGURED, 'there is no extended agent card');
    const handler = METHODS[method];
    if (!handler) throw new RpcError(A2A_ERROR.METHOD_NOT_FOUND, `unknown method "${method}"`);
    if (!known) throw new RpcError(A2A_ERROR.INVALID_PARAMS, `no agent "${agentId}"`, 404);
    const call: Call = { request, response, options, agentId, id, params };
    const result = await handler(call);
    if (result !== STREAMED) replyJson(response, 200, { jsonrpc: '2.0', id, result });
  } catch (error) {
    if (response.headersSent) {
      // A stream already started: the error is its last frame.
      if (!response.writableEnded) response.end(`data: ${JSON.stringify(errorBody(id, error))}\n\n`);
      return;
    }
    const status = error instanceof RpcError ? error.httpStatus : 500;
    const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer' } : {};
    replyJson(response, status, errorBody(id, error), headers);
  }
}

function errorBody(id: RpcId, error: unknown): Record<string, unknown> {
  if (error instanceof RpcError)
    return {
      jsonrpc: '2.0',
      id,
      error: { code: error.code, message: error.message, ...(error.data ? { data: error.data } : {}) },
    };
  return { jsonrpc: '2.0', id, error: { code: A2A_ERROR.INTERNAL_ERROR, message: 'internal error' } };
}

const STREAMED = Symbol('streamed');
interface Call {
  request: IncomingMessage;
  response: ServerResponse;
  options: A2aEndpointOptions;
  agentId: string;
  id: RpcId;
  params: Record<string, unknown>;
}
type Handler = (call: Call) => Promise<unknown>;
const METHODS: Record<string, Handler> = {
  SendMessage: (call) => send(call, false),
  SendStreamingMessage: (call) => send(call, true),
  GetTask: getTask,
  ListTasks: listTasks,
  CancelTask: cancelTask,
  SubscribeToTask: subscribe,
};

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new RpcError(A2A_ERROR.INVALID_PARAMS, `params.${issue.path.join('.')}: ${issue.message}`, 200, {
    field: `params.${issue.path.join('.')}`,
  });
}

/** The gate's GraphQL errors as a JSON-RPC error with the HTTP status /graphql would answer. */
function gateError(errors: GateError[]): RpcError {
  const [first] = errors;
  const code = first?.extensions?.code ?? GraphqlErrorCode.INTERNAL_SERVER_ERROR;
  return new RpcError(
    A2A_ERROR.GATEWAY_REFUSED,
    first?.message ?? 'the gateway refused the request',
    statusForCode(code),
    { code },
  );
}

async function gate<T>(call: Call, query: string, variables: Record<string, unknown>): Promise<T> {
  const result = await executeAsCaller<T>(call.options.yoga, call.request, query, variables);
  if (result.errors.length > 0) throw gateError(result.errors);
  return result.data!;
}

/** The caller's workflow of this agent, or the unknown-task error (another tenant's is unknown too). */
async function findTask(call: Call, taskId: string): Promise<GateWorkflow> {
  const data = await gate<{ workflow: GateWorkflow | null }>(call, WORKFLOW, { id: taskId });
  const workflow = data.workflow;
  if (!workflow || workflow.agent?.id !== call.agentId)
    throw new RpcError(A2A_ERROR.TASK_NOT_FOUND, `no task "${taskId}"`, 200, { taskId });
  return workflow;
}

/** Folds the stored events (after the gate admitted the caller) into the task they describe. */
async function storedTask(call: Call, workflow: GateWorkflow): Promise<A2aTask> {
  const mapper = new A2aTaskMapper({ taskId: workflow.id, contextId: workflow.threadId ?? workflow.id });
  let after = 0;
  for (;;) {
    const page = await call.options.services.store.readEvents(workflow.id, after, 1000);
    for (const event of page) mapper.map(event);
    if (page.length < 1000) break;
    after = page.at(-1)!.sequence;
  }
  const task = mapper.snapshot();
  // The workflow's own status is the truth (QUEUED, INTERRUPTED have no event of their own).
  task.status.state = taskStateOf(workflow.status);
  return task;
}

async function getTask(call: Call): Promise<unknown> {
  const { id } = parse(TaskIdParams, call.params);
  return storedTask(call, await findTask(call, id));
}

async function listTasks(call: Call): Promise<unknown> {
  const params = parse(ListParams, call.params);
  let status: string[] | undefined;
  if (params.status && params.status !== 'TASK_STATE_UNSPECIFIED') {
    status = STATE_TO_STATUS[params.status];
    if (!status)
      throw new RpcError(A2A_ERROR.INVALID_PARAMS, `params.status: unknown task state "${params.status}"`, 200, {
        field: 'params.status',
      });
  }
  const pageSize = params.pageSize ?? 50;
  const filter = {
    agentId: call.agentId,
    kind: 'AGENT_RUN',
    ...(params.contextId ? { threadId: params.contextId } : {}),
    ...(status ? { status } : {}),
  };
  const data = await gate<{
    workflows: { edges: { node: GateWorkflow }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  }>(call, LIST, {
    filter,
    first: pageSize,
    ...(params.pageToken ? { after: params.pageToken } : {}),
  });
  const tasks: A2aTask[] = [];
  for (const { node } of data.workflows.edges) {
    if (params.includeArtifacts)
      tasks.push(
        await storedTask(call, { ...node, lastSequence: 0, agent: { id: call.agentId }, pendingInterrupts: [] }),
      );
    else tasks.push({ id: node.id, contextId: node.threadId ?? node.id, status: { state: taskStateOf(node.status) } });
  }
  return {
    tasks,
    nextPageToken: data.workflows.pageInfo.hasNextPage ? (data.workflows.pageInfo.endCursor ?? '') : '',
    pageSize,
    totalSize: tasks.length,
  };
}

async function cancelTask(call: Call): Promise<unknown> {
  const { id } = parse(TaskIdParams, call.params);
  const workflow = await findTask(call, id);
  if (isTerminalState(taskStateOf(workflow.status))) {
    throw new RpcError(
      A2A_ERROR.TASK_NOT_CANCELABLE,
      `task "${id}" has already ended (${taskStateOf(workflow.status)})`,
      200,
      { taskId: id },
    );
  }
  const data = await gate<{
    cancelWorkflow: { __typename: string; cancelled?: boolean; code?: string; message?: string };
  }>(call, CANCEL, { id });
  if (data.cancelWorkflow.__typename !== 'CancelWorkflowPayload')
    throw new RpcError(A2A_ERROR.TASK_NOT_FOUND, `no task "${id}"`);
  if (!data.cancelWorkflow.cancelled)
    throw new RpcError(A2A_ERROR.TASK_NOT_CANCELABLE, `task "${id}" could not be cancelled: it has ended`);
  // The cancel is committed as RunCancelled by the run's owner: answer once it is stored.
  return waitForTask(call, await findTask(call, id), 0, 'terminal');
}

/** Parses SubscribeToTask's cursor: the resume extension's `Last-Event-ID` header or `params.afterSequence`. */
function resumeCursor(call: Call, fromParams: number | undefined): number | null {
  const header = call.request.headers['last-event-id'];
  if (typeof header === 'string' && header.trim() !== '') {
    const value = Number(header.trim());
    if (!Number.isInteger(value) || value < 0)
      throw new RpcError(
        A2A_ERROR.INVALID_PARAMS,
        `Last-Event-ID must be a workflow sequence (a whole number ≥ 0), got "${header}"`,
      );
    return value;
  }
  return fromParams ?? null;
}

async function subscribe(call: Call): Promise<unknown> {
  const params = parse(TaskIdParams, call.params);
  const cursor = resumeCursor(call, params.afterSequence);
  const workflow = await findTask(call, params.id);
  await streamTask(call, workflow, cursor === null ? { snapshotAt: workflow.lastSequence } : { after: cursor }, false);
  return STREAMED;
}

async function send(call: Call, streaming: boolean): Promise<unknown> {
  const params = parse(SendParams, call.params);
  const { message } = params;
  if (message.role !== 'ROLE_USER' && message.role !== 'user')
    throw new RpcError(A2A_ERROR.INVALID_PARAMS, 'params.message.role: a client sends ROLE_USER messages', 200, {
      field: 'params.message.role',
    });
  const text = message.parts.map((part) => part.text ?? '').join('');
  const data = message.parts.filter((part) => part.data !== undefined).map((part) => part.data);

  let workflow: GateWorkflow;
  if (message.taskId) {
    workflow = await findTask(call, message.taskId);
    if (message.contextId && workflow.threadId && message.contextId !== workflow.threadId) {
      throw new RpcError(
        A2A_ERROR.INVALID_PARAMS,
        `params.message.contextId: task "${workflow.id}" belongs to context "${workflow.threadId}"`,
        200,
        { field: 'params.message.contextId' },
      );
    }
    const state = taskStateOf(workflow.status);
    if (state !== 'TASK_STATE_INPUT_REQUIRED') {
      const why = isTerminalState(state)
        ? `task "${workflow.id}" has ended (${state}): send a new message with its contextId to continue the conversation`
        : `task "${workflow.id}" is ${state}, not waiting for input`;
      throw new RpcError(A2A_ERROR.UNSUPPORTED_OPERATION, why, 200, { taskId: workflow.id });
    }
    const responses = interruptAnswers(workflow, text, data);
    const answered = await gate<{
      respondToInterrupts: { __typename: string; code?: string; message?: string; field?: string };
    }>(call, RESPOND, { id: workflow.id, responses });
    const payload = answered.respondToInterrupts;
    if (payload.__typename === 'NotFoundError')
      throw new RpcError(A2A_ERROR.TASK_NOT_FOUND, `no task "${workflow.id}"`);
    if (payload.__typename !== 'RespondToInterruptsPayload') {
      throw new RpcError(
        A2A_ERROR.INVALID_PARAMS,
        `the message does not answer the task's question: ${payload.message ?? payload.__typename}`,
        200,
        { code: payload.code, field: payload.field },
      );
    }
  } else {
    if (text.trim() === '' && data.length === 0)
      throw new RpcError(A2A_ERROR.INVALID_PARAMS, 'params.message.parts: no text or data to send', 200, {
        field: 'params.message.parts',
      });
    const content = text.trim() !== '' ? text : JSON.stringify(data.length === 1 ? data[0] : data);
    const metadata = {
      a2a: { messageId: message.messageId, ...(params.metadata ? { metadata: params.metadata } : {}) },
    };
    const started = await gate<{
      runAgent: {
        __typename: string;
        workflow?: { id: string; threadId: string };
        code?: string;
        message?: string;
        field?: string;
      };
    }>(call, RUN_AGENT, {
      input: {
        agentId: call.agentId,
        messages: [{ role: 'user', content }],
        metadata,
        ...(message.contextId ? { threadId: message.contextId } : {}),
      },
    });
    const payload = started.runAgent;
    if (payload.__typename !== 'RunAgentPayload' || !payload.workflow) {
      const field = payload.field === 'threadId' ? 'params.message.contextId' : payload.field;
      throw new RpcError(
        A2A_ERROR.INVALID_PARAMS,
        payload.message ?? payload.__typename,
        statusForCode(payload.code) === 404 ? 404 : 200,
        { code: payload.code, ...(field ? { field } : {}) },
      );
    }
    workflow = {
      id: payload.workflow.id,
      threadId: payload.workflow.threadId,
      status: 'QUEUED',
      lastSequence: 0,
      agent: { id: call.agentId },
      pendingInterrupts: [],
    };
  }
  if (streaming) {
    await streamTask(call, workflow, { snapshotAt: message.taskId ? workflow.lastSequence : 0 }, true);
    return STREAMED;
  }
  if (params.configuration?.returnImmediately)
    return { task: await waitForTask(call, workflow, message.taskId ? workflow.lastSequence : 0, 'now') };
  return { task: await waitForTask(call, workflow, message.taskId ? workflow.lastSequence : 0, 'settled') };
}

/**
 * A follow-up message's answers to the task's open interrupts (docs/a2a.md, "Input required"):
 * a data part `{ responses: [InterruptResponseInput…] }` is passed as is; otherwise an INPUT or
 * CLIENT_TOOL interrupt is answered RESPOND with the data part (or the text), a TOOL_APPROVAL
 * APPROVE when the text says yes (yes, y, approve, approved, ok), else REJECT with the text.
 */
function interruptAnswers(workflow: GateWorkflow, text: string, data: unknown[]): Record<string, unknown>[] {
  const explicit = data.find(
    (value): value is { responses: Record<string, unknown>[] } =>
      typeof value === 'object' && value !== null && Array.isArray((value as { responses?: unknown }).responses),
  );
  if (explicit) return explicit.responses;
  const value = data.length > 0 ? data[0] : text;
  return workflow.pendingInterrupts.map((interrupt) => {
    if (interrupt.kind === 'TOOL_APPROVAL') {
      return /^\s*(y|yes|approve|approved|ok|okay)\s*[.!]?\s*$/i.test(text) ||
        (typeof value === 'object' && (value as { decision?: unknown } | null)?.decision === 'APPROVE')
        ? { interruptId: interrupt.interruptId, decision: 'APPROVE' }
        : { interruptId: interrupt.interruptId, decision: 'REJECT', message: text || 'rejected through A2A' };
    }
    return { interruptId: interrupt.interruptId, decision: 'RESPOND', value };
  });
}

type StreamStart = { snapshotAt: number } | { after: number };

/**
 * Streams a task as SSE: a snapshot of the task after event `snapshotAt` first (lossless: the
 * events up to it are folded into it), then one response per later event; or, with the resume
 * extension's cursor, the responses of the events after `after` only. Each frame's SSE id is the
 * workflow sequence it comes from. `stopAtInput`: SendStreamingMessage ends on INPUT_REQUIRED
 * (the task is interrupted, as A2A streams end); SubscribeToTask stays until the task ends.
 */
async function streamTask(call: Call, workflow: GateWorkflow, start: StreamStart, stopAtInput: boolean): Promise<void> {
  const { response } = call;
  const mapper = new A2aTaskMapper({ taskId: workflow.id, contextId: workflow.threadId ?? workflow.id });
  const frame = (sequence: number, result: A2aStreamResponse) =>
    `id: ${sequence}\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: call.id, result })}\n\n`;
  let snapshotSent = !('snapshotAt' in start);
  const boundary = 'snapshotAt' in start ? start.snapshotAt : start.after;
  let interrupted = false;
  startEventStream(response);
  if (!snapshotSent && boundary === 0) {
    response.write(frame(0, { task: mapper.snapshot() }));
    snapshotSent = true;
  }
  await pumpWorkflow(response, {
    services: call.options.services,
    workflowId: workflow.id,
    afterSequence: 0,
    write: (events: AgentEvent[]) => {
      let text = '';
      for (const event of events) {
        const responses = mapper.map(event);
        if (event.sequence <= boundary) {
          if (!snapshotSent && event.sequence === boundary) {
            text += frame(event.sequence, { task: mapper.snapshot() });
            snapshotSent = true;
          }
          continue;
        }
        if (!snapshotSent) {
          text += frame(boundary, { task: mapper.snapshot() });
          snapshotSent = true;
        }
        if (event.type === 'InterruptRequested') interrupted = true;
        for (const item of responses) text += frame(event.sequence, item);
      }
      return text === '' ? true : response.write(text);
    },
    heartbeat: () => response.write(': keep-alive\n\n'),
    shouldStop: () => stopAtInput && interrupted && mapper.taskState === 'TASK_STATE_INPUT_REQUIRED',
  });
  if (!snapshotSent && !response.writableEnded) response.write(frame(mapper.lastSequence, { task: mapper.snapshot() }));
  response.end();
}

/**
 * Follows a task without streaming it, and answers its snapshot: `now` at once (after the events
 * up to `from`), `settled` once it ends or asks for input after `from` (a blocking SendMessage),
 * `terminal` once it ends.
 */
async function waitForTask(
  call: Call,
  workflow: GateWorkflow,
  from: number,
  until: 'now' | 'settled' | 'terminal',
): Promise<A2aTask> {
  if (until === 'now') return storedTask(call, await findTask(call, workflow.id));
  const mapper = new A2aTaskMapper({ taskId: workflow.id, contextId: workflow.threadId ?? workflow.id });
  let interrupted = false;
  const finished = await pumpWorkflow(call.response, {
    services: call.options.services,
    workflowId: workflow.id,
    afterSequence: 0,
    write: (events) => {
      for (const event of events) {
        mapper.map(event);
        if (event.sequence > from && event.type === 'InterruptRequested') interrupted = true;
      }
      return true;
    },
    heartbeat: () => true,
    shouldStop: () => until === 'settled' && interrupted && mapper.taskState === 'TASK_STATE_INPUT_REQUIRED',
  });
  if (!finished) throw new RpcError(A2A_ERROR.INTERNAL_ERROR, 'the client went away');
  const state: A2aTaskState = mapper.taskState;
  const task = mapper.snapshot();
  task.status.state = state;
  task.metadata = { ...task.metadata, [A2A_SEQUENCE_KEY]: mapper.lastSequence };
  return task;
}
