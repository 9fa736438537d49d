import { randomUUID } from 'node:crypto';
import {
  RunError,
  RunErrorCode,
  ShuttingDownError,
  StoreUnavailableError,
  type LeaseLostError,
} from '../errors/index.js';
import { isTerminal, type AgentEventBody, type Usage } from '../events/index.js';
import type { Dialect, DialectResume, DialectRunContext, RunInput } from '../dialects/index.js';
import { withFields, type Logger } from '../logger.js';
import type { RunObserver } from '../observability/observer.js';
import type { PubSub } from '../pubsub/index.js';
import type { LeaseTakeover, PauseRecord, Store, WorkflowRecord } from '../store/index.js';
import type { PoolWait } from '../transport/settings.js';
import type { AgentRegistry, RegisteredAgent } from './agent-registry.js';
import { CommitFailureHandler } from './commit-failure.js';
import { LeaseKeeper } from './lease-keeper.js';
import { createLeasedWorkflow, leaseClaimedWorkflow } from './leased-workflow.js';
import { endPausedWorkflow, resumedWriter } from './paused-workflow.js';
import { validateOutput } from './output-validator.js';
import { isStoreFault, StoreHealth, storeName } from './store-health.js';
import { loadThreadHistory } from './thread-history.js';
import type { WorkflowWriter, WriterOptions } from './workflow-writer.js';

export interface StartRunRequest {
  agentId: string;
  tenantId: string;
  input: RunInput;
  /** Continue this thread; absent: the run starts a new thread. */
  threadId?: string | null;
  metadata?: unknown;
  /** Called once the workflow row exists (the `concurrentRuns` check counts it from then on). */
  onCreated?: () => void;
  /**
   * The new workflow's id: a subagent's child workflow is named before it starts, and an
   * idempotency key claims its id first (docs/runtime.md, docs/run-control.md); default a new UUID.
   */
  workflowId?: string;
  /** The HTTP request that starts it: the run's log lines carry its id (docs/observability.md). */
  requestId?: string;
}

export interface RunManagerDeps {
  store: Store;
  pubsub: PubSub;
  agents: AgentRegistry;
  logger: Logger;
  /** Whether the store accepts writes (read by /readyz); default one of its own. */
  storeHealth?: StoreHealth;
  /** This instance's leases; default a keeper of its own (random instance id, default lease). */
  leases?: LeaseKeeper;
  /** Told about what the committed events cannot show (upstream retries). */
  observer?: Pick<RunObserver, 'upstreamRetried' | 'runPaused' | 'upstreamPoolWaited' | 'runContext'>;
  /** Drives model agents through the agent loop (docs/runtime.md); absent: every dialect as it is. */
  runtime?: { dialectFor(agent: RegisteredAgent): Dialect };
  /** Told when a run of this instance has ended or paused (the run queue starts the next, docs/run-control.md). */
  onRunSettled?: (workflowId: string) => void;
}

type StopReason = { kind: 'cancel'; reason: string | null } | { kind: 'shutdown' } | { kind: 'leaseLost' };

interface ActiveRun {
  workflowId: string;
  writer: WorkflowWriter;
  controller: AbortController;
  stop: StopReason | null;
  done: Promise<void>;
  /** The lease epoch the writer is fenced at (1 for a new workflow; higher after a resume). */
  epoch: number;
  /** Stops renewing the lease. */
  release: () => void;
  /** Set when the run ended by pausing for a person (INPUT_REQUIRED) rather than with a terminal event. */
  paused: boolean;
  /** The run's logger: its workflow id, agent id and (when a request started it) request id on every line. */
  logger: Logger;
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
  /** Whether the store accepts writes, as this process's commits found it (store-health.ts). */
  readonly storeHealth: StoreHealth;
  /** Ends a run whose commit failed; shared with the ToolCallRunner (commit-failure.ts). */
  readonly commitFailures: CommitFailureHandler;

  constructor(
    private readonly deps: RunManagerDeps,
    private readonly writerOptions: WriterOptions = {},
  ) {
    this.leases = deps.leases ?? new LeaseKeeper(deps);
    this.storeHealth = deps.storeHealth ?? new StoreHealth(storeName(deps.store.dialect));
    this.commitFailures = new CommitFailureHandler({ ...deps, leases: this.leases, health: this.storeHealth });
  }

  get activeCount(): number {
    return this.active.size;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** This instance's id: the owner of the runs it resumes. */
  get instanceId(): string {
    return this.leases.instanceId;
  }

  get leaseMs(): number {
    return this.leases.leaseMs;
  }

  /** Creates the workflow, commits its RunStarted and returns it; the run goes on alone. */
  async start(request: StartRunRequest): Promise<WorkflowRecord> {
    if (this.draining) throw new ShuttingDownError();
    if (this.storeHealth.isDown)
      throw new StoreUnavailableError(this.storeHealth.storeName, { cause: this.storeHealth.failure });
    const agent = this.deps.agents.get(request.agentId);
    if (!agent) throw new Error(`unknown agent ${request.agentId}`);
    const workflowId = request.workflowId ?? randomUUID();
    const threadId = request.threadId ?? randomUUID();
    const input = { ...request.input };
    const controller = new AbortController();
    let run: ActiveRun | undefined;
    // Lease lost (another instance swept this workflow): the writer has stopped; stop the upstream.
    const onLost = () => {
      if (run) run.stop ??= { kind: 'leaseLost' };
      controller.abort();
    };
    const logger = this.runLogger(workflowId, request.agentId, request.requestId);
    // The row and RunStarted in one step (docs/architecture.md, "The life of a run").
    const { writer, release } = await createLeasedWorkflow(
      { ...this.deps, logger, leases: this.leases },
      {
        id: workflowId,
        tenantId: request.tenantId,
        kind: 'AGENT_RUN',
        status: 'QUEUED',
        agentId: request.agentId,
        threadId,
        input,
        metadata: request.metadata ?? null,
        createdAt: new Date(),
      },
      this.writerOptions,
      onLost,
      [{ type: 'RunStarted', agentId: agent.config.id, input }],
    ).catch((error: unknown) => {
      throw isStoreFault(error) ? new StoreUnavailableError(this.storeHealth.storeName, { cause: error }) : error;
    });
    request.onCreated?.();

    run = await this.launch(
      {
        workflowId,
        tenantId: request.tenantId,
        agent,
        threadId,
        input,
        continues: request.threadId != null,
      },
      writer,
      release,
      controller,
      logger,
    );

    // The row as RunStarted's commit left it (the writer applies its commits to the created row).
    const workflow = writer.committedRow ?? (await this.deps.store.getWorkflow(workflowId));
    if (!workflow) throw new Error(`workflow ${workflowId} vanished after it was created`);
    return workflow;
  }

  /**
   * Starts a queued workflow this instance has just claimed from the run queue (lease epoch 1,
   * src/store/run-queue.ts): commits its RunStarted now and drives it like `start`.
   */
  async startClaimed(workflow: WorkflowRecord): Promise<void> {
    const controller = new AbortController();
    let run: ActiveRun | undefined;
    const onLost = () => {
      if (run) run.stop ??= { kind: 'leaseLost' };
      controller.abort();
    };
    const logger = this.runLogger(workflow.id, workflow.agentId ?? '(none)');
    const { writer, release } = leaseClaimedWorkflow(
      { ...this.deps, logger, leases: this.leases },
      workflow.id,
      this.writerOptions,
      onLost,
    );
    const agent = workflow.agentId ? this.deps.agents.get(workflow.agentId) : undefined;
    if (!agent || this.draining) {
      // Its agent is gone from the config, or this instance is stopping: it ends rather than waits for ever.
      writer.append(
        agent
          ? interruptedEvent(null, 'the gateway shut down before this queued workflow started')
          : failedEvent(
              new RunError(
                RunErrorCode.INTERNAL,
                `the agent ${workflow.agentId ?? '(none)'} of this queued workflow is no longer configured`,
                { retryable: false },
              ),
              null,
            ),
      );
      await writer.flush();
      release();
      return;
    }
    const input = { ...(workflow.input as RunInput) };
    writer.append({ type: 'RunStarted', agentId: agent.config.id, input });
    await writer.flush();
    run = await this.launch(
      {
        workflowId: workflow.id,
        tenantId: workflow.tenantId,
        agent,
        threadId: workflow.threadId ?? workflow.id,
        input,
        continues: workflow.threadId != null,
      },
      writer,
      release,
      controller,
      logger,
    );
  }

  /**
   * Sets a run going on its own once its RunStarted is committed (by the caller: with the row at
   * a start, or as the first commit of a claimed workflow); throws when that commit failed.
   */
  private async launch(
    request: {
      workflowId: string;
      tenantId: string;
      agent: RegisteredAgent;
      threadId: string;
      input: RunInput;
      continues: boolean;
    },
    writer: WorkflowWriter,
    release: () => void,
    controller: AbortController,
    logger: Logger,
  ): Promise<ActiveRun> {
    const { workflowId, agent, input } = request;
    if (writer.error) {
      const error = writer.error;
      await this.commitFailures.endIfWriterFailed(workflowId, writer, null);
      release();
      this.deps.onRunSettled?.(workflowId);
      throw isStoreFault(error) ? new StoreUnavailableError(this.storeHealth.storeName, { cause: error }) : error;
    }

    const run: ActiveRun = {
      workflowId,
      writer,
      controller,
      stop: null,
      done: Promise.resolve(),
      epoch: 1,
      release,
      paused: false,
      logger,
    };
    this.active.set(workflowId, run);
    const thread = { tenantId: request.tenantId, continues: request.continues };
    run.done = this.drive(run, agent, request.threadId, input, thread)
      .catch((error: unknown) => logger.error('run driver failed', { error }))
      .finally(() => {
        release();
        if (this.active.get(workflowId) === run) this.active.delete(workflowId);
        this.deps.onRunSettled?.(workflowId);
      });
    return run;
  }

  /** Cancels a run of this process. False when it is not running here (finished or unknown). */
  async cancel(workflowId: string, reason: string | null = null): Promise<boolean> {
    const run = this.active.get(workflowId);
    if (!run || run.writer.isSealed) return false;
    run.stop ??= { kind: 'cancel', reason };
    run.controller.abort();
    await run.done;
    // It paused before the abort reached it: the pause is committed, so cancel the paused workflow.
    if (run.paused) return this.cancelPaused(workflowId, reason);
    return true;
  }

  /**
   * Ends a workflow paused for a person (INPUT_REQUIRED, on any instance) with RunCancelled: this
   * instance takes it over from the pause first, so of several cancels and answers exactly one
   * wins. False when it is not paused (any more).
   */
  async cancelPaused(workflowId: string, reason: string | null = null): Promise<boolean> {
    const takeover = await this.deps.store.interrupts.takeOver(
      workflowId,
      this.leases.instanceId,
      new Date(Date.now() + this.leases.leaseMs),
    );
    if (!takeover) return false;
    const ended = await endPausedWorkflow(
      this.deps,
      takeover,
      { type: 'RunCancelled', reason, usage: null },
      this.writerOptions,
    );
    if (ended) await this.cancelPausedChildren(workflowId);
    return ended;
  }

  /**
   * A paused parent that ends cancelled cancels its subagent children that wait with it
   * (docs/runtime.md, "Subagents": cancelling the parent cancels the child).
   */
  private async cancelPausedChildren(parentId: string): Promise<void> {
    try {
      for (const childId of await this.deps.store.links.childrenOf(parentId)) {
        const child = await this.deps.store.getWorkflow(childId);
        if (child?.status === 'INPUT_REQUIRED')
          await this.cancelPaused(childId, `the parent workflow ${parentId} stopped`);
      }
    } catch (error) {
      this.deps.logger.warn('could not cancel the paused children of a cancelled workflow', {
        workflowId: parentId,
        error,
      });
    }
  }

  /**
   * Resumes a paused workflow this instance has just taken over (its last interrupt answered, the
   * store moved it to RUNNING at `takeover.epoch`): the dialect continues the upstream with the
   * answers and the workflow's stream goes on with the next sequences. A CANCEL answer ends it
   * with RunCancelled instead. Returns once the run is under way (it goes on alone).
   */
  async resume(takeover: LeaseTakeover & { pause: PauseRecord }): Promise<void> {
    const { workflow, epoch, pause } = takeover;
    const cancel = pause.interrupts.find((interrupt) => interrupt.answer?.decision === 'CANCEL');
    const agent = workflow.agentId ? this.deps.agents.get(workflow.agentId) : undefined;
    if (cancel || !agent) {
      const reason = cancel ? (cancel.answer?.comment ?? 'cancelled by the person answering an interrupt') : null;
      const terminal: AgentEventBody = cancel
        ? { type: 'RunCancelled', reason, usage: null }
        : failedEvent(
            new RunError(
              RunErrorCode.INTERNAL,
              `the agent ${workflow.agentId ?? '(none)'} of this workflow is no longer configured`,
              { retryable: false },
            ),
            null,
          );
      const ended = await endPausedWorkflow(this.deps, takeover, terminal, this.writerOptions);
      if (ended && cancel) await this.cancelPausedChildren(workflow.id);
      return;
    }
    const controller = new AbortController();
    let run: ActiveRun | undefined;
    let lost = false;
    const lose = (error: LeaseLostError) => {
      if (lost) return;
      lost = true;
      writer.leaseLost(error);
      release();
      if (run) run.stop ??= { kind: 'leaseLost' };
      controller.abort();
    };
    const logger = this.runLogger(workflow.id, agent.config.id);
    const { writer, textBefore } = await resumedWriter({ ...this.deps, logger }, takeover, this.writerOptions, lose);
    const release = this.leases.hold(workflow.id, epoch, lose);
    run = {
      workflowId: workflow.id,
      writer,
      controller,
      stop: null,
      done: Promise.resolve(),
      epoch,
      release,
      paused: false,
      logger,
    };
    this.active.set(workflow.id, run);
    const answers = pause.interrupts.map((interrupt) => {
      const { workflowId: _w, sequence: _s, at: _a, ...request } = interrupt.request;
      return {
        request,
        decision: interrupt.answer!.decision,
        value: interrupt.answer!.value ?? null,
        arguments: interrupt.answer!.arguments ?? null,
        comment: interrupt.answer!.comment,
      };
    });
    const resume: DialectResume = { state: pause.state, answers };
    const threadId = workflow.threadId ?? workflow.id;
    const started = run;
    started.done = this.drive(
      started,
      agent,
      threadId,
      workflow.input as RunInput,
      { tenantId: workflow.tenantId, continues: true },
      resume,
      workflow.usage,
      textBefore,
    )
      .catch((error: unknown) => logger.error('run driver failed', { error }))
      .finally(() => {
        started.release();
        if (this.active.get(workflow.id) === started) this.active.delete(workflow.id);
        this.deps.onRunSettled?.(workflow.id);
      });
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
    this.commitFailures.stop();
  }

  private async drive(
    run: ActiveRun,
    agent: RegisteredAgent,
    threadId: string,
    input: RunInput,
    thread: { tenantId: string; continues: boolean } = { tenantId: 'default', continues: false },
    resume?: DialectResume,
    usageSoFar: Usage | null = null,
    /** A resumed run's text before the pause: its RunCompleted's text is the whole workflow's. */
    textBefore = '',
  ): Promise<void> {
    const { writer, controller } = run;
    const heartbeat = this.startHeartbeat(run, agent.config.heartbeatMs);
    let usage: Usage | null = usageSoFar;
    // The InterruptRequested events of this segment follow this sequence (the pause reads them back).
    const segmentStart = writer.lastCommittedSequence;
    let pauseState: { state: unknown } | null = null;
    let interrupts = 0;
    let pausing = false;
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
        tenantId: thread.tenantId,
        threadId,
        agent: agent.config,
        input,
        signal: controller.signal,
        history,
        logger: run.logger,
        onRetry: ({ code }) => this.deps.observer?.upstreamRetried?.(agent.config.id, code),
        pause: (state) => {
          pauseState = { state: state ?? null };
        },
        ...(resume ? { resume } : {}),
        onPoolWait: (wait) => {
          // Visible on the run, not only in the log: a run that waits for a socket looks stalled.
          this.deps.observer?.upstreamPoolWaited?.(agent.config.id, run.workflowId);
          writer.append({ type: 'LogMessage', level: 'WARN', message: poolWaitMessage(wait) });
        },
      };
      // A batch is what the upstream delivered at once (a TCP chunk's worth of frames): one async
      // step per batch, its bodies appended synchronously.
      const dialect = this.deps.runtime?.dialectFor(agent) ?? agent.dialect;
      iterator = dialect.runBatches(context)[Symbol.asyncIterator]();
      read: for (;;) {
        if (controller.signal.aborted) break;
        const next = iterator.next();
        const step = await new Promise<IteratorResult<readonly AgentEventBody[]> | typeof ABORTED>(
          (resolve, reject) => {
            wakeOnAbort = resolve;
            // an upstream that fails after abort must not become an unhandled rejection: the
            // rejection is handled here whether or not abort won
            next.then(resolve, reject);
          },
        );
        wakeOnAbort = null;
        if (step === ABORTED) break;
        if (step.done) {
          if (pauseState && interrupts > 0) {
            pausing = true;
            break;
          }
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
            const whole =
              body.type === 'RunCompleted' && textBefore !== '' ? { ...body, text: textBefore + body.text } : body;
            const checked = whole.type === 'RunCompleted' ? validateOutput(agent.config.outputSchema, whole) : whole;
            if (checked.type === 'RunFailed') {
              run.logger.warn('run failed', {
                code: checked.code,
                message: checked.message,
              });
            }
            writer.append(withUsage(checked, usage));
            break read;
          }
          if (body.type === 'InterruptRequested') {
            interrupts += 1;
            writer.append(withInterruptDefaults(body, agent.config.interruptTimeoutMs));
          } else {
            writer.append(body);
          }
          if (writer.error) break read;
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) {
        const runError = error instanceof RunError ? error : RunError.internal();
        if (!(error instanceof RunError)) {
          run.logger.error('run failed inside the gateway', { error });
        }
        writer.append(failedEvent(runError, usage));
      }
    } finally {
      clearTimeout(heartbeat);
      controller.signal.removeEventListener('abort', onAbort);
      if (controller.signal.aborted) writer.append(stoppedEvent(run.stop, usage));
      iterator?.return?.().catch(() => {});
      await writer.flush();
      // A commit failed and the writer stopped: the run still ends with a truthful terminal event.
      await this.commitFailures.endIfWriterFailed(run.workflowId, writer, usage);
    }
    if (pausing && !controller.signal.aborted && !writer.isSealed && writer.error === null) {
      await this.pause(run, agent, segmentStart, pauseState!.state);
    }
  }

  /**
   * The pause step: the InterruptRequested events are committed; the row goes INPUT_REQUIRED
   * with the pause record, and this instance lets go of the workflow (no lease, no upstream, no
   * memory). A cancel that arrives meanwhile is handled by `cancel` (it sees `paused`).
   */
  private async pause(run: ActiveRun, agent: RegisteredAgent, afterSequence: number, state: unknown): Promise<void> {
    // Stop renewing first: a renewal after the UPDATE would find the lease gone and call it lost.
    run.release();
    const paused = await this.deps.store.interrupts.pause(run.workflowId, {
      epoch: run.epoch,
      afterSequence,
      state,
      argumentsSchemas: toolSchemasOf(agent),
    });
    if (!paused) {
      run.logger.warn('could not pause the workflow: it was taken over meanwhile');
      return;
    }
    run.paused = true;
    this.deps.observer?.runPaused?.(run.workflowId);
    run.logger.info('workflow paused for a person (INPUT_REQUIRED)');
    try {
      const workflow = await this.deps.store.getWorkflow(run.workflowId);
      if (workflow) this.deps.pubsub.publishWorkflowUpdate(workflow);
    } catch (error) {
      run.logger.warn('could not publish a workflow update', { error });
    }
  }

  /**
   * The logger of one run: every line it writes (and its writer, dialect and transport write)
   * carries the workflow id, the agent id and the id of the request that started it
   * (docs/observability.md); the observers are told the same (the run logger's lines).
   */
  private runLogger(workflowId: string, agentId: string, requestId?: string): Logger {
    const fields = requestId !== undefined ? { requestId, workflowId, agentId } : { workflowId, agentId };
    this.deps.observer?.runContext?.(workflowId, fields);
    return withFields(this.deps.logger, fields);
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

/** Every InterruptRequested carries a question, and an expiry when the agent has `interruptTimeoutMs`. */
function withInterruptDefaults(
  body: Extract<AgentEventBody, { type: 'InterruptRequested' }>,
  timeoutMs: number | undefined,
): AgentEventBody {
  const message = body.message.trim() === '' ? defaultInterruptMessage(body) : body.message;
  const expiresAt = body.expiresAt ?? (timeoutMs === undefined ? null : new Date(Date.now() + timeoutMs).toISOString());
  return message === body.message && expiresAt === body.expiresAt ? body : { ...body, message, expiresAt };
}

function defaultInterruptMessage(body: Extract<AgentEventBody, { type: 'InterruptRequested' }>): string {
  switch (body.kind) {
    case 'TOOL_APPROVAL':
      return `Approve the call of the tool ${body.tool ?? '(unnamed)'}?`;
    case 'CLIENT_TOOL':
      return `Run the tool ${body.tool ?? '(unnamed)'} and send its result.`;
    default:
      return 'The agent is waiting for your input.';
  }
}

/** The argument schemas of the tools the agent's config lists, by name (edited APPROVE answers are checked against them). */
function toolSchemasOf(agent: RegisteredAgent): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  for (const tool of agent.dialect.tools ?? []) schemas[tool.name] = tool.inputSchema;
  for (const source of agent.config.tools ?? []) {
    const record = source as { name?: unknown; inputSchema?: unknown; tools?: unknown };
    if (typeof record.name === 'string' && record.inputSchema) schemas[record.name] = record.inputSchema;
    if (Array.isArray(record.tools)) {
      for (const tool of record.tools as { name?: unknown; inputSchema?: unknown }[]) {
        if (typeof tool.name === 'string' && tool.inputSchema) schemas[tool.name] = tool.inputSchema;
      }
    }
  }
  return schemas;
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
  if (stop?.kind === 'shutdown')
    return interruptedEvent(usage, 'the gateway shut down while this workflow was running');
  return { type: 'RunCancelled', reason: stop?.kind === 'cancel' ? stop.reason : null, usage };
}

/** The LogMessage of a run whose upstream request waits for a connection (docs/configuration.md, `pool`). */
function poolWaitMessage(wait: PoolWait): string {
  return `waiting for a free connection to ${wait.origin}: all ${wait.connections} connections of its pool are in use (agents[].pool.connections)`;
}
