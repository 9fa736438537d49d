import type { AgentEvent } from '../events/index.js';

/**
 * What the gateway reports as it works. Metrics and tracing each implement it; the store
 * decorator (observe-store.ts) feeds it every commit, so runs started and finished, events,
 * batch sizes, commit latency, time to first event and upstream errors need no hook in the
 * bridge: they are read off the committed events, which are the truth about every run.
 */
export interface RunObserver {
  /** A batch of one workflow's events was committed in `durationMs` (and is published next). */
  eventsCommitted(workflowId: string, events: readonly AgentEvent[], durationMs: number): void;
  /** A commit attempt failed (the writer retries, then stops the run). */
  commitFailed(workflowId: string, error: unknown): void;
  /** An upstream request failed before any event and is tried again (the run manager reports it). */
  upstreamRetried?(agentId: string, code: string): void;
  /**
   * The run paused for a person (INPUT_REQUIRED): whatever an observer keeps per run is dropped,
   * since the workflow may resume on another instance, or never (docs/human-in-the-loop.md).
   */
  runPaused?(workflowId: string): void;
  /** An upstream request found its origin's pool at its cap and waits for a connection. */
  upstreamPoolWaited?(agentId: string, workflowId?: string): void;
  /**
   * A run starts or resumes on this instance: the ids its log lines carry (the run manager's
   * `withFields` logger), for an observer that writes lines of its own about it.
   */
  runContext?(workflowId: string, fields: RunLogFields): void;
}

/** The ids on every log line of a run (docs/observability.md). */
export interface RunLogFields {
  workflowId: string;
  agentId: string;
  requestId?: string;
}

/** Several observers as one. */
export function combineObservers(observers: readonly RunObserver[]): RunObserver {
  return {
    eventsCommitted: (workflowId, events, durationMs) => {
      for (const observer of observers) observer.eventsCommitted(workflowId, events, durationMs);
    },
    commitFailed: (workflowId, error) => {
      for (const observer of observers) observer.commitFailed(workflowId, error);
    },
    upstreamRetried: (agentId, code) => {
      for (const observer of observers) observer.upstreamRetried?.(agentId, code);
    },
    runPaused: (workflowId) => {
      for (const observer of observers) observer.runPaused?.(workflowId);
    },
    upstreamPoolWaited: (agentId, workflowId) => {
      for (const observer of observers) observer.upstreamPoolWaited?.(agentId, workflowId);
    },
    runContext: (workflowId, fields) => {
      for (const observer of observers) observer.runContext?.(workflowId, fields);
    },
  };
}
