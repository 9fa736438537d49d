import { builder } from './builder.js';
import { WorkflowRef } from './workflow.js';

// Parent and children of the agent runtime's subagent calls (docs/runtime.md).

builder.objectField(WorkflowRef, 'parentId', (t) =>
  t.id({
    nullable: true,
    description: 'The workflow whose subagent call started this one (docs/runtime.md); null for a top-level run.',
    resolve: (workflow, _args, context) => context.store.links.parentOf(workflow.id),
  }),
);

builder.objectField(WorkflowRef, 'children', (t) =>
  t.field({
    type: [WorkflowRef],
    description: 'The child workflows this run started through subagent calls, in the order they started.',
    resolve: async (workflow, _args, context) => {
      const ids = await context.store.links.childrenOf(workflow.id);
      const children = await Promise.all(ids.map((id) => context.store.getWorkflow(id)));
      return children.flatMap((child) => (child && child.tenantId === workflow.tenantId ? [child] : []));
    },
  }),
);
