import type { WorkflowRecord } from '../store/index.js';
import { builder } from './builder.js';
import { WorkflowRef } from './workflow.js';

interface ThreadView {
  id: string;
  workflows: WorkflowRecord[];
}

const ThreadRef = builder.objectRef<ThreadView>('Thread').implement({
  description: 'A conversation: the workflows that ran with one `threadId`, oldest turn first.',
  fields: (t) => ({
    id: t.exposeID('id'),
    workflows: t.field({ type: [WorkflowRef], resolve: (thread) => thread.workflows }),
  }),
});

builder.queryFields((t) => ({
  thread: t.field({
    type: ThreadRef,
    nullable: true,
    description: 'A thread of the caller’s tenant with its turns in order; null when no workflow has this thread id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => {
      const id = String(args.id);
      const workflows = await context.store.listThread(context.tenantId, id);
      if (workflows.length === 0) return null;
      for (const workflow of workflows) context.loaders.workflow.prime(workflow.id, workflow);
      return { id, workflows };
    },
  }),
}));
