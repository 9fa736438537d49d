import type { WorkflowStream } from './workflow-stream.js';

/**
 * What the GraphQL context (`SynapseContext`, src/schema/context.ts) declares for the graphql-ws
 * fast path (use-agent-stream-fast-path.ts): whether the transport can take prepared batches,
 * and how `agentStream` hands its stream over.
 */
export interface AgentStreamFastPathContext {
  /**
   * True when the operation's transport writes `PreparedBatch` results: graphql-ws through its
   * socket adapter (src/server/graphql-ws.ts sets it). The fast path takes over only such
   * operations; absent for SSE and in-process execution.
   */
  preparedBatchTransport?: boolean;
  /**
   * Present only while the fast path subscribes an operation it took over: `agentStream` puts the
   * `WorkflowStream` it returns here, so the fast path reads it in batches; the resolver then
   * returns it unwrapped (the socket adapter, not `shareEventLoop`, shares the event loop).
   */
  agentStreamHandoff?: AgentStreamHandoff | undefined;
}

/** How `agentStream` hands its stream to the fast path (`agentStreamHandoff`). */
export interface AgentStreamHandoff {
  /** Set by the `agentStream` resolver. */
  stream: WorkflowStream | undefined;
}
