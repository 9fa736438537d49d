import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { RunErrorCode } from '../errors/index.js';
import type { AgentEvent } from '../events/index.js';
import type { RunObserver } from './observer.js';

/** What the gauges read when Prometheus scrapes. */
export interface MetricsSources {
  activeRuns(): number;
  activeSubscriptions(): number;
  /** Registers the listener told each time a slow subscriber overflows its queue. */
  onSubscriptionLagged?(listener: () => void): void;
  /** Workflows paused for a person (INPUT_REQUIRED) in the store, all instances together. */
  pausedWorkflows?: () => Promise<number>;
  /** Workflows waiting QUEUED in the store, per agent, all instances together (docs/run-control.md). */
  queuedWorkflows?: () => Promise<Map<string, number>>;
}

interface RunTiming {
  agentId: string;
  startedAtMs: number;
  sawFirstEvent: boolean;
  /** The run waits for an upstream connection; its next LogMessage is the gateway's notice. */
  poolWaitNotice?: boolean;
}

/**
 * Every Prometheus metric of the gateway, in a registry of its own (several gateways in one
 * process never clash). The list, with labels and sources, is in docs/observability.md; a metric
 * whose source does not exist yet is registered anyway, so dashboards can be built now.
 */
export class SynapseMetrics implements RunObserver {
  readonly registry = new Registry();
  private readonly runs = new Map<string, RunTiming>();
  /** One child counter per event type: `inc()` on it skips hashing a label object per event. */
  private readonly committedByType = new Map<string, { inc(value?: number): void }>();

  readonly graphqlOperations = new Counter({
    name: 'synapse_graphql_operations_total',
    help: 'GraphQL operations executed, by type, operation name and outcome (ok or error).',
    labelNames: ['operation_type', 'operation_name', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly graphqlDuration = new Histogram({
    name: 'synapse_graphql_operation_duration_seconds',
    help: 'Execution time of GraphQL queries and mutations (subscriptions are counted, not timed).',
    labelNames: ['operation_type'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly runsStarted = new Counter({
    name: 'synapse_runs_started_total',
    help: 'Runs started (RunStarted committed), by agent.',
    labelNames: ['agent_id'] as const,
    registers: [this.registry],
  });
  readonly runsFinished = new Counter({
    name: 'synapse_runs_finished_total',
    help: 'Runs finished (terminal event committed), by agent and final status.',
    labelNames: ['agent_id', 'status'] as const,
    registers: [this.registry],
  });
  readonly runDuration = new Histogram({
    name: 'synapse_run_duration_seconds',
    help: 'Time from RunStarted to the terminal event, by agent and final status.',
    labelNames: ['agent_id', 'status'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  readonly committedEvents = new Counter({
    name: 'synapse_events_committed_total',
    help: 'Events committed to the store, by event type.',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly commitBatchSize = new Histogram({
    name: 'synapse_commit_batch_size',
    help: 'Events per committed batch (group commit).',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers: [this.registry],
  });
  readonly commitGroupWorkflows = new Histogram({
    name: 'synapse_commit_group_workflows',
    help: 'Workflows whose batches went to the store together in one group commit.',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    registers: [this.registry],
  });
  readonly commitGroupDuration = new Histogram({
    name: 'synapse_commit_group_duration_seconds',
    help: 'Time the store took for one group commit (one SQLite transaction, or one PostgreSQL statement).',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly commitDuration = new Histogram({
    name: 'synapse_commit_duration_seconds',
    help: "Time from handing one workflow's batch to the store to its commit (the wait for its group included).",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly commitFailures = new Counter({
    name: 'synapse_commit_failures_total',
    help: 'Commit attempts the store refused (each is retried a few times before the run stops).',
    registers: [this.registry],
  });
  readonly timeToFirstEvent = new Histogram({
    name: 'synapse_upstream_time_to_first_event_seconds',
    help: 'Time from RunStarted to the first event from the upstream, by agent.',
    labelNames: ['agent_id'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly upstreamErrors = new Counter({
    name: 'synapse_upstream_errors_total',
    help: 'Runs that ended with RunFailed, by agent and error code (docs/errors.md).',
    labelNames: ['agent_id', 'code'] as const,
    registers: [this.registry],
  });
  readonly upstreamPoolWaits = new Counter({
    name: 'synapse_upstream_pool_waits_total',
    help: "Upstream requests that found their origin's connection pool at its cap (agents[].pool.connections) and waited for a connection, by agent.",
    labelNames: ['agent_id'] as const,
    registers: [this.registry],
  });
  readonly upstreamRetries = new Counter({
    name: 'synapse_upstream_retries_total',
    help: 'Upstream requests tried again after a retryable failure before the first upstream event, by agent.',
    labelNames: ['agent_id'] as const,
    registers: [this.registry],
  });
  readonly subscriptionsLagged = new Counter({
    name: 'synapse_subscriptions_lagged_total',
    help: 'Times a slow subscriber overflowed its live queue and caught up from the store.',
    registers: [this.registry],
  });

  readonly interruptAnswers = new Counter({
    name: 'synapse_interrupt_answers_total',
    help: 'Answers to interrupts committed by respondToInterrupts (InterruptResolved events); `resumed` says whether the call resumed the run.',
    labelNames: ['resumed'] as const,
    registers: [this.registry],
  });
  readonly interruptsExpired = new Counter({
    name: 'synapse_interrupts_expired_total',
    help: 'Paused workflows this instance ended with RunFailed INTERRUPT_EXPIRED.',
    registers: [this.registry],
  });

  readonly queueWait = new Histogram({
    name: 'synapse_queue_wait_seconds',
    help: 'How long a QUEUED workflow waited before this instance started it (busy thread or agent concurrency), by agent.',
    labelNames: ['agent_id'] as const,
    buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [this.registry],
  });

  readonly webhookAttempts = new Counter({
    name: 'synapse_webhook_attempts_total',
    help: 'Webhook delivery attempts by outcome: delivered, retry (failed, will be tried again) or failed (gave up).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Told by the run queue when a queued workflow starts. */
  runDequeued(agentId: string, waitedMs: number): void {
    this.queueWait.observe({ agent_id: agentId }, waitedMs / 1000);
  }

  runPaused(workflowId: string): void {
    this.runs.delete(workflowId);
  }

  /** Told by respondToInterrupts about the answers it committed. */
  interruptsAnswered(answers: number, resumed: boolean): void {
    this.interruptAnswers.inc({ resumed: resumed ? 'true' : 'false' }, answers);
  }

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Registers the gauges that read live state (active runs, active subscriptions). */
  watch(sources: MetricsSources): void {
    new Gauge({
      name: 'synapse_active_runs',
      help: 'Runs in progress in this process.',
      registers: [this.registry],
      collect() {
        this.set(sources.activeRuns());
      },
    });
    new Gauge({
      name: 'synapse_active_subscriptions',
      help: 'Workflow event streams being read (agentStream over graphql-ws or SSE).',
      registers: [this.registry],
      collect() {
        this.set(sources.activeSubscriptions());
      },
    });
    const paused = sources.pausedWorkflows;
    if (paused) {
      new Gauge({
        name: 'synapse_paused_workflows',
        help: 'Workflows waiting for a person (INPUT_REQUIRED), read from the store at scrape time.',
        registers: [this.registry],
        async collect() {
          this.set(await paused());
        },
      });
    }
    const queued = sources.queuedWorkflows;
    if (queued) {
      new Gauge({
        name: 'synapse_queued_workflows',
        help: 'Workflows waiting QUEUED (busy thread or agent concurrency), by agent, read from the store at scrape time.',
        labelNames: ['agent_id'] as const,
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const [agentId, count] of await queued()) this.set({ agent_id: agentId }, count);
        },
      });
    }
    sources.onSubscriptionLagged?.(() => this.subscriptionsLagged.inc());
  }

  eventsCommitted(workflowId: string, events: readonly AgentEvent[], durationMs: number): void {
    this.commitBatchSize.observe(events.length);
    this.commitDuration.observe(durationMs / 1000);
    const run = this.runs.get(workflowId);
    // The counter is incremented once per event type of the batch, not once per event (a
    // prom-client increment costs about ten times a Map update).
    const byType = new Map<string, number>();
    for (const event of events) {
      byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
      // Most events (text deltas of a run already under way) need nothing more.
      if (run?.sawFirstEvent && event.type !== 'RunStarted' && finalStatus(event) === null) continue;
      this.onEvent(workflowId, event);
    }
    for (const [type, count] of byType) this.countCommitted(type, count);
  }

  private countCommitted(type: string, count: number): void {
    let counter = this.committedByType.get(type);
    if (!counter) {
      counter = this.committedEvents.labels(type);
      this.committedByType.set(type, counter);
    }
    counter.inc(count);
  }

  commitFailed(): void {
    this.commitFailures.inc();
  }

  upstreamRetried(agentId: string): void {
    this.upstreamRetries.inc({ agent_id: agentId });
  }

  upstreamPoolWaited(agentId: string, workflowId?: string): void {
    this.upstreamPoolWaits.inc({ agent_id: agentId });
    // The run's LogMessage about the wait is the gateway's, not the upstream's first event.
    const run = workflowId === undefined ? undefined : this.runs.get(workflowId);
    if (run) run.poolWaitNotice = true;
  }

  /** The run lifecycle, read off the committed events. */
  private onEvent(workflowId: string, event: AgentEvent): void {
    const atMs = Date.parse(event.at);
    if (event.type === 'RunStarted') {
      this.runsStarted.inc({ agent_id: event.agentId });
      this.runs.set(workflowId, { agentId: event.agentId, startedAtMs: atMs, sawFirstEvent: false });
      return;
    }
    const run = this.runs.get(workflowId);
    const agentId = run?.agentId ?? 'unknown';
    const status = finalStatus(event);
    if (status === null) {
      if (run?.poolWaitNotice && event.type === 'LogMessage') {
        run.poolWaitNotice = false;
        return;
      }
      if (run && !run.sawFirstEvent) {
        run.sawFirstEvent = true;
        this.timeToFirstEvent.observe({ agent_id: agentId }, (atMs - run.startedAtMs) / 1000);
      }
      return;
    }
    this.runs.delete(workflowId);
    this.runsFinished.inc({ agent_id: agentId, status });
    if (run) this.runDuration.observe({ agent_id: agentId, status }, (atMs - run.startedAtMs) / 1000);
    if (event.type === 'RunFailed') this.upstreamErrors.inc({ agent_id: agentId, code: event.code });
  }
}

function finalStatus(event: AgentEvent): string | null {
  switch (event.type) {
    case 'RunCompleted':
      return 'SUCCEEDED';
    case 'RunFailed':
      return event.code === RunErrorCode.INTERRUPTED ? 'INTERRUPTED' : 'FAILED';
    case 'RunCancelled':
      return 'CANCELLED';
    default:
      return null;
  }
}
