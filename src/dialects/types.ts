import type { AgentConfig } from '../config/index.js';
import type { AgentEventBody, AgentEventBodyOf, InterruptDecision } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { PoolWait } from '../transport/settings.js';
import type { ConversationMessage } from './conversation.js';

/** A tool as agents and clients see it: its input is described by a JSON Schema. */
export interface ToolDefinition {
  name: string;
  description: string | null;
  inputSchema: Record<string, unknown>;
}

/** One chat message of a run's input. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
}

/** The normalized input of a run: `prompt` is shorthand for one trailing user message. */
export interface RunInput {
  messages: ChatMessage[];
  prompt?: string;
  /** Tools the client runs itself; the agent runtime offers them to the model. */
  clientTools?: ClientTool[];
}

/** One answered interrupt, as the dialect gets it to resume its upstream (docs/human-in-the-loop.md). */
export interface ResolvedInterrupt {
  request: AgentEventBodyOf<'InterruptRequested'>;
  decision: InterruptDecision;
  /** RESPOND: the answer, or the client tool's result. */
  value: unknown;
  /** APPROVE: the edited arguments, or null to keep the requested ones. */
  arguments: unknown;
  /** REJECT: why. */
  comment: string | null;
}

/** A run that continues after a pause: what the dialect recorded then, and every answer. */
export interface DialectResume {
  state: unknown;
  answers: readonly ResolvedInterrupt[];
}

/**
 * One model request of the agent runtime (docs/runtime.md): the whole exchange so far and
 * the tools offered. A model dialect given it sends this conversation instead of its own.
 */
export interface ModelTurn {
  conversation: readonly ConversationMessage[];
  tools: readonly ToolDefinition[];
  /** JSON Schema the answer must follow (the vendor's structured-output form), if any. */
  outputSchema?: Record<string, unknown>;
}

/** A tool the client runs itself (RunAgentInput.clientTools, docs/runtime.md). */
export interface ClientTool {
  name: string;
  description: string | null;
  inputSchema: Record<string, unknown>;
}

export interface DialectRunContext {
  workflowId: string;
  /** The tenant the workflow belongs to (the agent runtime's child workflows inherit it). */
  tenantId?: string;
  threadId: string;
  agent: AgentConfig;
  input: RunInput;
  /** Aborted on cancel and on shutdown: stop reading the upstream at once. */
  signal: AbortSignal;
  /**
   * The thread's earlier turns, rebuilt from the store (tool calls included), when the run
   * continues a thread; absent or empty on a new thread. Stateless upstreams send them first.
   */
  history?: readonly ConversationMessage[];
  /** For what the dialect's transport wants on record (retries). */
  logger?: Logger;
  /** Told about every retry of the upstream request (the `synapse_upstream_retries_total` metric). */
  onRetry?: (retry: { attempt: number; delayMs: number; code: string }) => void;
  /**
   * Set when this run resumes a paused workflow: the upstream is asked to continue with the
   * answers (LangGraph `command.resume`, the AI SDK approval responses, AG-UI `resume`).
   */
  resume?: DialectResume;
  /**
   * The dialect calls this when its upstream stopped to wait for a person (after its
   * InterruptRequested bodies): when the stream then ends without a terminal body, the run
   * pauses (INPUT_REQUIRED) instead of failing, and `state` (JSON) comes back as `resume.state`.
   */
  pause?: (state: unknown) => void;
  /** Told when the upstream request waits for a connection: its origin's pool is at its cap. */
  onPoolWait?: (wait: PoolWait) => void;
  /** Set by the agent runtime for each of its model requests (docs/runtime.md). */
  modelTurn?: ModelTurn;
}

/**
 * An upstream protocol: turns a run's input into the upstream request and the upstream's frames
 * into canonical event bodies. The bridge emits RunStarted itself; the dialect ends with one
 * terminal body (RunCompleted or RunFailed), and a dialect whose stream ends without one is
 * treated as UPSTREAM_DISCONNECTED. A dialect may throw a `RunError` to fail the run with a code.
 */
export interface Dialect {
  readonly name: string;
  /** Tools the dialect itself provides to every agent that uses it (the demo's calculator). */
  readonly tools?: readonly ToolDefinition[];
  /**
   * The run's bodies in arrays (never empty), one per piece of upstream input read at once (a
   * TCP chunk's frames, the WebSocket messages queued since the last read), so that a fast
   * upstream costs the bridge one async step per chunk rather than per event. A dialect that
   * produces bodies one at a time (the demo) yields one-body arrays.
   */
  runBatches(context: DialectRunContext): AsyncIterable<readonly AgentEventBody[]>;
}
