export { createInProcessPubSub } from './in-process.js';
export type { EventBatchListener, PubSub, WorkflowUpdateListener } from './types.js';
