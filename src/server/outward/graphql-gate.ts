import type { IncomingMessage } from 'node:http';
import type { SynapseYoga } from '../yoga.js';
import { GraphqlErrorCode, UserErrorCode } from '../../errors/index.js';

/** A GraphQL error as the gateway answers it: the message and its `extensions.code`. */
export interface GateError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GateResult<T> {
  data: T | null;
  errors: GateError[];
}

/**
 * The outward protocols' way into the gateway: every start, cancel and read they need is a
 * GraphQL operation executed in-process through yoga with the caller's own credentials and
 * request id, so authentication, tenants, the scope table, body and operation limits, the
 * per-tenant run limits, masking, metrics and traces apply exactly as on `/graphql`
 * (docs/outward.md, "One gate"). Only the event stream itself is read directly
 * (`WorkflowStream`), after this gate has admitted the caller to the workflow.
 */
export async function executeAsCaller<T>(
  yoga: SynapseYoga,
  request: IncomingMessage,
  query: string,
  variables: Record<string, unknown>,
): Promise<GateResult<T>> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json',
  };
  for (const name of ['authorization', 'x-request-id', 'origin']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const response = await yoga.fetch(`http://synapse.internal${yoga.graphqlEndpoint}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T | null; errors?: GateError[] };
  return { data: body.data ?? null, errors: body.errors ?? [] };
}

/** The HTTP status an outward endpoint answers for a gateway error code. */
export function statusForCode(code: string | undefined): number {
  switch (code) {
    case GraphqlErrorCode.UNAUTHENTICATED:
      return 401;
    case GraphqlErrorCode.FORBIDDEN:
      return 403;
    case GraphqlErrorCode.NOT_FOUND:
    case UserErrorCode.UNKNOWN_AGENT:
      return 404;
    case GraphqlErrorCode.RATE_LIMITED:
      return 429;
    case GraphqlErrorCode.LIMIT_EXCEEDED:
    case GraphqlErrorCode.BAD_USER_INPUT:
    case UserErrorCode.INVALID_INPUT:
    case GraphqlErrorCode.GRAPHQL_VALIDATION_FAILED:
      return 400;
    case UserErrorCode.THREAD_BUSY:
    case UserErrorCode.IDEMPOTENCY_CONFLICT:
    case UserErrorCode.INTERRUPT_NOT_OPEN:
      return 409;
    case GraphqlErrorCode.SHUTTING_DOWN:
    case GraphqlErrorCode.STORE_UNAVAILABLE:
      return 503;
    default:
      return 500;
  }
}

const RUN_AGENT = /* GraphQL */ `
  mutation OutwardRun($input: RunAgentInput!) {
    runAgent(input: $input) {
      __typename
      ... on RunAgentPayload { workflow { id threadId } }
      ... on Error { code message }
      ... on InvalidInputError { field }
    }
  }
`;

/** Why the gate refused a start or a cancel: the HTTP status and the error an outward endpoint answers. */
export interface StartRefusal {
  status: number;
  code: string;
  message: string;
  field?: string;
  /** The GraphQL errors, when the refusal is one (authentication, scopes, limits). */
  errors?: GateError[];
}

/** `runAgent` with the caller's credentials: the started workflow, or why it was refused. */
export async function startRunAsCaller(
  yoga: SynapseYoga,
  request: IncomingMessage,
  input: Record<string, unknown>,
): Promise<{ workflow: { id: string; threadId: string } } | { refusal: StartRefusal }> {
  const started = await executeAsCaller<{
    runAgent: {
      __typename: string;
      workflow?: { id: string; threadId: string };
      code?: string;
      message?: string;
      field?: string;
    };
  }>(yoga, request, RUN_AGENT, { input });
  if (started.errors.length > 0) return { refusal: gateRefusal(started.errors) };
  const payload = started.data!.runAgent;
  if (payload.__typename === 'RunAgentPayload' && payload.workflow) return { workflow: payload.workflow };
  return {
    refusal: {
      status: statusForCode(payload.code),
      code: payload.code ?? UserErrorCode.INVALID_INPUT,
      message: payload.message ?? payload.__typename,
      ...(payload.field ? { field: payload.field } : {}),
    },
  };
}

const CANCEL = /* GraphQL */ `
  mutation OutwardCancel($id: ID!, $reason: String) {
    cancelWorkflow(id: $id, reason: $reason) {
      __typename
      ... on CancelWorkflowPayload { cancelled workflow { id status } }
      ... on Error { code message }
    }
  }
`;

/** `cancelWorkflow` with the caller's credentials: whether it cancelled and the status, or why it was refused. */
export async function cancelRunAsCaller(
  yoga: SynapseYoga,
  request: IncomingMessage,
  workflowId: string,
  reason: string,
): Promise<{ cancelled: boolean; status: string | undefined } | { refusal: StartRefusal }> {
  const result = await executeAsCaller<{
    cancelWorkflow: {
      __typename: string;
      cancelled?: boolean;
      workflow?: { id: string; status: string };
      code?: string;
      message?: string;
    };
  }>(yoga, request, CANCEL, { id: workflowId, reason });
  if (result.errors.length > 0) return { refusal: gateRefusal(result.errors) };
  const payload = result.data!.cancelWorkflow;
  if (payload.__typename === 'CancelWorkflowPayload')
    return { cancelled: payload.cancelled === true, status: payload.workflow?.status };
  return {
    refusal: {
      status: statusForCode(payload.code),
      code: payload.code ?? UserErrorCode.NOT_FOUND,
      message: payload.message ?? 'not found',
    },
  };
}

const THREAD_RUNS = /* GraphQL */ `query OutwardThreadRuns($id: ID!) { thread(id: $id) { workflows { id status agent { id } } } }`;
const PENDING = /* GraphQL */ `query OutwardPending($id: ID!) { workflow(id: $id) { lastSequence pendingInterrupts { interruptId kind arguments } } }`;
const RESPOND = /* GraphQL */ `
  mutation OutwardRespond($workflowId: ID!, $responses: [InterruptResponseInput!]!) {
    respondToInterrupts(workflowId: $workflowId, responses: $responses) {
      __typename
      ... on Error { code message }
      ... on InvalidInputError { field }
    }
  }
`;

/** An open interrupt of a paused run, as an outward protocol's answer needs it. */
export interface OpenInterrupt {
  interruptId: string;
  kind: string;
  arguments: unknown;
}

/**
 * Answers the interrupts of the thread's paused run of `agentId` with the caller's credentials
 * (docs/outward.md): finds the newest INPUT_REQUIRED workflow of the thread, builds the responses
 * from its open interrupts with `toResponses`, and commits them with `respondToInterrupts`.
 * Resolves with the workflow and the last sequence before the answers (where the protocol's
 * stream goes on from), or why it was refused: 409 `INTERRUPT_NOT_OPEN` when no run waits, the
 * gate's own errors, 400 / 404 / 409 for the answer's typed errors (nothing committed).
 */
export async function answerPausedRun(
  yoga: SynapseYoga,
  request: IncomingMessage,
  agentId: string,
  threadId: string,
  toResponses: (open: ReadonlyMap<string, OpenInterrupt>) => Record<string, unknown>[],
): Promise<{ workflowId: string; after: number } | { refusal: StartRefusal }> {
  const thread = await executeAsCaller<{
    thread: { workflows: { id: string; status: string; agent: { id: string } | null }[] } | null;
  }>(yoga, request, THREAD_RUNS, { id: threadId });
  if (thread.errors.length > 0) return { refusal: gateRefusal(thread.errors) };
  const paused = (thread.data?.thread?.workflows ?? []).findLast(
    (workflow) => workflow.status === 'INPUT_REQUIRED' && workflow.agent?.id === agentId,
  );
  if (!paused) {
    return {
      refusal: {
        status: 409,
        code: UserErrorCode.INTERRUPT_NOT_OPEN,
        message: `no run of agent "${agentId}" in thread "${threadId}" is waiting for an answer`,
      },
    };
  }
  const pending = await executeAsCaller<{
    workflow: { lastSequence: number; pendingInterrupts: OpenInterrupt[] } | null;
  }>(yoga, request, PENDING, { id: paused.id });
  if (pending.errors.length > 0) return { refusal: gateRefusal(pending.errors) };
  const open = new Map(
    (pending.data?.workflow?.pendingInterrupts ?? []).map((interrupt) => [interrupt.interruptId, interrupt]),
  );
  const answered = await executeAsCaller<{
    respondToInterrupts: { __typename: string; code?: string; message?: string; field?: string };
  }>(yoga, request, RESPOND, {
    workflowId: paused.id,
    responses: toResponses(open),
  });
  if (answered.errors.length > 0) return { refusal: gateRefusal(answered.errors) };
  const payload = answered.data!.respondToInterrupts;
  if (payload.__typename !== 'RespondToInterruptsPayload') {
    const status =
      payload.code === UserErrorCode.INVALID_INPUT ? 400 : payload.code === UserErrorCode.NOT_FOUND ? 404 : 409;
    return {
      refusal: {
        status,
        code: payload.code ?? UserErrorCode.INVALID_INPUT,
        message: payload.message ?? payload.__typename,
        ...(payload.field ? { field: payload.field } : {}),
      },
    };
  }
  return { workflowId: paused.id, after: pending.data?.workflow?.lastSequence ?? 0 };
}

function gateRefusal(errors: GateError[]): StartRefusal {
  const code = errors[0]!.extensions?.code ?? GraphqlErrorCode.INTERNAL_SERVER_ERROR;
  return { status: statusForCode(code), code, message: errors[0]!.message, errors };
}
