export { BATCH_AS_IS, WorkflowStream } from './workflow-stream.js';
export type { BatchReader, WorkflowStreamOptions } from './workflow-stream.js';
export { shareEventLoop, EVENT_LOOP_SLICE_MS } from './event-loop-share.js';
export { useAgentStreamFastPath } from './use-agent-stream-fast-path.js';
export type { AgentStreamFastPathContext, AgentStreamHandoff } from './agent-stream-handoff.js';
export { batchMessages, HeldBatches, PreparedBatch } from './prepared-batch.js';
