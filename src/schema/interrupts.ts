import { GraphQLError } from 'graphql';
import { respondToInterrupts } from '../bridge/index.js';
import { openInterrupts, type WorkflowRecord } from '../store/index.js';
import { builder } from './builder.js';
import { GraphqlErrorCode, InterruptNotOpenError, InvalidInputError, NotFoundError } from '../errors/index.js';
import { InterruptDecisionEnum, InterruptRequestedRef } from './events.js';
import { WorkflowRef } from './workflow.js';

/*
 * Human in the loop (docs/human-in-the-loop.md): the open interrupts of a paused workflow, and
 * the mutation that answers them.
 */

class RespondToInterruptsPayload {
  constructor(
    readonly workflow: WorkflowRecord,
    readonly resumed: boolean,
  ) {}
}

builder.objectType(RespondToInterruptsPayload, {
  name: 'RespondToInterruptsPayload',
  fields: (t) => ({
    workflow: t.field({ type: WorkflowRef, resolve: (payload) => payload.workflow }),
    resumed: t.exposeBoolean('resumed', {
      description: 'True when this call answered the last open interrupt and the run resumed (or ended, on CANCEL).',
    }),
  }),
});

const InterruptResponseInput = builder.inputType('InterruptResponseInput', {
  fields: (t) => ({
    interruptId: t.id({ required: true }),
    decision: t.field({ type: InterruptDecisionEnum, required: true }),
    value: t.field({
      type: 'JSON',
      required: false,
      description: 'RESPOND: the answer (INPUT) or the tool’s result (CLIENT_TOOL).',
    }),
    arguments: t.field({
      type: 'JSON',
      required: false,
      description: 'APPROVE: edited tool arguments (checked against the tool’s schema).',
    }),
    message: t.string({ required: false, description: 'REJECT: why; stored as the InterruptResolved’s `comment`.' }),
  }),
});

builder.objectField(WorkflowRef, 'pendingInterrupts', (t) =>
  t.field({
    type: [InterruptRequestedRef],
    description:
      'The interrupts of a paused workflow (INPUT_REQUIRED) still waiting for an answer, in the order they were asked; empty otherwise.',
    resolve: async (workflow, _args, context) => {
      if (workflow.status !== 'INPUT_REQUIRED' || workflow.tenantId !== context.tenantId) return [];
      const paused = await context.store.interrupts.read(workflow.id);
      return openInterrupts(paused?.pause ?? null);
    },
  }),
);

builder.mutationFields((t) => ({
  respondToInterrupts: t.field({
    type: RespondToInterruptsPayload,
    description:
      'Answers interrupts of a paused workflow (INPUT_REQUIRED). The run resumes when every open interrupt is answered; CANCEL ends it.',
    errors: {
      types: [NotFoundError, InterruptNotOpenError, InvalidInputError],
      directResult: true,
      union: { name: 'RespondToInterruptsResult' },
    },
    args: {
      workflowId: t.arg.id({ required: true }),
      responses: t.arg({ type: [InterruptResponseInput], required: true }),
    },
    resolve: async (_root, args, context) => {
      const workflowId = String(args.workflowId);
      if (context.runs.isDraining) {
        throw new GraphQLError('the gateway is shutting down; answer on another instance or after the restart', {
          extensions: { code: GraphqlErrorCode.SHUTTING_DOWN },
        });
      }
      const outcome = await respondToInterrupts(
        {
          store: context.store,
          pubsub: context.pubsub,
          runs: context.runs,
          ...(context.onInterruptsAnswered ? { onAnswered: context.onInterruptsAnswered } : {}),
        },
        {
          workflowId,
          tenantId: context.tenantId,
          respondedBy: context.principal.id,
          responses: args.responses.map((response) => ({
            interruptId: String(response.interruptId),
            decision: response.decision,
            value: response.value,
            arguments: response.arguments,
            message: response.message ?? null,
          })),
        },
      );
      switch (outcome.kind) {
        case 'notFound':
          throw new NotFoundError('workflow', workflowId);
        case 'notOpen':
          throw new InterruptNotOpenError(outcome.interruptId, outcome.status);
        case 'invalid':
          throw new InvalidInputError(outcome.issues);
        default:
          return new RespondToInterruptsPayload(outcome.workflow, outcome.resumed);
      }
    },
  }),
}));
