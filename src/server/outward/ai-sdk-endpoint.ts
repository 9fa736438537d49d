import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { AiSdkChunkMapper } from '../../outward/ai-sdk-chunks.js';
import type { SynapseServices } from '../../schema/index.js';
import type { SynapseYoga } from '../yoga.js';
import { applyCors } from './cors.js';
import { startEventStream, streamMapped } from './event-source.js';
import { answerPausedRun, cancelRunAsCaller, executeAsCaller, startRunAsCaller } from './graphql-gate.js';
import { readJsonBody, refuse, refuseGate, refuseStart, replyJson, safeDecode } from './http-io.js';
import { newTurnMessages } from './new-turn.js';
import { GraphqlErrorCode, UserErrorCode } from '../../errors/index.js';

export interface AiSdkEndpointOptions {
  services: SynapseServices;
  yoga: SynapseYoga;
  maxBodyBytes: number;
  allowedOrigins?: readonly string[];
}

const UiPart = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  toolCallId: z.string().optional(),
  state: z.string().optional(),
  input: z.unknown().optional(),
  approval: z
    .looseObject({ id: z.string(), approved: z.boolean().optional(), reason: z.string().optional() })
    .optional(),
});
const UiMessage = z.looseObject({ id: z.string().optional(), role: z.string(), parts: z.array(UiPart).default([]) });
/** What `DefaultChatTransport.sendMessages` posts (docs/outward.md). */
const ChatRequest = z.looseObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/, { error: 'the chat id must be 1–200 letters, digits, or _ . : -' }),
  messages: z.array(UiMessage),
  trigger: z.string().optional(),
  messageId: z.string().optional(),
});

/** The states of a workflow the chat's active stream can be. */
const ACTIVE = new Set(['QUEUED', 'RUNNING', 'INPUT_REQUIRED']);

const THREAD = /* GraphQL */ `
  query AiSdkThread($id: ID!) { thread(id: $id) { id workflows { id status agent { id } } } }
`;
type Thread = { id: string; workflows: { id: string; status: string; agent: { id: string } | null }[] } | null;

/**
 * The AI SDK UI message stream (`x-vercel-ai-ui-message-stream: v1`, docs/outward.md):
 * - `POST /ai-sdk/{agentId}`: what `useChat`'s DefaultChatTransport sends; the chat id is the thread;
 * - `GET /ai-sdk/{agentId}/{chatId}/stream`: the chat's active run from its start, then live
 *   (`useChat({ resume: true })`; the transport treats it as a replay), or 204 when none is active;
 * - `POST /ai-sdk/{agentId}/{chatId}/cancel`: cancels the active run (`stop()` only disconnects).
 * Returns false for any other path.
 */
export async function handleAiSdk(
  request: IncomingMessage,
  response: ServerResponse,
  options: AiSdkEndpointOptions,
): Promise<boolean> {
  const path = (request.url ?? '').split('?')[0]!;
  if (!path.startsWith('/ai-sdk/')) return false;
  if (applyCors(request, response, options.allowedOrigins)) return true;
  const parts = path.slice('/ai-sdk/'.length).split('/').map(safeDecode);
  const [agentId, chatId, action] = parts;
  if (parts.length === 1 && request.method === 'POST') await chat(request, response, options, agentId!);
  else if (parts.length === 3 && action === 'stream' && request.method === 'GET')
    await resume(request, response, options, agentId!, chatId!);
  else if (parts.length === 3 && action === 'cancel' && request.method === 'POST')
    await cancel(request, response, options, agentId!, chatId!);
  else
    replyJson(response, 404, {
      error: { code: GraphqlErrorCode.NOT_FOUND, message: `no AI SDK endpoint ${request.method} ${path}` },
    });
  return true;
}

async function chat(
  request: IncomingMessage,
  response: ServerResponse,
  options: AiSdkEndpointOptions,
  agentId: string,
): Promise<void> {
  const chatRequest = await readJsonBody(
    request,
    response,
    options.maxBodyBytes,
    ChatRequest,
    'what DefaultChatTransport sends ({ id, messages })',
  );
  if (chatRequest === null) return;
  const approvals = approvalResponses(chatRequest.messages.at(-1));
  if (approvals.length > 0)
    return continueAfterApprovals(request, response, options, agentId, chatRequest.id, approvals);
  const known = await executeAsCaller<{ thread: Thread }>(options.yoga, request, THREAD, { id: chatRequest.id });
  if (known.errors.length > 0) return refuseGate(response, known.errors);
  const texts = chatRequest.messages.map((message) => ({
    role: message.role,
    text: message.parts
      .filter((part) => part.type === 'text')
      .map((part) => part.text ?? '')
      .join(''),
  }));
  const messages = newTurnMessages(texts, known.data?.thread != null);
  if (messages.length === 0)
    return refuse(response, 400, UserErrorCode.INVALID_INPUT, 'messages: no user message with text to run', 'messages');
  const metadata = { aiSdk: { trigger: chatRequest.trigger ?? 'submit-message' } };
  const started = await startRunAsCaller(options.yoga, request, {
    agentId,
    messages,
    threadId: chatRequest.id,
    metadata,
  });
  if ('refusal' in started) return refuseStart(response, started.refusal);
  await stream(response, options, started.workflow.id, chatRequest.id);
}

/** An approval the client answered: a tool part `approval-responded` of the last assistant message. */
interface ApprovalResponse {
  interruptId: string;
  approved: boolean;
  reason?: string;
  input: unknown;
}

function approvalResponses(message: z.infer<typeof UiMessage> | undefined): ApprovalResponse[] {
  if (message?.role !== 'assistant') return [];
  const responses: ApprovalResponse[] = [];
  for (const part of message.parts) {
    if (part.state !== 'approval-responded' || !part.approval || typeof part.approval.approved !== 'boolean') continue;
    responses.push({
      interruptId: part.approval.id,
      approved: part.approval.approved,
      input: part.input,
      ...(part.approval.reason ? { reason: part.approval.reason } : {}),
    });
  }
  return responses;
}

/**
 * The request `useChat` sends after `addToolApprovalResponse`: the answers become
 * `respondToInterrupts` on the chat's paused run (APPROVE, with the part's input as edited
 * arguments when it differs; REJECT with the reason), and the same assistant message goes on
 * with what the run does next (docs/outward.md, "Tool approvals").
 */
async function continueAfterApprovals(
  request: IncomingMessage,
  response: ServerResponse,
  options: AiSdkEndpointOptions,
  agentId: string,
  chatId: string,
  approvals: ApprovalResponse[],
): Promise<void> {
  const answered = await answerPausedRun(options.yoga, request, agentId, chatId, (open) =>
    approvals.map((approval) => {
      if (!approval.approved)
        return {
          interruptId: approval.interruptId,
          decision: 'REJECT',
          ...(approval.reason ? { message: approval.reason } : {}),
        };
      const asked = open.get(approval.interruptId)?.arguments;
      const edited =
        approval.input !== undefined &&
        open.has(approval.interruptId) &&
        JSON.stringify(approval.input) !== JSON.stringify(asked);
      return {
        interruptId: approval.interruptId,
        decision: 'APPROVE',
        ...(edited ? { arguments: approval.input } : {}),
      };
    }),
  );
  if ('refusal' in answered)
    return refuseStart(
      response,
      answered.refusal.code === UserErrorCode.INTERRUPT_NOT_OPEN
        ? { ...answered.refusal, field: 'messages' }
        : answered.refusal,
    );
  await stream(response, options, answered.workflowId, chatId, answered.after);
}

async function resume(
  request: IncomingMessage,
  response: ServerResponse,
  options: AiSdkEndpointOptions,
  agentId: string,
  chatId: string,
): Promise<void> {
  const active = await activeRun(request, response, options, agentId, chatId);
  if (active === undefined) return;
  if (active === null) {
    response.writeHead(204);
    response.end();
    return;
  }
  await stream(response, options, active, chatId);
}

async function cancel(
  request: IncomingMessage,
  response: ServerResponse,
  options: AiSdkEndpointOptions,
  agentId: string,
  chatId: string,
): Promise<void> {
  const active = await activeRun(request, response, options, agentId, chatId);
  if (active === undefined) return;
  if (active === null) return replyJson(response, 200, { chatId, cancelled: false });
  const outcome = await cancelRunAsCaller(options.yoga, request, active, 'cancelled through the AI SDK endpoint');
  if ('refusal' in outcome) return refuseStart(response, outcome.refusal);
  replyJson(response, 200, { chatId, workflowId: active, cancelled: outcome.cancelled });
}

/**
 * The workflow id of the chat's newest run of this agent that has not finished; null when there
 * is none (or the chat is another tenant's: the same answer). undefined when the gate refused
 * (the answer has been written).
 */
async function activeRun(
  request: IncomingMessage,
  response: ServerResponse,
  options: AiSdkEndpointOptions,
  agentId: string,
  chatId: string,
): Promise<string | null | undefined> {
  const found = await executeAsCaller<{ thread: Thread }>(options.yoga, request, THREAD, { id: chatId });
  if (found.errors.length > 0) {
    refuseGate(response, found.errors);
    return undefined;
  }
  const runs = found.data?.thread?.workflows ?? [];
  for (let index = runs.length - 1; index >= 0; index--) {
    const run = runs[index]!;
    if (run.agent?.id === agentId && ACTIVE.has(run.status)) return run.id;
  }
  return null;
}

/**
 * The workflow as UI message chunks, then `[DONE]`: from its first event, or, for a continuation
 * after approvals, only what comes after `after` (opened with a `start` of the same message, so
 * the client goes on with the message it has). A pause ends the stream with `finish`.
 */
async function stream(
  response: ServerResponse,
  options: AiSdkEndpointOptions,
  workflowId: string,
  chatId: string,
  after = 0,
): Promise<void> {
  startEventStream(response, { 'x-vercel-ai-ui-message-stream': 'v1' });
  if (after > 0) response.write(`data: ${JSON.stringify({ type: 'start', messageId: workflowId })}\n\n`);
  const end = await streamMapped(response, {
    services: options.services,
    workflowId,
    after,
    mapper: new AiSdkChunkMapper({ chatId, workflowId }),
    encode: (chunk) => `data: ${JSON.stringify(chunk)}\n\n`,
  });
  if (end === 'completed' || end === 'paused') response.end('data: [DONE]\n\n');
  else response.end();
}
