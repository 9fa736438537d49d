import { GraphQLError } from 'graphql';
import { cancelWorkflowAnywhere, ShuttingDownError, StoreUnavailableError } from '../bridge/index.js';
import type { WorkflowRecord } from '../store/index.js';
import { builder } from './builder.js';
import { InvalidInputError, NotFoundError, UnknownAgentError } from './errors.js';
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
  description: 'A tool the client runs itself: the agent runtime offers it to the model and waits for its result (docs/agent-runtime.md).',
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string({ required: false }),
    inputSchema: t.field({ type: 'JSON', required: true, description: 'JSON Schema of the arguments.' }),
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
    clientTools: t.field({
      type: [ClientToolInput],
      required: false,
      description: 'Tools the client runs itself (openai-chat, openai-responses, anthropic-messages agents): a call waits as InterruptRequested CLIENT_TOOL.',
    }),
  }),
});

builder.mutationFields((t) => ({
  runAgent: t.field({
    type: RunAgentPayload,
    description: 'Starts an agent run as a new workflow; stream it with `agentStream`.',
    errors: { types: [UnknownAgentError, InvalidInputError], directResult: true, union: { name: 'RunAgentResult' } },
    args: { input: t.arg({ type: RunAgentInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const agentId = String(input.agentId);
      if (!context.agents.get(agentId)) throw new UnknownAgentError(agentId);
      const parsed = parseRunInput(input);
      let workflow: WorkflowRecord;
      try {
        workflow = await context.runs.start({ agentId, tenantId: context.tenantId, ...parsed, onCreated: context.onRunCreated });
      } catch (error) {
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
