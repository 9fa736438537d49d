import { GraphQLError } from 'graphql';
import { shareEventLoop, WorkflowStream } from '../subscription/index.js';
import type { AgentEvent } from '../events/index.js';
import { builder } from './builder.js';
import { GraphqlErrorCode } from '../errors/index.js';
import { AgentEventUnion } from './events.js';

builder.subscriptionFields((t) => ({
  agentStream: t.field({
    type: AgentEventUnion,
    description:
      'The events of one workflow: first the stored ones after `afterSequence` (default 0: all), then live ones, each once and in order. Completes after the terminal event.',
    args: {
      workflowId: t.arg.id({ required: true }),
      afterSequence: t.arg.int({ required: false, defaultValue: 0 }),
    },
    subscribe: async (_root, args, context) => {
      const workflowId = String(args.workflowId);
      const afterSequence = args.afterSequence ?? 0;
      if (afterSequence < 0) {
        throw new GraphQLError(`afterSequence must be 0 or more, got ${afterSequence}`, {
          extensions: { code: GraphqlErrorCode.BAD_USER_INPUT, argument: 'afterSequence' },
        });
      }
      const workflow = await context.store.getWorkflow(workflowId);
      if (!workflow || workflow.tenantId !== context.tenantId) {
        throw new GraphQLError(`no workflow with id "${workflowId}"`, {
          extensions: { code: GraphqlErrorCode.NOT_FOUND },
        });
      }
      const stream = new WorkflowStream(context, workflowId, {
        afterSequence,
        known: workflow,
        onEnd: context.streams.open(),
        onLag: context.streams.lagged,
      });
      // The graphql-ws fast path reads it in batches (SynapseContext.agentStreamHandoff).
      const handoff = context.agentStreamHandoff;
      if (handoff) {
        handoff.stream = stream;
        return stream;
      }
      // SSE and graphql-ws without the fast path: a long replay must not hold the event loop.
      return shareEventLoop(stream);
    },
    resolve: (event: AgentEvent) => event,
  }),
}));
