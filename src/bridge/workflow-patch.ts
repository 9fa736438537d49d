import { RunErrorCode } from '../errors/index.js';
import type { AgentEvent, Usage } from '../events/index.js';
import type { WorkflowPatch } from '../store/index.js';

/**
 * What a committed batch changes on its workflow row: status transitions, usage, output and the
 * terminal error. `textSoFar` gives the run's whole text, kept by the writer: it is asked for and
 * written with the terminal event only (while the run streams, readers rebuild it from the stored
 * deltas).
 */
export function patchFromEvents(events: readonly AgentEvent[], textSoFar: () => string | null): WorkflowPatch {
  const patch: WorkflowPatch = {};
  for (const event of events) {
    switch (event.type) {
      case 'RunStarted':
        patch.status = 'RUNNING';
        patch.startedAt = new Date(event.at);
        break;
      case 'UsageUpdated':
        patch.usage = event.usage;
        break;
      case 'RunCompleted':
        patch.status = 'SUCCEEDED';
        patch.output = event.output ?? null;
        patch.text = event.text;
        keepUsage(patch, event.usage);
        patch.finishedAt = new Date(event.at);
        break;
      case 'RunFailed':
        patch.status = event.code === RunErrorCode.INTERRUPTED ? 'INTERRUPTED' : 'FAILED';
        patch.error = { code: event.code, message: event.message, retryable: event.retryable };
        patch.text = textSoFar();
        keepUsage(patch, event.usage);
        patch.finishedAt = new Date(event.at);
        break;
      case 'RunCancelled':
        patch.status = 'CANCELLED';
        patch.text = textSoFar();
        keepUsage(patch, event.usage);
        patch.finishedAt = new Date(event.at);
        break;
      default:
        break;
    }
  }
  return patch;
}

function keepUsage(patch: WorkflowPatch, usage: Usage | null): void {
  if (usage) patch.usage = usage;
}
