import { randomUUID } from 'node:crypto';
import { isTerminal, RunErrorCode, type AgentEventBody, type Usage } from '../events/index.js';
import type { DialectRunContext, RunInput } from '../dialects/index.js';
import type { Logger } from '../logger.js';
import { withLogContext } from '../observability/log-context.js';
import type { RunObserver } from '../observability/observer.js';
import type { PubSub } from '../pubsub/index.js';
import type { Store, WorkflowRecord } from '../store/index.js';
import type { PoolWait } from '../transport/settings.js';
import type { AgentRegistry, RegisteredAgent } from './agent-registry.js';
import { LeaseKeeper } from './lease-keeper.js';
import { createLeasedWorkflow } from './leased-workflow.js';
import { validateOutput } from './output-validator.js';
import { RunError } from './run-error.js';
import { loadThreadHistory } from './thread-history.js';
import { WorkflowWriter, type WriterOptions } from './workflow-writer.js';

export interface StartRunRequest {
  agentId: string;
  tenantId: string;
  input: RunInput;
  /** Continue this thread; absent: the run starts a new thread. */
  threadId?: string | null;
  metadata?: unknown;
  /** Called once the workflow row exists (the `concurrentRuns` check counts it from then on). */
  onCreated?: () => void;
}

export interface RunManagerDeps {
  store: Store;
  pubsub: PubSub;
  agents: AgentRegistry;
  logger: Logger;
  /** This instance's leases; default a keeper of its own (random instance id, default lease). */
  leases?: LeaseKeeper;
  /** Told about what the committed events cannot show (upstream retries). */
  observer?: Pick<RunObserver, 'upstreamRetried' | 'upstreamPoolWaited'>;
}

/** Thrown by `start` once shutdown has begun. */
export class ShuttingDownError extends Error {
  override readonly name = 'ShuttingDownError';
  constructor() {
    super('the gateway is shutting down and accepts no new runs');
  }
}

type StopReason = { kind: 'cancel'; reason: string | null } | { kind: 'shutdown' } | { kind: 'leaseLost' };

interface ActiveRun {
  workflowId: string;
  writer: WorkflowWriter;
  controller: AbortController;
  stop: StopReason | null;
  done: Promise<void>;
}

const ABORTED = Symbol('aborted');

/**
 * Owns the runs of this process: starts each as a workflow detached from whoever asked for it,
 * drives its dialect through a single writer, emits Heartbeats while the upstream is silent, and
 * ends every run with exactly one terminal event, whether it completes, fails, is cancelled or
 * is cut off by shutdown.
 */
export class RunManager {
  private readonly active = new Map<string, ActiveRun>();
  private draining = false;
  private readonly leases: LeaseKeeper;

  constructor(
    private readonly deps: RunManagerDeps,
    private readonly writerOptions: WriterOptions = {},
  ) {
    this.leases = deps.leases ?? new LeaseKeeper(deps);
  }

  get activeCount(): number {
    return this.active.size;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Creates the workflow, commits its RunStarted and returns it; the run goes on alone. */
  async start(request: StartRunRequest): Promise<WorkflowRecord> {
    if (this.draining) throw new ShuttingDownError();
    const agent = this.deps.agents.get(request.agentId);
    if (!agent) throw new Error(`unknown agent ${request.agentId}`);
    const workflowId = randomUUID();
    const threadId = request.threadId ?? randomUUID();
    const input = { ...request.input };
    const controller = new AbortController();
    let run: ActiveRun | undefined;
    // Lease lost (another instance swept this workflow): the writer has stopped; stop the upstream.
    const onLost = () => {
      if (run) run.stop ??= { kind: 'leaseLost' };
      controller.abort();
    };
    const { writer, release } = await createLeasedWorkflow({ ...this.deps, leases: this.leases }, {
      id: workflowId,
      tenantId: request.tenantId,
      kind: 'AGENT_RUN',
      status: 'QUEUED',
      agentId: request.agentId,
      threadId,
      input,
      metadata: request.metadata ?? null,
      createdAt: new Date(),
    }, this.writerOptions, onLost);
    request.onCreated?.();

    writer.append({ type: 'RunStarted', agentId: request.agentId, input });
    await writer.flush();
    if (writer.error) {
      release();
      throw writer.error;
    }

    run = { workflowId, writer, controller, stop: null, done: Promise.resolve() };
    this.active.set(workflowId, run);
    const thread = { tenantId: request.tenantId, continues: request.threadId != null };
    run.done = withLogContext({ workflowId, agentId: request.agentId }, () =>
      this.drive(run, agent, threadId, request.input, thread),
    )
      .catch((error) => this.deps.logger.error('run driver failed', { workflowId, error }))
      .finally(() => {
        release();
        this.active.delete(workflowId);
      });

    const workflow = await this.deps.store.getWorkflow(workflowId);
    if (!workflow) throw new Error(`workflow ${workflowId} vanished after it was created`);
    return workflow;
  }

  /** Cancels a run of this process. False when it is not running here (finished or unknown). */
  async cancel(workflowId: string, reason: string | null = null): Promise<boolean> {
    const run = this.active.get(workflowId);
    if (!run || run.writer.isSealed) return false;
    run.stop ??= { kind: 'cancel', reason };
    run.controller.abort();
    await run.done;
    return true;
  }

  /** Resolves when the run has ended and its terminal event is committed. */
  async waitFor(workflowId: string): Promise<void> {
    await this.active.get(workflowId)?.done;
  }

  /**
   * Shutdown: refuses new runs, lets running ones finish for up to `graceMs`, then ends the rest
   * with RunFailed INTERRUPTED. Resolves when every terminal event is committed.
   */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    const all = () => Promise.all([...this.active.values()].map((run) => run.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all(), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const run of this.active.values()) {
      run.stop ??= { kind: 'shutdown' };
      run.controller.abort();
    }
    await all();
  }

  private async drive(
    run: ActiveRun,
    agent: RegisteredAgent,
    threadId: string,
    input: RunInput,
    thread: { tenantId: string; continues: boolean } = { tenantId: 'default', continues: false },
  ): Promise<void> {
    const { writer, controller } = run;
    const heartbeat = this.startHeartbeat(run, agent.config.heartbeatMs);
    let usage: Usage | null = null;
    let iterator: AsyncIterator<readonly AgentEventBody[]> | undefined;
    // One waiter at a time: the pending step's resolve, called on abort. (A Promise.race against
    // one `aborted` promise would leave a reaction on it for every step of a long run.)
    let wakeOnAbort: ((value: typeof ABORTED) => void) | null = null;
    const onAbort = () => wakeOnAbort?.(ABORTED);
    controller.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const history = thread.continues
        ? await loadThreadHistory(this.deps.store, thread.tenantId, threadId, run.workflowId)
        : [];
      const context: DialectRunContext = {
        workflowId: run.workflowId,
        threadId,
        agent: agent.config,
        input,
        signal: controller.signal,
        history,
        logger: this.deps.logger,
        onRetry: ({ code }) => this.deps.observer?.upstreamRetried?.(agent.config.id, code),
        onPoolWait: (wait) => {
          // Visible on the run, not only in the log: a run that waits for a socket looks stalled.
          this.deps.observer?.upstreamPoolWaited?.(agent.config.id, run.workflowId);
          writer.append({ type: 'LogMessage', level: 'WARN', message: poolWaitMessage(wait) });
        },
      };
      // A batch is what the upstream delivered at once (a TCP chunk's worth of frames): one async
      // step per batch, its bodies appended synchronously.
      const dialect = agent.dialect;
      iterator = dialect.runBatches ? dialect.runBatches(context)[Symbol.asyncIterator]() : oneAtATime(dialect.run(context));
      read: for (;;) {
        if (controller.signal.aborted) break;
        const next = iterator.next();
        const step = await new Promise<IteratorResult<readonly AgentEventBody[]> | typeof ABORTED>((resolve, reject) => {
          wakeOnAbort = resolve;
          // an upstream that fails after abort must not become an unhandled rejection: the
          // rejection is handled here whether or not abort won
          next.then(resolve, reject);
        });
        wakeOnAbort = null;
        if (step === ABORTED) break;
        if (step.done) {
          const disconnected = new RunError(
            RunErrorCode.UPSTREAM_DISCONNECTED,
            'the upstream stream ended before its terminal event',
            { retryable: true },
          );
          writer.append(failedEvent(disconnected, usage));
          break;
        }
        heartbeat.refresh();
        const bodies = step.value;
        for (let index = 0; index < bodies.length; index++) {
          const body = bodies[index]!;
          if (body.type === 'UsageUpdated') usage = body.usage;
          if (isTerminal(body)) {
            const checked = body.type === 'RunCompleted' ? validateOutput(agent.config.outputSchema, body) : body;
            if (checked.type === 'RunFailed') {
              this.deps.logger.warn('run failed', { workflowId: run.workflowId, agentId: agent.config.id, code: checked.code, message: checked.message });
            }
            writer.append(withUsage(checked, usage));
            break read;
          }
          writer.append(body);
          if (writer.error) break read;
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) {
        const runError = error instanceof RunError ? error : RunError.internal();
        if (!(error instanceof RunError)) {
          this.deps.logger.error('run failed inside the gateway', { workflowId: run.workflowId, error });
        }
        writer.append(failedEvent(runError, usage));
      }
    } finally {
      clearTimeout(heartbeat);
      controller.signal.removeEventListener('abort', onAbort);
      if (controller.signal.aborted) writer.append(stoppedEvent(run.stop, usage));
      iterator?.return?.().catch(() => {});
      await writer.flush();
    }
  }

  /** Publishes a Heartbeat (live only, never stored) whenever the upstream is silent this long. */
  private startHeartbeat(run: ActiveRun, intervalMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.deps.pubsub.publish(run.workflowId, [
        {
          type: 'Heartbeat',
          workflowId: run.workflowId,
          sequence: run.writer.lastCommittedSequence,
          at: new Date().toISOString(),
        },
      ]);
      timer.refresh();
    }, intervalMs);
    timer.unref();
    return timer;
  }
}

/** A per-event dialect's bodies as one-body batches. */
function oneAtATime(bodies: AsyncIterable<AgentEventBody>): AsyncIterator<readonly AgentEventBody[]> {
  const inner = bodies[Symbol.asyncIterator]();
  return {
    next: () => inner.next().then((step) => (step.done ? { done: true, value: undefined } : { done: false, value: [step.value] })),
    return: async () => {
      await inner.return?.();
      return { done: true, value: undefined };
    },
  };
}

function withUsage(body: AgentEventBody, usage: Usage | null): AgentEventBody {
  if ((body.type === 'RunCompleted' || body.type === 'RunFailed') && body.usage === null && usage) {
    return { ...body, usage };
  }
  return body;
}

function failedEvent(error: RunError, usage: Usage | null): AgentEventBody {
  return {
    type: 'RunFailed',
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    recoverySuggestion: error.recoverySuggestion,
    usage,
  };
}

/** `RunFailed INTERRUPTED` (retryable), for shutdown and the lease sweep. */
export function interruptedEvent(usage: Usage | null, message: string): AgentEventBody {
  return failedEvent(
    new RunError(RunErrorCode.INTERRUPTED, message, {
      retryable: true,
      recoverySuggestion: 'Run the agent again; the events up to the interruption are kept in history.',
    }),
    usage,
  );
}

function stoppedEvent(stop: StopReason | null, usage: Usage | null): AgentEventBody {
  if (stop?.kind === 'shutdown') return interruptedEvent(usage, 'the gateway shut down while this workflow was running');
  return { type: 'RunCancelled', reason: stop?.kind === 'cancel' ? stop.reason : null, usage };
}

/** The LogMessage of a run whose upstream request waits for a connection (docs/configuration.md, `pool`). */
function poolWaitMessage(wait: PoolWait): string {
  return `waiting for a free connection to ${wait.origin}: all ${wait.connections} connections of its pool are in use (agents[].pool.connections)`;
}
