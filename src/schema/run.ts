import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { cancelWorkflowAnywhere, fingerprint, startIdempotent, type MultitaskStrategy } from '../bridge/index.js';
import type { SynapseContext } from './context.js';
import type { WorkflowRecord } from '../store/index.js';
import { builder } from './builder.js';
import {
  IdempotencyConflict,
  IdempotencyConflictError,
  InvalidInputError,
  NotFoundError,
  ShuttingDownError,
  StoreUnavailableError,
  ThreadBusy,
  ThreadBusyError,
  UnknownAgentError,
} from '../errors/index.js';
import { parseRunInput } from './run-input.js';
import { WorkflowRef } from './workflow.js';

class RunAgentPayload {
  constructor(readonly workflow: WorkflowRecord) {}
}

class CancelWorkflowPayload {
  constructor(
    readonly workflow: WorkflowRecord,
    readonly cancelled: boolean,
  ) {}
}

builder.objectType(RunAgentPayload, {
  name: 'RunAgentPayload',
  fields: (t) => ({
    workflow: t.field({
      type: WorkflowRef,
      description: 'The started workflow (RUNNING), or the finished one when the input said `wait: true`.',
      resolve: (payload) => payload.workflow,
    }),
  }),
});

builder.objectType(CancelWorkflowPayload, {
  name: 'CancelWorkflowPayload',
  fields: (t) => ({
    workflow: t.field({ type: WorkflowRef, resolve: (payload) => payload.workflow }),
    cancelled: t.exposeBoolean('cancelled', {
      description: 'False when the workflow had already finished: cancelling is idempotent.',
    }),
  }),
});

const MessageInput = builder.inputType('MessageInput', {
  fields: (t) => ({
    role: t.string({ required: true, description: 'system, user, assistant or tool.' }),
    content: t.string({ required: true }),
  }),
});

const ClientToolInput = builder.inputType('ClientToolInput', {
  description:
    'A tool the client runs itself: the agent runtime offers it to the model and waits for its result (docs/runtime.md).',
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string({ required: false }),
    inputSchema: t.field({ type: 'JSON', required: true, description: 'JSON Schema of the arguments.' }),
  }),
});

const MultitaskStrategyEnum = builder.enumType('MultitaskStrategy', {
  description:
    'What runAgent does when the thread already has a workflow that is queued, running or paused (docs/run-control.md).',
  values: {
    REJECT: { description: 'Refuse with ThreadBusyError naming the active workflow (the default).' },
    ENQUEUE: {
      description:
        'Queue the new run (QUEUED); it starts after the active ones end, with their answers in its thread history.',
    },
    INTERRUPT: {
      description: 'Cancel the active workflow (RunCancelled, its reason names the new one), then start the new run.',
    },
  } as const,
});

const RunAgentInput = builder.inputType('RunAgentInput', {
  fields: (t) => ({
    agentId: t.id({ required: true }),
    prompt: t.string({ required: false, description: 'Shorthand for one user message.' }),
    messages: t.field({ type: [MessageInput], required: false, description: 'The full chat input.' }),
    threadId: t.id({ required: false, description: 'Continue this conversation (or start one with this id).' }),
    metadata: t.field({ type: 'JSON', required: false, description: 'A JSON object kept with the workflow.' }),
    wait: t.boolean({ required: false, description: 'Return once the workflow has finished.' }),
    clientTools: t.field({
      type: [ClientToolInput],
      required: false,
      description:
        'Tools the client runs itself (openai-chat, openai-responses, anthropic-messages agents): a call waits as InterruptRequested CLIENT_TOOL.',
    }),
    idempotencyKey: t.string({
      required: false,
      description:
        'The same key from the same tenant within 24 hours answers the same workflow (running or finished) and starts nothing; the same key with a different input is IdempotencyConflictError (docs/run-control.md).',
    }),
    multitaskStrategy: t.field({
      type: MultitaskStrategyEnum,
      required: false,
      description: 'When the thread already has a queued, running or paused workflow (default REJECT).',
    }),
  }),
});

builder.mutationFields((t) => ({
  runAgent: t.field({
    type: RunAgentPayload,
    description: 'Starts an agent run as a new workflow; stream it with `agentStream`.',
    errors: {
      types: [UnknownAgentError, InvalidInputError, IdempotencyConflictError, ThreadBusyError],
      directResult: true,
      union: { name: 'RunAgentResult' },
    },
    args: { input: t.arg({ type: RunAgentInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const agentId = String(input.agentId);
      if (!context.agents.get(agentId)) throw new UnknownAgentError(agentId);
      const { idempotencyKey, ...parsed } = parseRunInput(input);
      let workflow: WorkflowRecord;
      const strategy: MultitaskStrategy = input.multitaskStrategy ?? 'REJECT';
      try {
        if (idempotencyKey) {
          const request = {
            op: 'runAgent',
            agentId,
            input: parsed.input,
            threadId: parsed.threadId,
            metadata: parsed.metadata,
          };
          const outcome = await startIdempotent(
            context.store,
            { tenantId: context.tenantId, key: idempotencyKey, fingerprint: fingerprint(request) },
            (workflowId) =>
              submit(
                context,
                { agentId, tenantId: context.tenantId, ...parsed, workflowId, onCreated: context.onRunCreated },
                strategy,
              ),
            (record) => record,
          );
          workflow = outcome.workflow;
        } else {
          workflow = await submit(
            context,
            {
              agentId,
              tenantId: context.tenantId,
              ...parsed,
              workflowId: randomUUID(),
              onCreated: context.onRunCreated,
            },
            strategy,
          );
        }
      } catch (error) {
        if (error instanceof IdempotencyConflict) throw new IdempotencyConflictError(error.key, error.workflowId);
        if (error instanceof ThreadBusy)
          throw new ThreadBusyError(error.threadId, error.active.id, error.active.status);
        if (error instanceof ShuttingDownError) {
          throw new GraphQLError(error.message, { extensions: { code: error.code } });
        }
        if (error instanceof StoreUnavailableError) {
          throw new GraphQLError(error.message, { extensions: { code: error.code, http: { status: 503 } } });
        }
        throw error;
      }
      if (input.wait) {
        await context.runs.waitFor(workflow.id);
        workflow = (await context.store.getWorkflow(workflow.id)) ?? workflow;
        // A repeated key's or a queued workflow may run on another instance: wait through the store.
        workflow = await waitUntilSettled(context.store, workflow);
      }
      return new RunAgentPayload(workflow);
    },
  }),
  cancelWorkflow: t.field({
    type: CancelWorkflowPayload,
    description: 'Cancels a running workflow: its upstream is aborted and it ends with RunCancelled.',
    errors: { types: [NotFoundError], directResult: true, union: { name: 'CancelWorkflowResult' } },
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: false }) },
    resolve: async (_root, args, context) => {
      const id = String(args.id);
      const before = await context.store.getWorkflow(id);
      if (!before || before.tenantId !== context.tenantId) throw new NotFoundError('workflow', id);
      // Queued: it ends here and its upstream is never called (docs/run-control.md).
      if (before.status === 'QUEUED' && (await context.queue?.cancelQueued(id, args.reason ?? null))) {
        return new CancelWorkflowPayload((await context.store.getWorkflow(id)) ?? before, true);
      }
      // The run may belong to another instance: the request then travels through the pubsub.
      const outcome = await cancelWorkflowAnywhere(context, id, args.reason ?? null);
      return new CancelWorkflowPayload(outcome.workflow ?? before, outcome.cancelled);
    },
  }),
}));

/** Polls the store until the workflow is neither QUEUED nor RUNNING (finished or paused). */
async function waitUntilSettled(
  store: { getWorkflow(id: string): Promise<WorkflowRecord | undefined> },
  workflow: WorkflowRecord,
): Promise<WorkflowRecord> {
  let current = workflow;
  while (current.status === 'QUEUED' || current.status === 'RUNNING') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = (await store.getWorkflow(current.id)) ?? current;
  }
  return current;
}

/** Starts the run, or queues it when its thread or agent is busy (docs/run-control.md). */
function submit(
  context: SynapseContext,
  request: Parameters<SynapseContext['runs']['start']>[0] & { workflowId: string },
  strategy: MultitaskStrategy,
): Promise<WorkflowRecord> {
  const withRequest = context.requestId !== undefined ? { ...request, requestId: context.requestId } : request;
  return context.queue ? context.queue.submit(withRequest, strategy) : context.runs.start(withRequest);
}
