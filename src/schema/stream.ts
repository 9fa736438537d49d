import { GraphQLError } from 'graphql';
import { shareEventLoop, WorkflowStream } from '../subscription/index.js';
import type { AgentEvent } from '../events/index.js';
import { builder } from './builder.js';
import { AgentEventUnion } from './events.js';

/**
 * A context slot the graphql-ws fast path (src/server/fast-path/) sets to be handed the
 * `WorkflowStream` that `agentStream` returns, so it can read whole batches and render them with
 * a compiled plan. Absent (SSE, in-process execution): nothing changes.
 */
export const AGENT_STREAM_SOURCE = Symbol('synapse.agentStreamSource');

/** What the fast path puts in the context under `AGENT_STREAM_SOURCE`. */
export type AgentStreamSourceSink = (stream: WorkflowStream) => void;

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
          extensions: { code: 'BAD_USER_INPUT', argument: 'afterSequence' },
        });
      }
      const workflow = await context.store.getWorkflow(workflowId);
      if (!workflow || workflow.tenantId !== context.tenantId) {
        throw new GraphQLError(`no workflow with id "${workflowId}"`, { extensions: { code: 'NOT_FOUND' } });
      }
      const stream = new WorkflowStream(context, workflowId, { afterSequence, onEnd: context.streams.open(), onLag: context.streams.lagged });
      const sink = (context as { [AGENT_STREAM_SOURCE]?: AgentStreamSourceSink })[AGENT_STREAM_SOURCE];
      if (sink) {
        sink(stream);
        return stream;
      }
      // SSE and graphql-ws without the fast path: a long replay must not hold the event loop.
      return shareEventLoop(stream);
    },
    resolve: (event: AgentEvent) => event,
  }),
}));
