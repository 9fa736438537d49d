import type DataLoader from 'dataloader';
import type { AgentRegistry, RunManager, RunQueue, StreamTracker } from '../bridge/index.js';
import type { PubSub } from '../pubsub/index.js';
import type { AgentEvent } from '../events/index.js';
import type { Principal } from './principal.js';
import type { Store, ToolCallRecord, WorkflowRecord } from '../store/index.js';
import type { AgentStreamFastPathContext } from '../subscription/index.js';
import type { ToolCallRunner } from '../bridge/index.js';
import type { ToolRegistry } from '../tools/index.js';

/** The services every resolver may use; built once per server. */
export interface SynapseServices {
  store: Store;
  pubsub: PubSub;
  runs: RunManager;
  agents: AgentRegistry;
  /** The event streams being read, so shutdown can wait for their terminal events. */
  streams: StreamTracker;
  /** Every agent's tools (built-in, agent endpoint, HTTP, MCP). */
  tools: ToolRegistry;
  /** Runs `callTool` as TOOL_CALL workflows. */
  toolCalls: ToolCallRunner;
  /** Busy threads and per-agent queues (docs/run-control.md); absent: every run starts at once. */
  queue?: RunQueue;
  /** Told about answers committed by `respondToInterrupts` and whether they resumed the run (metrics). */
  onInterruptsAnswered?: (answers: number, resumed: boolean) => void;
}

/**
 * The GraphQL context: the services plus what belongs to one request or one socket, and what the
 * graphql-ws fast path and `agentStream` share (`AgentStreamFastPathContext`).
 */
export interface SynapseContext extends SynapseServices, AgentStreamFastPathContext {
  /** The caller's tenant; every read and write is scoped to it. */
  tenantId: string;
  /** The HTTP request's id (`x-request-id`), for the lines of the runs it starts; absent over graphql-ws. */
  requestId?: string;
  /**
   * Set by the `concurrentRuns` check while a run start is in its tenant's admission turn:
   * `runAgent` has it called once the run's workflow row exists (src/server/limits/use-run-limits.ts).
   */
  onRunCreated?: () => void;
  /** Who is calling (docs/security.md); `tenantId` is theirs. */
  principal: Principal;
  loaders: {
    workflow: DataLoader<string, WorkflowRecord | undefined>;
    /** Per workflow id, its events after `afterSequence`, at most `first`: one query per batch. */
    events(afterSequence: number, first: number): DataLoader<string, AgentEvent[]>;
    /** Tool-call records by workflow id, scoped to `tenantId`. */
    toolCalls: DataLoader<string, ToolCallRecord[]>;
  };
}
