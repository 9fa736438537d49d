import { GraphQLError } from 'graphql';
import { cancelWorkflowAnywhere, fingerprint, IdempotencyConflict, ShuttingDownError, startIdempotent, StoreUnavailableError } from '../bridge/index.js';
import type { WorkflowRecord } from '../store/index.js';
import { builder } from './builder.js';
import { IdempotencyConflictError, InvalidInputError, NotFoundError, UnknownAgentError } from './errors.js';
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

const RunAgentInput = builder.inputType('RunAgentInput', {
  fields: (t) => ({
    agentId: t.id({ required: true }),
    prompt: t.string({ required: false, description: 'Shorthand for one user message.' }),
    messages: t.field({ type: [MessageInput], required: false, description: 'The full chat input.' }),
    threadId: t.id({ required: false, description: 'Continue this conversation (or start one with this id).' }),
    metadata: t.field({ type: 'JSON', required: false, description: 'A JSON object kept with the workflow.' }),
    wait: t.boolean({ required: false, description: 'Return once the workflow has finished.' }),
    idempotencyKey: t.string({
      required: false,
      description:
        'The same key from the same tenant within 24 hours answers the same workflow (running or finished) and starts nothing; the same key with a different input is IdempotencyConflictError (docs/run-control.md).',
    }),
  }),
});

builder.mutationFields((t) => ({
  runAgent: t.field({
    type: RunAgentPayload,
    description: 'Starts an agent run as a new workflow; stream it with `agentStream`.',
    errors: { types: [UnknownAgentError, InvalidInputError, IdempotencyConflictError], directResult: true, union: { name: 'RunAgentResult' } },
    args: { input: t.arg({ type: RunAgentInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const agentId = String(input.agentId);
      if (!context.agents.get(agentId)) throw new UnknownAgentError(agentId);
      const { idempotencyKey, ...parsed } = parseRunInput(input);
      let workflow: WorkflowRecord;
      let started = true;
      try {
        if (idempotencyKey) {
          const request = { op: 'runAgent', agentId, input: parsed.input, threadId: parsed.threadId, metadata: parsed.metadata };
          const outcome = await startIdempotent(
            context.store,
            { tenantId: context.tenantId, key: idempotencyKey, fingerprint: fingerprint(request) },
            (workflowId) => context.runs.start({ agentId, tenantId: context.tenantId, ...parsed, workflowId }),
            (record) => record,
          );
          workflow = outcome.workflow;
          started = outcome.started !== null;
        } else {
          workflow = await context.runs.start({ agentId, tenantId: context.tenantId, ...parsed });
        }
      } catch (error) {
        if (error instanceof IdempotencyConflict) throw new IdempotencyConflictError(error.key, error.workflowId);
        if (error instanceof ShuttingDownError) {
          throw new GraphQLError(error.message, { extensions: { code: 'SHUTTING_DOWN' } });
        }
        if (error instanceof StoreUnavailableError) {
          throw new GraphQLError(error.message, { extensions: { code: 'STORE_UNAVAILABLE', http: { status: 503 } } });
        }
        throw error;
      }
      if (input.wait) {
        await context.runs.waitFor(workflow.id);
        workflow = (await context.store.getWorkflow(workflow.id)) ?? workflow;
        // A repeated key's workflow may run on another instance: wait for it through the store.
        if (!started) workflow = await waitUntilSettled(context.store, workflow);
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
      // The run may belong to another instance: the request then travels through the pubsub.
      const outcome = await cancelWorkflowAnywhere(context, id, args.reason ?? null);
      return new CancelWorkflowPayload(outcome.workflow ?? before, outcome.cancelled);
    },
  }),
}));

/** Polls the store until the workflow is neither QUEUED nor RUNNING (finished or paused). */
async function waitUntilSettled(store: { getWorkflow(id: string): Promise<WorkflowRecord | undefined> }, workflow: WorkflowRecord): Promise<WorkflowRecord> {
  let current = workflow;
  while (current.status === 'QUEUED' || current.status === 'RUNNING') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = (await store.getWorkflow(current.id)) ?? current;
  }
  return current;
}
