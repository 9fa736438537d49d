import { RunErrorCode } from '../errors/index.js';
import type { AgentEvent } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { RunLogFields, RunObserver } from './observer.js';

/** Runs whose ids are kept at most (a run taken over by another instance never ends here). */
const MAX_CONTEXTS = 10_000;

/**
 * One log line when a run starts (debug) and one when it ends (info; warn when it failed), read
 * off the committed events like the metrics. Each line carries the workflow id, the agent id and
 * the id of the request that started the run, as the run manager told them (`runContext`).
 */
export function createRunLogger(logger: Logger): RunObserver {
  const started = new Map<string, number>();
  const contexts = new Map<string, RunLogFields>();
  const fieldsOf = (workflowId: string): Partial<RunLogFields> => contexts.get(workflowId) ?? { workflowId };
  return {
    runContext(workflowId, fields) {
      contexts.delete(workflowId); // keep the map in start order
      contexts.set(workflowId, fields);
      if (contexts.size > MAX_CONTEXTS) contexts.delete(contexts.keys().next().value!);
    },
    eventsCommitted(workflowId, events) {
      for (const event of events) {
        if (event.type === 'RunStarted') {
          started.set(workflowId, Date.parse(event.at));
          logger.debug('run started', { ...fieldsOf(workflowId), agentId: event.agentId });
        } else if (isTerminalEvent(event)) {
          const startedAt = started.get(workflowId);
          started.delete(workflowId);
          const fields = {
            ...fieldsOf(workflowId),
            durationMs: startedAt === undefined ? undefined : Date.parse(event.at) - startedAt,
            events: event.sequence,
            ...outcome(event),
          };
          contexts.delete(workflowId);
          if (event.type === 'RunFailed') logger.warn('run finished', fields);
          else logger.info('run finished', fields);
        }
      }
    },
    commitFailed() {
      // The writer logs commit failures itself, with the error.
    },
    runPaused(workflowId) {
      started.delete(workflowId);
      contexts.delete(workflowId);
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
