import { RunErrorCode } from '../errors/index.js';
import type { Store, WorkflowRecord } from '../store/index.js';
import type { ToolCallReport } from './tool-call-runner.js';

/**
 * The report of a TOOL_CALL workflow that already ran (an idempotency key repeated,
 * docs/run-control.md), rebuilt from the store: waits until it has finished (it may run on
 * another instance), then reads its ToolResult back. Calls nothing.
 */
export async function replayToolCallReport(
  store: Store,
  workflow: WorkflowRecord,
  pollMs = 50,
): Promise<ToolCallReport> {
  let current = workflow;
  while (current.status === 'QUEUED' || current.status === 'RUNNING') {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    current = (await store.getWorkflow(current.id)) ?? current;
  }
  const events = await store.readEvents(current.id, 0, 100);
  const result = events.find((event) => event.type === 'ToolResult');
  if (current.status === 'SUCCEEDED' || current.error?.code === RunErrorCode.TOOL_ERROR) {
    const body = result as { result?: unknown; isError?: boolean } | undefined;
    return {
      workflow: current,
      outcome: { result: body?.result ?? current.output ?? null, isError: body?.isError ?? false },
      failure: null,
    };
  }
  return {
    workflow: current,
    outcome: null,
    failure: {
      code: current.error?.code ?? RunErrorCode.INTERNAL,
      message: current.error?.message ?? `the tool call ended ${current.status}`,
      retryable: current.error?.retryable ?? true,
    },
  };
}
