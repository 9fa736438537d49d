import { randomUUID } from 'node:crypto';
import { LeaseKeeper } from './lease-keeper.js';
import { createLeasedWorkflow, type LeasedWorkflow } from './leased-workflow.js';
import type { WriterOptions } from './workflow-writer.js';
import { RunErrorCode, ShuttingDownError, StoreUnavailableError, ToolCallError } from '../errors/index.js';
import type { AgentEventBody } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { PubSub } from '../pubsub/index.js';
import type { Store, WorkflowRecord } from '../store/index.js';
import type { CommitFailureHandler } from './commit-failure.js';
import type { RegisteredTool, ToolOutcome } from '../tools/index.js';

export interface ToolCallRequest {
  tenantId: string;
  agentId: string;
  tool: RegisteredTool;
  /** Already validated against the tool's inputSchema. */
  arguments: unknown;
  /** The new workflow's id (an idempotency key claimed it first, docs/run-control.md); default a new UUID. */
  workflowId?: string;
}

/** How a call ended: `outcome` when the tool answered (perhaps with `isError`), else `failure`. */
export interface ToolCallReport {
  workflow: WorkflowRecord;
  outcome: ToolOutcome | null;
  failure: { code: string; message: string; retryable: boolean } | null;
}

export interface ToolCallRunnerDeps {
  store: Store;
  pubsub: PubSub;
  logger: Logger;
  /** This instance's leases; default a keeper of its own (random instance id, default lease). */
  leases?: LeaseKeeper;
}

const TIMEOUT = Symbol('timeout');
const SHUTDOWN = Symbol('shutdown');
const LEASE_LOST = Symbol('lease lost');

/**
 * Runs each `callTool` as a workflow of kind TOOL_CALL through a `WorkflowWriter`, so it has a
 * history and can be streamed like a run: RunStarted, ToolCallStarted, ToolCallCompleted, then
 * ToolResult and RunCompleted (or RunFailed). The call is bounded by the source's `timeoutMs`
 * (even when a source ignores its signal) and `maxResultBytes`.
 */
export class ToolCallRunner {
  private readonly active = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  private draining = false;
  private readonly leases: LeaseKeeper;
  private commitFailures: CommitFailureHandler | undefined;

  constructor(
    private readonly deps: ToolCallRunnerDeps,
    private readonly writerOptions: WriterOptions = {},
  ) {
    this.leases = deps.leases ?? new LeaseKeeper(deps);
  }

  get activeCount(): number {
    return this.active.size;
  }

  /** Ends a workflow whose commit failed with a truthful terminal event (the RunManager's handler). */
  useCommitFailureHandler(handler: CommitFailureHandler): void {
    this.commitFailures = handler;
  }

  async call(request: ToolCallRequest): Promise<ToolCallReport> {
    if (this.draining) throw new ShuttingDownError();
    const health = this.commitFailures?.health;
    if (health?.isDown) throw new StoreUnavailableError(health.storeName, { cause: health.failure });
    const workflowId = request.workflowId ?? randomUUID();
    const controller = new AbortController();
    const run = this.run(workflowId, controller, request);
    this.active.set(workflowId, { controller, done: run.catch(() => {}) });
    try {
      return await run;
    } finally {
      this.active.delete(workflowId);
    }
  }

  /** Shutdown: refuses new calls, gives running ones `graceMs`, then ends them as INTERRUPTED. */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    const all = () => Promise.all([...this.active.values()].map((call) => call.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all(), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const call of this.active.values()) call.controller.abort(SHUTDOWN);
    await all();
  }

  private async run(
    workflowId: string,
    controller: AbortController,
    request: ToolCallRequest,
  ): Promise<ToolCallReport> {
    const { tool } = request;
    const input = { tool: tool.name, arguments: request.arguments };
    // Lease lost (another instance swept this workflow): the writer has stopped; stop the call.
    const { writer, release } = await createLeasedWorkflow(
      { ...this.deps, leases: this.leases },
      {
        id: workflowId,
        tenantId: request.tenantId,
        kind: 'TOOL_CALL',
        status: 'QUEUED',
        agentId: request.agentId,
        threadId: null,
        input,
        metadata: null,
        createdAt: new Date(),
      },
      this.writerOptions,
      () => controller.abort(LEASE_LOST),
    );
    try {
      return await this.drive(workflowId, controller, request, writer);
    } finally {
      await this.commitFailures?.endIfWriterFailed(workflowId, writer, null);
      release();
    }
  }

  private async drive(
    workflowId: string,
    controller: AbortController,
    request: ToolCallRequest,
    writer: LeasedWorkflow['writer'],
  ): Promise<ToolCallReport> {
    const { tool } = request;
    const input = { tool: tool.name, arguments: request.arguments };
    const toolCallId = `call_${randomUUID()}`;
    writer.append({ type: 'RunStarted', agentId: request.agentId, input });
    writer.append({ type: 'ToolCallStarted', toolCallId, toolName: tool.name });
    writer.append({ type: 'ToolCallCompleted', toolCallId, toolName: tool.name, arguments: request.arguments });
    await writer.flush();
    if (writer.error) throw writer.error;

    let outcome: ToolOutcome | null = null;
    let failure: ToolCallReport['failure'] = null;
    const timer = setTimeout(() => controller.abort(TIMEOUT), tool.source.timeoutMs);
    try {
      outcome = await this.invoke(request, controller.signal);
    } catch (error) {
      failure = this.failureOf(error, controller.signal, request, workflowId);
    } finally {
      clearTimeout(timer);
    }

    writer.append({
      type: 'ToolResult',
      toolCallId,
      result: outcome ? outcome.result : { code: failure!.code, message: failure!.message },
      isError: outcome ? outcome.isError : true,
    });
    writer.append(terminalEvent(outcome, failure));
    await writer.flush();
    const finalError = failureOf(writer);
    if (finalError) throw finalError;
    const workflow = await this.deps.store.getWorkflow(workflowId);
    if (!workflow) throw new Error(`workflow ${workflowId} vanished after it was written`);
    return { workflow, outcome, failure };
  }

  /** The source's call, raced against the signal so a source that ignores it still stops. */
  private async invoke(request: ToolCallRequest, signal: AbortSignal): Promise<ToolOutcome> {
    const { source } = request.tool;
    let onAbort = () => {};
    const aborted = new Promise<never>((_resolve, reject) => {
      // The signal's own reason (the cancel's or the timeout's), passed through as the run's error.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- see above
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const call = source.call({ name: request.tool.name, arguments: request.arguments, signal });
      call.catch(() => {}); // a call that fails after the abort must not become an unhandled rejection
      const outcome = await Promise.race([call, aborted]);
      const bytes = Buffer.byteLength(JSON.stringify(outcome.result) ?? 'null');
      if (bytes > source.maxResultBytes) throw ToolCallError.tooLarge(source.label, source.maxResultBytes);
      return outcome;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private failureOf(
    error: unknown,
    signal: AbortSignal,
    request: ToolCallRequest,
    workflowId: string,
  ): NonNullable<ToolCallReport['failure']> {
    const { source } = request.tool;
    if (signal.reason === LEASE_LOST) {
      // Never written: the workflow was swept by another instance, which wrote its RunFailed.
      return {
        code: RunErrorCode.INTERRUPTED,
        message: 'the gateway lost the lease of this tool call',
        retryable: true,
      };
    }
    if (signal.reason === SHUTDOWN) {
      return { code: RunErrorCode.INTERRUPTED, message: 'the gateway shut down during the tool call', retryable: true };
    }
    if (signal.reason === TIMEOUT) {
      const timeout = ToolCallError.timeout(source.label, source.timeoutMs);
      return { code: timeout.code, message: timeout.message, retryable: timeout.retryable };
    }
    if (error instanceof ToolCallError) return { code: error.code, message: error.message, retryable: error.retryable };
    this.deps.logger.error('tool call failed unexpectedly', {
      workflowId,
      agentId: request.agentId,
      tool: request.tool.name,
      source: source.label,
      error,
    });
    return { code: RunErrorCode.INTERNAL, message: 'the gateway failed while calling the tool', retryable: true };
  }
}

function terminalEvent(outcome: ToolOutcome | null, failure: ToolCallReport['failure']): AgentEventBody {
  if (outcome && !outcome.isError) {
    return { type: 'RunCompleted', output: outcome.result ?? null, text: textOf(outcome.result), usage: null };
  }
  if (outcome) {
    return {
      type: 'RunFailed',
      code: RunErrorCode.TOOL_ERROR,
      message: `the tool reported an error: ${resultText(outcome.result).slice(0, 500)}`,
      retryable: false,
      recoverySuggestion: "Read the ToolResult for the tool's own message; fix the arguments or the tool.",
      usage: null,
    };
  }
  return {
    type: 'RunFailed',
    code: failure!.code,
    message: failure!.message,
    retryable: failure!.retryable,
    recoverySuggestion: failure!.retryable ? 'Call the tool again.' : null,
    usage: null,
  };
}

/**
 * The workflow's `text` for a result: a string as it is, the text blocks of MCP content joined,
 * else empty (the result itself is the workflow's `output`; no need to store it twice).
 */
function textOf(result: unknown): string {
  if (typeof result === 'string') return result;
  if (Array.isArray(result)) {
    return result
      .filter(
        (block): block is { type: 'text'; text: string } => block?.type === 'text' && typeof block.text === 'string',
      )
      .map((block) => block.text)
      .join('\n');
  }
  return '';
}

/** A string result as it is; anything else as JSON text. */
function resultText(result: unknown): string {
  return typeof result === 'string' ? result : (JSON.stringify(result) ?? 'null');
}

/**
 * The writer's failure, read afresh: after an earlier `if (writer.error) throw …`, TypeScript
 * keeps `writer.error` narrowed to null across the awaits that follow, though a later commit
 * may have failed since.
 */
function failureOf(writer: LeasedWorkflow['writer']): Error | null {
  return writer.error;
}
