import type { WorkflowRecord } from '../store/index.js';
import { builder } from './builder.js';
import { WorkflowRef, WorkflowFilterInput } from './workflow.js';
import { WorkflowUpdateFeed } from './workflow-update-feed.js';
import { toStoreFilter } from './workflow-filter.js';

builder.subscriptionFields((t) => ({
  workflowUpdates: t.field({
    type: WorkflowRef,
    description:
      'The caller’s workflows that match `filter`, each time a commit changes its status (RUNNING, then SUCCEEDED, FAILED, CANCELLED or INTERRUPTED), as committed. A slow reader gets each workflow’s latest state.',
    args: { filter: t.arg({ type: WorkflowFilterInput, required: false }) },
    subscribe: (_root, args, context) =>
      new WorkflowUpdateFeed(context.pubsub, toStoreFilter(context.tenantId, args.filter)),
    resolve: (workflow: WorkflowRecord) => workflow,
  }),
}));
