import { RunErrorCode } from '../errors/index.js';
import type { AgentEvent } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { RunLogFields, RunObserver } from './observer.js';

/** Runs kept at most (a run taken over by another instance never ends here). */
const MAX_RUNS = 10_000;

/** What the run logger keeps of a run of this instance until its end. */
interface RunEntry {
  fields: Partial<RunLogFields>;
  startedAt?: number;
}

/**
 * One log line when a run starts (debug) and one when it ends (info; warn when it failed), read
 * off the committed events like the metrics. Each line carries the workflow id, the agent id and
 * the id of the request that started the run, as the run manager told them (`runContext`).
 */
export function createRunLogger(logger: Logger): RunObserver {
  const runs = new Map<string, RunEntry>();
  const entryOf = (workflowId: string): RunEntry => {
    let entry = runs.get(workflowId);
    if (!entry) {
      entry = { fields: { workflowId } };
      runs.set(workflowId, entry);
      if (runs.size > MAX_RUNS) runs.delete(runs.keys().next().value!);
    }
    return entry;
  };
  return {
    runContext(workflowId, fields) {
      entryOf(workflowId).fields = fields;
    },
    eventsCommitted(workflowId, events) {
      for (const event of events) {
        if (event.type === 'RunStarted') {
          const entry = entryOf(workflowId);
          entry.startedAt = Date.parse(event.at);
          logger.debug('run started', { ...entry.fields, agentId: event.agentId });
        } else if (isTerminalEvent(event)) {
          const entry = runs.get(workflowId);
          runs.delete(workflowId);
          const fields = {
            ...(entry?.fields ?? { workflowId }),
            durationMs: entry?.startedAt === undefined ? undefined : Date.parse(event.at) - entry.startedAt,
            events: event.sequence,
            ...outcome(event),
          };
          if (event.type === 'RunFailed') logger.warn('run finished', fields);
          else logger.info('run finished', fields);
        }
      }
    },
    commitFailed() {
      // The writer logs commit failures itself, with the error.
    },
    runPaused(workflowId) {
      runs.delete(workflowId);
    },
  };
}

function isTerminalEvent(event: AgentEvent): boolean {
  return event.type === 'RunCompleted' || event.type === 'RunFailed' || event.type === 'RunCancelled';
}

function outcome(event: AgentEvent): Record<string, unknown> {
  const usage = 'usage' in event ? event.usage : null;
  const tokens = usage?.totalTokens ?? undefined;
  switch (event.type) {
    case 'RunCompleted':
      return { status: 'SUCCEEDED', totalTokens: tokens };
    case 'RunFailed':
      return {
        status: event.code === RunErrorCode.INTERRUPTED ? 'INTERRUPTED' : 'FAILED',
        code: event.code,
        message: event.message,
        totalTokens: tokens,
      };
    case 'RunCancelled':
      return { status: 'CANCELLED', reason: event.reason, totalTokens: tokens };
    default:
      return {};
  }
}
