import type { RespondOutcome, RespondRequest } from '../bridge/interrupt-answers.js';
import type { ToolDefinition } from '../dialects/types.js';
import type { AgentEventBodyOf } from '../events/index.js';
import type { WorkflowRecord } from '../store/index.js';
import type { PausedWorkflow } from '../store/interrupts.js';

/** What a subagent call needs of the bridge and the store (the RunManager, the Store and `respondToInterrupts` satisfy it). */
export interface ChildRunHost {
  runs: {
    start(request: {
      agentId: string;
      tenantId: string;
      input: { messages: { role: 'user'; content: string }[]; prompt: string; clientTools?: ClientTool[] };
      workflowId: string;
    }): Promise<WorkflowRecord>;
    waitFor(workflowId: string): Promise<void>;
    cancel(workflowId: string, reason?: string | null): Promise<boolean>;
  };
  store: {
    getWorkflow(id: string): Promise<WorkflowRecord | undefined>;
    links: {
      link(link: { childId: string; parentId: string; toolCallId: string }): Promise<void>;
      parentOf(childId: string): Promise<string | null>;
    };
    interrupts: { read(workflowId: string): Promise<PausedWorkflow | undefined> };
  };
  /** Answers a paused child's interrupts (`respondToInterrupts`), which resumes it on this instance. */
  respond(request: RespondRequest): Promise<RespondOutcome>;
}

type ClientTool = ToolDefinition;

/** A child that paused for a person: its open interrupts, which the parent's run waits on (docs/runtime.md). */
export interface SubagentPause {
  childWorkflowId: string;
  interrupts: AgentEventBodyOf<'InterruptRequested'>[];
}

/** How a subagent call ended: a result for the model (an error result when the child failed), or the child's pause. */
export type SubagentOutcome = { result: unknown; isError: boolean } | { paused: SubagentPause };

/**
 * Runs a subagent call as a child workflow of the same tenant (docs/runtime.md): starts the
 * named agent with the prompt under the id already announced in the call's ToolCallCompleted,
 * links it to its parent, waits for it, and answers with its output (an error result when it
 * failed, its open interrupts when it paused for a person). The parent's client tools are the
 * child's too. Aborting `signal` cancels the child.
 */
export async function runSubagent(
  host: ChildRunHost,
  call: {
    parentWorkflowId: string;
    tenantId: string;
    agentId: string;
    toolCallId: string;
    childWorkflowId: string;
    prompt: string;
    maxDepth: number;
    clientTools?: readonly ClientTool[];
  },
  signal: AbortSignal,
): Promise<SubagentOutcome> {
  // The child's depth: the top run is 1, its child 2 (`maxDepth`, docs/runtime.md).
  let depth = 1;
  for (let id: string | null = call.parentWorkflowId; id !== null && depth <= call.maxDepth; depth++) {
    id = await host.store.links.parentOf(id);
  }
  if (depth > call.maxDepth) {
    return {
      result: {
        error: `maxDepth: the subagent tool ${call.agentId} nests runs at most ${call.maxDepth} deep (this call would be run ${depth} of the chain); it was not started`,
      },
      isError: true,
    };
  }
  await host.runs.start({
    agentId: call.agentId,
    tenantId: call.tenantId,
    // The run's client tools reach its children: a child may ask the client too (docs/runtime.md).
    input: {
      prompt: call.prompt,
      messages: [{ role: 'user', content: call.prompt }],
      ...(call.clientTools?.length ? { clientTools: [...call.clientTools] } : {}),
    },
    workflowId: call.childWorkflowId,
  });
  await host.store.links.link({
    childId: call.childWorkflowId,
    parentId: call.parentWorkflowId,
    toolCallId: call.toolCallId,
  });
  return awaitChild(host, call.childWorkflowId, call.parentWorkflowId, signal);
}

/**
 * Goes on with a child that paused: forwards the answers the parent's interrupts got to the
 * child's own interrupts (which resumes the child), then waits for it as `runSubagent` does.
 * Answers the child no longer waits for (it was answered or ended meanwhile) are left out.
 */
export async function resumeSubagent(
  host: ChildRunHost,
  call: { parentWorkflowId: string; tenantId: string; childWorkflowId: string; answers: RespondRequest['responses'] },
  signal: AbortSignal,
): Promise<SubagentOutcome> {
  const paused = await host.store.interrupts.read(call.childWorkflowId);
  const open = new Set(
    (paused?.pause?.interrupts ?? [])
      .filter((interrupt) => interrupt.answer === null)
      .map((interrupt) => interrupt.request.interruptId),
  );
  const responses =
    paused?.workflow.status === 'INPUT_REQUIRED' ? call.answers.filter((answer) => open.has(answer.interruptId)) : [];
  if (responses.length > 0) {
    const outcome = await host.respond({
      workflowId: call.childWorkflowId,
      tenantId: call.tenantId,
      respondedBy: `workflow:${call.parentWorkflowId}`,
      responses,
    });
    if (outcome.kind === 'invalid') {
      return {
        result: {
          error: "the answer does not fit the subagent's interrupt",
          issues: outcome.issues.map((issue) => `${issue.field} ${issue.message}`),
        },
        isError: true,
      };
    }
  }
  return awaitChild(host, call.childWorkflowId, call.parentWorkflowId, signal);
}

async function awaitChild(
  host: ChildRunHost,
  childWorkflowId: string,
  parentWorkflowId: string,
  signal: AbortSignal,
): Promise<SubagentOutcome> {
  const onAbort = () =>
    void host.runs.cancel(childWorkflowId, `the parent workflow ${parentWorkflowId} stopped`).catch(() => {});
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal.aborted) onAbort();
    await host.runs.waitFor(childWorkflowId);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  const child = await host.store.getWorkflow(childWorkflowId);
  if (child?.status === 'SUCCEEDED') return { result: child.output ?? child.text ?? null, isError: false };
  if (child?.status === 'INPUT_REQUIRED') {
    const paused = await host.store.interrupts.read(childWorkflowId);
    const interrupts = (paused?.pause?.interrupts ?? [])
      .filter((interrupt) => interrupt.answer === null)
      .map((interrupt) => {
        const { workflowId: _workflowId, sequence: _sequence, at: _at, ...request } = interrupt.request;
        return request;
      });
    if (interrupts.length > 0) return { paused: { childWorkflowId, interrupts } };
  }
  const error = child?.error;
  return {
    result: {
      error: error ? `${error.code}: ${error.message}` : `the subagent ended ${child?.status ?? 'UNKNOWN'}`,
      childStatus: child?.status ?? null,
    },
    isError: true,
  };
}
