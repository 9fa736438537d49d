import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { AgUiEventMapper, type AgUiEvent } from '../../outward/ag-ui-events.js';
import type { SynapseServices } from '../../schema/index.js';
import type { SynapseYoga } from '../yoga.js';
import { startEventStream, streamMapped } from './event-source.js';
import { newTurnMessages, type ClientMessage } from './new-turn.js';
import { readJsonBody, refuse, refuseGate, refuseStart, replyJson, safeDecode } from './http-io.js';
import { applyCors } from './cors.js';
import { answerPausedRun, cancelRunAsCaller, executeAsCaller, startRunAsCaller } from './graphql-gate.js';
import { GraphqlErrorCode, UserErrorCode } from '../../errors/index.js';

export interface AgUiEndpointOptions {
  services: SynapseServices;
  yoga: SynapseYoga;
  maxBodyBytes: number;
  /** `auth.allowedOrigins` (absent: any origin), as on `/graphql`. */
  allowedOrigins?: readonly string[];
}

/** `@ag-ui/encoder`'s SSE framing (`data: <json>\n\n`), with the workflow sequence as the frame's id. */
type Encode = (event: AgUiEvent) => string;

const ContentPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const AgUiMessage = z.looseObject({
  id: z.string().optional(),
  role: z.string(),
  content: z.union([z.string(), z.array(ContentPart)]).nullish(),
});
/** The part of AG-UI's RunAgentInput that Synapse reads (docs/outward.md); the rest is accepted and kept. */
const AgUiRunInput = z.looseObject({
  threadId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/, { error: 'must be 1–200 letters, digits, or _ . : -' }),
  runId: z.string().max(200).optional(),
  messages: z.array(AgUiMessage),
  tools: z
    .array(z.looseObject({ name: z.string(), description: z.string().optional(), parameters: z.unknown().optional() }))
    .optional(),
  state: z.unknown().optional(),
  resume: z
    .array(
      z.looseObject({
        interruptId: z.string(),
        status: z.enum(['resolved', 'cancelled']),
        payload: z.unknown().optional(),
      }),
    )
    .optional(),
  forwardedProps: z.unknown().optional(),
});

const THREAD = /* GraphQL */ `query AgUiThread($id: ID!) { thread(id: $id) { id } }`;
const WORKFLOW = /* GraphQL */ `query AgUiWorkflow($id: ID!) { workflow(id: $id) { id threadId status lastSequence } }`;
/**
 * AG-UI 1.0 over HTTP (docs/outward.md):
 * - `POST /ag-ui/{agentId}`: AG-UI's RunAgentInput in, the run as an SSE stream of AG-UI events
 *   out, each frame's `id` the workflow sequence of the event it comes from;
 * - `GET /ag-ui/runs/{runId}` (`Last-Event-ID: N`): the events after N, then live;
 * - `POST /ag-ui/runs/{runId}/cancel`: cancels the run (a disconnect does not).
 * `runId` in every event is the workflow id. Returns false for any other path.
 */
export async function handleAgUi(
  request: IncomingMessage,
  response: ServerResponse,
  options: AgUiEndpointOptions,
): Promise<boolean> {
  const path = (request.url ?? '').split('?')[0]!;
  if (!path.startsWith('/ag-ui/')) return false;
  if (applyCors(request, response, options.allowedOrigins)) return true;
  const parts = path.slice('/ag-ui/'.length).split('/').map(safeDecode);
  if (parts[0] === 'runs' && parts.length === 2 && request.method === 'GET') {
    await resume(request, response, options, parts[1]!);
  } else if (parts[0] === 'runs' && parts.length === 3 && parts[2] === 'cancel' && request.method === 'POST') {
    await cancel(request, response, options, parts[1]!);
  } else if (parts.length === 1 && parts[0] !== 'runs' && request.method === 'POST') {
    await run(request, response, options, parts[0]!);
  } else {
    replyJson(response, 404, {
      error: { code: GraphqlErrorCode.NOT_FOUND, message: `no AG-UI endpoint ${request.method} ${path}` },
    });
  }
  return true;
}

async function run(
  request: IncomingMessage,
  response: ServerResponse,
  options: AgUiEndpointOptions,
  agentId: string,
): Promise<void> {
  const input = await readJsonBody(request, response, options.maxBodyBytes, AgUiRunInput, 'AG-UI RunAgentInput');
  if (input === null) return;
  if (input.resume?.length) return answer(request, response, options, agentId, input.threadId, input.resume);
  const known = await executeAsCaller<{ thread: { id: string } | null }>(options.yoga, request, THREAD, {
    id: input.threadId,
  });
  if (known.errors.length > 0) return refuseGate(response, known.errors);
  const messages = newTurnMessages(clientMessages(input.messages), known.data?.thread != null);
  if (messages.length === 0)
    return refuse(response, 400, UserErrorCode.INVALID_INPUT, 'messages: no user message with text to run', 'messages');

  const metadata = {
    agUi: {
      ...(input.runId ? { runId: input.runId } : {}),
      ...(input.tools?.length ? { tools: input.tools.map((tool) => tool.name) } : {}),
    },
  };
  const clientTools = input.tools?.length ? { clientTools: input.tools.map(clientTool) } : {};
  const started = await startRunAsCaller(options.yoga, request, {
    agentId,
    messages,
    threadId: input.threadId,
    metadata,
    ...clientTools,
  });
  if ('refusal' in started) return refuseStart(response, started.refusal);
  await stream(response, options, started.workflow.id, started.workflow.threadId, 0);
}

/**
 * A run whose `resume` entries answer the interrupts that ended the thread's last AG-UI run: they
 * become `respondToInterrupts` on the paused workflow (docs/outward.md, "Interrupts"), and the
 * answer streams that same workflow on from where the paused run's stream stopped.
 */
async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  options: AgUiEndpointOptions,
  agentId: string,
  threadId: string,
  entries: z.infer<typeof AgUiRunInput>['resume'] & {},
): Promise<void> {
  const answered = await answerPausedRun(options.yoga, request, agentId, threadId, (open) =>
    entries.map((entry) => responseOf(entry, open.get(entry.interruptId)?.kind)),
  );
  if ('refusal' in answered) {
    const { refusal } = answered;
    return refuseStart(response, {
      ...refusal,
      ...(refusal.field
        ? { field: refusal.field.replace(/^responses/, 'resume') }
        : refusal.code === UserErrorCode.INTERRUPT_NOT_OPEN
          ? { field: 'resume' }
          : {}),
    });
  }
  const opening: AgUiEvent = { type: 'RUN_STARTED', threadId, runId: answered.workflowId, timestamp: Date.now() };
  await stream(response, options, answered.workflowId, threadId, answered.after, opening);
}

/**
 * One resume entry as an interrupt response: `cancelled` is CANCEL; for a tool approval
 * `{ approved: true, arguments? }` (or `true`) is APPROVE and `{ approved: false, reason? }` (or
 * `false`) REJECT; anything else is RESPOND with the payload as the value. The same shapes the
 * `ag-ui` dialect sends upstream (docs/dialects.md).
 */
function responseOf(
  entry: { interruptId: string; status: 'resolved' | 'cancelled'; payload?: unknown },
  kind: string | undefined,
): Record<string, unknown> {
  if (entry.status === 'cancelled') return { interruptId: entry.interruptId, decision: 'CANCEL' };
  const payload = entry.payload;
  const approval =
    typeof payload === 'boolean'
      ? { approved: payload }
      : (payload as { approved?: unknown; arguments?: unknown; reason?: unknown } | null | undefined);
  if (kind === 'TOOL_APPROVAL' || (kind === 'CLIENT_TOOL' && approval?.approved === false)) {
    if (approval?.approved === false) {
      return {
        interruptId: entry.interruptId,
        decision: 'REJECT',
        ...(typeof approval.reason === 'string' ? { message: approval.reason } : {}),
      };
    }
    if (kind === 'TOOL_APPROVAL') {
      return {
        interruptId: entry.interruptId,
        decision: 'APPROVE',
        ...(approval?.arguments !== undefined ? { arguments: approval.arguments } : {}),
      };
    }
  }
  return { interruptId: entry.interruptId, decision: 'RESPOND', value: payload ?? null };
}

async function resume(
  request: IncomingMessage,
  response: ServerResponse,
  options: AgUiEndpointOptions,
  runId: string,
): Promise<void> {
  const header = request.headers['last-event-id'];
  const query = new URL(request.url ?? '/', 'http://synapse.internal').searchParams.get('after');
  const cursor = typeof header === 'string' && header.trim() !== '' ? header.trim() : query;
  const after = cursor === null ? 0 : Number(cursor);
  if (!Number.isInteger(after) || after < 0) {
    return refuse(
      response,
      400,
      UserErrorCode.INVALID_INPUT,
      `Last-Event-ID must be a sequence (a whole number ≥ 0), got "${cursor}"`,
      'Last-Event-ID',
    );
  }
  const found = await executeAsCaller<{ workflow: { id: string; threadId: string } | null }>(
    options.yoga,
    request,
    WORKFLOW,
    { id: runId },
  );
  if (found.errors.length > 0) return refuseGate(response, found.errors);
  // Another tenant's run answers exactly as a missing one.
  if (!found.data?.workflow) return refuse(response, 404, GraphqlErrorCode.NOT_FOUND, `no run with id "${runId}"`);
  await stream(response, options, runId, found.data.workflow.threadId, after);
}

async function cancel(
  request: IncomingMessage,
  response: ServerResponse,
  options: AgUiEndpointOptions,
  runId: string,
): Promise<void> {
  const outcome = await cancelRunAsCaller(options.yoga, request, runId, 'cancelled through AG-UI');
  if ('refusal' in outcome) return refuseStart(response, outcome.refusal);
  replyJson(response, 200, { runId, cancelled: outcome.cancelled, status: outcome.status });
}

/**
 * The run's AG-UI events from the start, mapped in order (the mapper's brackets depend on what
 * came before), with frames of events at or below `after` left out: `Last-Event-ID: N` gives
 * exactly what came after N.
 */
async function stream(
  response: ServerResponse,
  options: AgUiEndpointOptions,
  workflowId: string,
  threadId: string,
  after: number,
  opening?: AgUiEvent,
): Promise<void> {
  const encode = await loadEncoder();
  startEventStream(response);
  // A resumed run is a new AG-UI run: it opens with its own RUN_STARTED.
  if (opening) response.write(`id: ${after}\n${encode(opening)}`);
  // A paused workflow ends this AG-UI run with the interrupt outcome (docs/outward.md).
  await streamMapped(response, {
    services: options.services,
    workflowId,
    after,
    mapper: new AgUiEventMapper({ threadId, runId: workflowId }),
    encode: (event, sequence) => `id: ${sequence}\n${encode(event)}`,
  });
  response.end();
}

let encoder: Promise<Encode> | undefined;
/** `@ag-ui/encoder`, loaded with the first AG-UI stream (it is not needed to start the gateway). */
function loadEncoder(): Promise<Encode> {
  encoder ??= import('@ag-ui/encoder').then(({ EventEncoder }) => {
    const instance = new EventEncoder();
    return (event: AgUiEvent) => instance.encodeSSE(event as Parameters<typeof instance.encodeSSE>[0]);
  });
  return encoder;
}

/**
 * A frontend tool as a client tool of the run (docs/runtime.md): the agent runtime offers it
 * to the model, and a call waits as a CLIENT_TOOL interrupt that the next run's `resume` answers
 * with the tool's result.
 */
function clientTool(tool: { name: string; description?: string; parameters?: unknown }): {
  name: string;
  description: string | null;
  inputSchema: unknown;
} {
  const schema = tool.parameters;
  return {
    name: tool.name,
    description: tool.description ?? null,
    inputSchema:
      typeof schema === 'object' && schema !== null && !Array.isArray(schema)
        ? schema
        : { type: 'object', properties: {} },
  };
}

/** AG-UI messages reduced to role and text (tool traffic lives in Synapse's own thread history). */
function clientMessages(messages: z.infer<typeof AgUiMessage>[]): ClientMessage[] {
  return messages.map((message) => ({
    role: message.role,
    text:
      typeof message.content === 'string'
        ? message.content
        : (message.content ?? []).map((part) => part.text ?? '').join(''),
  }));
}
