import type { WorkflowRecord } from '../store/index.js';

/** What a subagent call needs of the bridge and the store (the RunManager and the Store satisfy it). */
export interface ChildRunHost {
  runs: {
    start(request: { agentId: string; tenantId: string; input: { messages: { role: 'user'; content: string }[]; prompt: string }; workflowId: string }): Promise<WorkflowRecord>;
    waitFor(workflowId: string): Promise<void>;
    cancel(workflowId: string, reason?: string | null): Promise<boolean>;
  };
  store: {
    getWorkflow(id: string): Promise<WorkflowRecord | undefined>;
    links: {
      link(link: { childId: string; parentId: string; toolCallId: string }): Promise<void>;
      parentOf(childId: string): Promise<string | null>;
    };
  };
}

/**
 * Runs a subagent call as a child workflow of the same tenant (docs/runtime.md): starts the
 * named agent with the prompt under the id already announced in the call's ToolCallCompleted,
 * links it to its parent, waits for it, and answers with its output (an error result when it
 * failed). Aborting `signal` cancels the child.
 */
export async function runSubagent(
  host: ChildRunHost,
  call: { parentWorkflowId: string; tenantId: string; agentId: string; toolCallId: string; childWorkflowId: string; prompt: string; maxDepth: number },
  signal: AbortSignal,
): Promise<{ result: unknown; isError: boolean }> {
  // The child's depth: the top run is 1, its child 2 (`maxDepth`, docs/runtime.md).
  let depth = 1;
  for (let id: string | null = call.parentWorkflowId; id !== null && depth <= call.maxDepth; depth++) {
    id = await host.store.links.parentOf(id);
  }
  if (depth > call.maxDepth) {
    return {
      result: { error: `maxDepth: the subagent tool ${call.agentId} nests runs at most ${call.maxDepth} deep (this call would be run ${depth} of the chain); it was not started` },
      isError: true,
    };
  }
  await host.runs.start({
    agentId: call.agentId,
    tenantId: call.tenantId,
    input: { prompt: call.prompt, messages: [{ role: 'user', content: call.prompt }] },
    workflowId: call.childWorkflowId,
  });
  await host.store.links.link({ childId: call.childWorkflowId, parentId: call.parentWorkflowId, toolCallId: call.toolCallId });
  const onAbort = () => void host.runs.cancel(call.childWorkflowId, `the parent workflow ${call.parentWorkflowId} stopped`).catch(() => {});
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await host.runs.waitFor(call.childWorkflowId);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  const child = await host.store.getWorkflow(call.childWorkflowId);
  if (child?.status === 'SUCCEEDED') return { result: child.output ?? child.text ?? null, isError: false };
  const error = child?.error;
  return {
    result: { error: error ? `${error.code}: ${error.message}` : `the subagent ended ${child?.status ?? 'UNKNOWN'}`, childStatus: child?.status ?? null },
    isError: true,
  };
}
