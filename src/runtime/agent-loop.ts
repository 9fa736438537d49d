import { isTerminal, RunErrorCode, type AgentEventBody, type AgentEventBodyOf, type Usage } from '../events/index.js';
import {
  conversationOf,
  RUNTIME_MESSAGE_EVENT,
  type ConversationMessage,
  type ConversationToolCall,
} from '../dialects/conversation.js';
import type { Dialect, DialectRunContext, ResolvedInterrupt, ToolDefinition } from '../dialects/types.js';
import type { ToolSourceConfig } from '../config/index.js';
import { executeToolCall, resultContent, type ExecutedCall, type RuntimeTools } from './tool-execution.js';
import { addUsage } from './usage-sum.js';
import { validateOutput } from '../bridge/output-validator.js';
import { randomUUID } from 'node:crypto';
import { SUBAGENT_INPUT_SCHEMA, SubagentToolSource } from '../tools/subagent-tool-source.js';
import { resumeSubagent, runSubagent, type ChildRunHost, type SubagentOutcome } from './subagent-runner.js';
import { mirroredInterrupts, settle, subagentWaiting, type WaitingCall } from './subagent-pause.js';

/** Model requests one run may make unless the agent's `maxSteps` says otherwise. */
export const DEFAULT_MAX_STEPS = 10;

/** Turns spent fixing an answer that fails `outputSchema` unless `outputRetries` says otherwise. */
export const DEFAULT_OUTPUT_RETRIES = 2;

/** The dialects whose agents Synapse runs the tool loop for (docs/runtime.md). */
export const MODEL_DIALECTS: ReadonlySet<string> = new Set(['openai-chat', 'openai-responses', 'anthropic-messages']);

type Call = ConversationToolCall;

/** What the loop keeps across a pause for a person (JSON; docs/runtime.md). */
interface LoopPauseState {
  runtime: 1;
  /** The step whose tool calls wait. */
  step: number;
  conversation: ConversationMessage[];
  usage: Usage | null;
  /** The calls that wait for an answer, with how each waits. */
  waiting: WaitingCall[];
  /** Structured-output retries still allowed. */
  retriesLeft: number;
}

/**
 * Wraps a model dialect (one request, one answer) in the agent loop: model turn, the tool calls
 * it asked for, the next turn, until an answer (docs/runtime.md). An agent that offers no
 * tools makes one request, as the dialect alone would.
 */
export function withAgentLoop(
  inner: Dialect,
  tools: RuntimeTools,
  host: () => ChildRunHost | null = () => null,
): Dialect {
  const batches = (context: DialectRunContext): AsyncIterable<readonly AgentEventBody[]> =>
    // Nothing for the loop to do (no tools, no output schema, no pause of the loop to resume):
    // the dialect's own batches, without a generator step around each one (one per token at
    // model pace; docs/performance.md, "The fourth pass").
    loopHasWork(tools, context) ? runLoop(inner, tools, context, host()) : inner.runBatches(context);
  return {
    name: inner.name,
    ...(inner.tools ? { tools: inner.tools } : {}),
    runBatches: batches,
  };
}

async function* runLoop(
  inner: Dialect,
  tools: RuntimeTools,
  context: DialectRunContext,
  host: ChildRunHost | null,
): AsyncGenerator<readonly AgentEventBody[]> {
  const agent = context.agent;
  const offered = offeredTools(tools, context);
  // Subagent tools by name: the agent each runs (docs/runtime.md).
  const subagents = new Map<string, SubagentToolSource>();
  for (const tool of tools.list(agent.id) ?? []) {
    if (tool.source instanceof SubagentToolSource) subagents.set(tool.name, tool.source);
  }
  // Children of each subagent tool running now for this run (`maxConcurrent`).
  const running = new Map<string, number>();
  const childIds = new Map<string, string>();
  const owners = toolOwners(tools, agent.id);
  const execute = async (call: Call): Promise<SubagentOutcome> => {
    const subagent = subagents.get(call.name);
    if (subagent === undefined) return executeToolCall(tools, agent.id, call, context.signal);
    const check = tools.validator.check(SUBAGENT_INPUT_SCHEMA, call.arguments, 'arguments');
    if (!check.ok)
      return {
        result: { error: 'invalid arguments', issues: check.issues.map((issue) => `${issue.field} ${issue.message}`) },
        isError: true,
      };
    const childWorkflowId = childIds.get(call.id);
    if (!host || !childWorkflowId) return { result: { error: 'subagents cannot run here' }, isError: true };
    const now = running.get(call.name) ?? 0;
    if (now >= subagent.maxConcurrent) {
      return {
        result: {
          error: `maxConcurrent: the subagent tool ${call.name} runs at most ${subagent.maxConcurrent} children of one run at once; this call was not started`,
        },
        isError: true,
      };
    }
    running.set(call.name, now + 1);
    try {
      return await runSubagent(
        host,
        {
          parentWorkflowId: context.workflowId,
          tenantId: context.tenantId ?? 'default',
          agentId: subagent.agentId,
          toolCallId: call.id,
          childWorkflowId,
          prompt: (call.arguments as { prompt: string }).prompt,
          maxDepth: subagent.maxDepth,
          ...(context.input.clientTools ? { clientTools: context.input.clientTools } : {}),
        },
        context.signal,
      );
    } finally {
      running.set(call.name, (running.get(call.name) ?? 1) - 1);
    }
  };
  // A child that paused goes on once the parent's mirrored interrupts are answered.
  const resumeChild = async (entry: WaitingCall, answers: readonly ResolvedInterrupt[]): Promise<SubagentOutcome> => {
    if (!host || !entry.childWorkflowId) return { result: { error: 'subagents cannot run here' }, isError: true };
    const responses = (entry.mirrored ?? []).flatMap(({ interruptId, childInterruptId }) => {
      const answer = answers.find((candidate) => candidate.request.interruptId === interruptId);
      if (!answer) return [];
      return [
        {
          interruptId: childInterruptId,
          decision: answer.decision,
          value: answer.value,
          arguments: answer.arguments,
          message: answer.comment,
        },
      ];
    });
    return resumeSubagent(
      host,
      {
        parentWorkflowId: context.workflowId,
        tenantId: context.tenantId ?? 'default',
        childWorkflowId: entry.childWorkflowId,
        answers: responses,
      },
      context.signal,
    );
  };
  const toolResult = (call: Call, outcome: ExecutedCall): AgentEventBodyOf<'ToolResult'> => {
    const childWorkflowId = childIds.get(call.id);
    return {
      type: 'ToolResult',
      toolCallId: call.id,
      result: outcome.result,
      isError: outcome.isError,
      ...(childWorkflowId ? { childWorkflowId } : {}),
    };
  };
  const resumeState = loopStateOf(context.resume?.state);
  const outputSchema = agent.outputSchema;
  const maxSteps = agent.maxSteps ?? DEFAULT_MAX_STEPS;
  const conversation: ConversationMessage[] = resumeState ? [...resumeState.conversation] : conversationOf(context);
  let usage: Usage | null = resumeState?.usage ?? null;
  let text = '';
  let step = resumeState?.step ?? 0;
  let retriesLeft = resumeState?.retriesLeft ?? agent.outputRetries ?? DEFAULT_OUTPUT_RETRIES;

  if (resumeState) {
    // The answers of the pause: approved calls run now, rejected ones and client results are results.
    for (const entry of resumeState.waiting)
      if (entry.childWorkflowId) childIds.set(entry.call.id, entry.childWorkflowId);
    const { done, paused } = settle(
      await answerWaiting(execute, resumeChild, resumeState.waiting, context.resume!.answers),
    );
    if (done.length > 0) yield done.map(({ call, outcome }) => toolResult(call, outcome));
    for (const { call, outcome } of done) conversation.push(toolMessage(call, outcome));
    if (paused.length > 0) {
      // A child paused again: the parent waits again, without a model turn.
      const waiting = paused.map(({ call, pause }) => subagentWaiting(call, pause));
      yield paused.flatMap(({ call, pause }) => mirroredInterrupts(call, pause));
      context.pause?.({ runtime: 1, step, conversation, usage, waiting, retriesLeft } satisfies LoopPauseState);
      return;
    }
  }

  for (;;) {
    step += 1;
    const name = `step-${step}`;
    yield [{ type: 'StepStarted', name }];
    const turn: TurnResult = { text: '', calls: [], terminal: null, usage: null };
    const turnContext: DialectRunContext = {
      ...context,
      modelTurn: { conversation, tools: offered, ...(outputSchema ? { outputSchema } : {}) },
    };
    delete turnContext.resume;
    for await (const batch of inner.runBatches(turnContext)) {
      const out: AgentEventBody[] = [];
      for (const body of batch) {
        if (isTerminal(body)) {
          turn.terminal = body;
          break;
        }
        if (body.type === 'UsageUpdated') {
          turn.usage = body.usage;
          out.push({ type: 'UsageUpdated', usage: addUsage(usage, body.usage)! });
          continue;
        }
        if (body.type === 'TextDelta') turn.text += body.delta;
        if (body.type === 'ToolCallCompleted') {
          turn.calls.push({ id: body.toolCallId, name: body.toolName, arguments: body.arguments });
          if (subagents.has(body.toolName)) {
            // The child's id is announced with the call, before the child starts.
            const childWorkflowId = randomUUID();
            childIds.set(body.toolCallId, childWorkflowId);
            out.push({ ...body, childWorkflowId });
            continue;
          }
        }
        out.push(body);
      }
      if (out.length > 0) yield out;
      if (turn.terminal) break;
    }
    const turnUsage = turn.usage ?? (turn.terminal && 'usage' in turn.terminal ? turn.terminal.usage : null);
    usage = addUsage(usage, turnUsage);
    text += turn.text;
    // No terminal body: the bridge ends the run UPSTREAM_DISCONNECTED (usage kept from UsageUpdated).
    if (!turn.terminal) return;
    if (turn.terminal.type !== 'RunCompleted') {
      yield [{ type: 'StepFinished', name }, { ...turn.terminal, usage } as AgentEventBody];
      return;
    }
    yield [{ type: 'StepFinished', name }];
    if (turn.calls.length === 0) {
      const completed: AgentEventBodyOf<'RunCompleted'> = {
        type: 'RunCompleted',
        output: turn.terminal.output,
        text,
        usage,
      };
      if (outputSchema && retriesLeft > 0 && step < maxSteps) {
        // Structured output: a failing answer goes back with the errors (docs/runtime.md);
        // the last one is judged by the bridge's output validation (OUTPUT_VALIDATION).
        const checked = validateOutput(outputSchema, { ...completed, output: turn.text });
        if (checked.type === 'RunFailed') {
          retriesLeft -= 1;
          const retry = { role: 'user', content: outputRetryPrompt(checked.message) } as const;
          conversation.push({ role: 'assistant', content: turn.text, toolCalls: [] });
          conversation.push(retry);
          // Stored, so that a thread's next turn carries the whole exchange (thread-history.ts).
          yield [{ type: 'CustomEvent', name: RUNTIME_MESSAGE_EVENT, value: retry }];
          continue;
        }
        yield [checked];
        return;
      }
      yield [outputSchema ? { ...completed, output: turn.text } : completed];
      return;
    }
    conversation.push({ role: 'assistant', content: turn.text, toolCalls: turn.calls });
    if (step >= maxSteps) {
      yield [maxStepsFailed(maxSteps, usage)];
      return;
    }
    const waiting: WaitingCall[] = turn.calls.flatMap((call) => {
      const kind = waitKind(context, call.name, owners);
      const childWorkflowId = childIds.get(call.id);
      return kind ? [{ call, kind, ...(childWorkflowId ? { childWorkflowId } : {}) }] : [];
    });
    const now = turn.calls.filter((call) => !waiting.some((entry) => entry.call.id === call.id));
    const { done, paused } = settle(
      await Promise.all(now.map(async (call) => ({ call, outcome: await execute(call) }))),
    );
    if (done.length > 0) yield done.map(({ call, outcome }) => toolResult(call, outcome));
    for (const { call, outcome } of done) conversation.push(toolMessage(call, outcome));
    // A subagent whose child paused for a person waits with the calls that wait for one.
    for (const { call, pause } of paused) waiting.push(subagentWaiting(call, pause));
    if (waiting.length > 0) {
      const pausedById = new Map(paused.map((entry) => [entry.call.id, entry.pause]));
      yield waiting.flatMap(({ call, kind }) =>
        kind === 'SUBAGENT' ? mirroredInterrupts(call, pausedById.get(call.id)!) : [interruptFor(call, kind)],
      );
      context.pause?.({ runtime: 1, step, conversation, usage, waiting, retriesLeft } satisfies LoopPauseState);
      return;
    }
  }
}

interface TurnResult {
  text: string;
  calls: Call[];
  terminal: AgentEventBody | null;
  usage: Usage | null;
}

/** Whether a run needs the loop at all: tools to offer, an output schema to check, or its pause to resume. */
function loopHasWork(tools: RuntimeTools, context: DialectRunContext): boolean {
  return (
    offeredTools(tools, context).length > 0 ||
    Boolean(context.agent.outputSchema) ||
    loopStateOf(context.resume?.state) !== null
  );
}

/** The agent's tools (its sources) and the run's client tools, as offered to the model. */
function offeredTools(tools: RuntimeTools, context: DialectRunContext): ToolDefinition[] {
  const offered: ToolDefinition[] = (tools.list(context.agent.id) ?? []).map(({ name, description, inputSchema }) => ({
    name,
    description,
    inputSchema,
  }));
  for (const tool of context.input.clientTools ?? []) {
    if (!offered.some((known) => known.name === tool.name)) offered.push(tool);
  }
  return offered;
}

/** How a call waits for a person: a client tool, a tool whose source requires approval, or not at all. */
function waitKind(
  context: DialectRunContext,
  toolName: string,
  owners: ReadonlyMap<string, number>,
): 'TOOL_APPROVAL' | 'CLIENT_TOOL' | null {
  if ((context.input.clientTools ?? []).some((tool) => tool.name === toolName)) return 'CLIENT_TOOL';
  // Only the source that provides the tool decides (an MCP source's `true` covers its own tools).
  const owner = owners.get(toolName);
  const source = owner === undefined ? undefined : context.agent.tools?.[owner];
  return source && requiresApproval(source, toolName) ? 'TOOL_APPROVAL' : null;
}

/** Each configured tool's source, as its index in the agent's `tools` list (from the registry's `agents[i].tools[j]` labels). */
function toolOwners(tools: RuntimeTools, agentId: string): Map<string, number> {
  const owners = new Map<string, number>();
  for (const tool of tools.list(agentId) ?? []) {
    const match = /\.tools\[(\d+)\]$/.exec(tool.source.label);
    if (match) owners.set(tool.name, Number(match[1]));
  }
  return owners;
}

function requiresApproval(source: ToolSourceConfig, toolName: string): boolean {
  const rule = source.requireApproval;
  if (rule === undefined || rule === false) return false;
  const names = sourceToolNames(source);
  if (rule === true) return names === null || names.includes(toolName);
  return rule.includes(toolName);
}

/** The tool names a source declares in the config; null for MCP (its tools are listed at run time). */
function sourceToolNames(source: ToolSourceConfig): string[] | null {
  switch (source.type) {
    case 'http':
      return [source.name];
    case 'agent':
      return source.tools.map((tool) => tool.name);
    case 'subagent':
      return [source.agentId];
    default:
      return null;
  }
}

function interruptFor(call: Call, kind: 'TOOL_APPROVAL' | 'CLIENT_TOOL'): AgentEventBody {
  return {
    type: 'InterruptRequested',
    interruptId: `${kind === 'TOOL_APPROVAL' ? 'approve' : 'client'}_${call.id}`,
    kind,
    toolCallId: call.id,
    tool: call.name,
    arguments: call.arguments ?? null,
    message:
      kind === 'TOOL_APPROVAL'
        ? `Approve the call of the tool ${call.name}?`
        : `Run the tool ${call.name} and send its result.`,
    responseSchema: null,
    expiresAt: null,
    value: null,
  };
}

/** The results of the calls that waited, from the answers (approve runs the tool, maybe with edited arguments; a subagent's child gets its answers). */
async function answerWaiting(
  execute: (call: Call) => Promise<SubagentOutcome>,
  resumeChild: (entry: WaitingCall, answers: readonly ResolvedInterrupt[]) => Promise<SubagentOutcome>,
  waiting: readonly WaitingCall[],
  answers: readonly ResolvedInterrupt[],
): Promise<{ call: Call; outcome: SubagentOutcome }[]> {
  return Promise.all(
    waiting.map(async (entry) => {
      const { call, kind } = entry;
      if (kind === 'SUBAGENT') return { call, outcome: await resumeChild(entry, answers) };
      const answer = answers.find((entry) => entry.request.toolCallId === call.id);
      if (!answer) return { call, outcome: { result: { error: 'no answer was given' }, isError: true } };
      if (kind === 'CLIENT_TOOL') {
        if (answer.decision === 'REJECT')
          return {
            call,
            outcome: { result: { error: `rejected: ${answer.comment ?? 'no reason given'}` }, isError: true },
          };
        return { call, outcome: { result: answer.value ?? null, isError: false } };
      }
      if (answer.decision !== 'APPROVE') {
        return {
          call,
          outcome: { result: { error: `rejected: ${answer.comment ?? 'no reason given'}` }, isError: true },
        };
      }
      const approved = answer.arguments ?? call.arguments;
      const outcome = await execute({ ...call, arguments: approved });
      return { call, outcome };
    }),
  );
}

function toolMessage(call: Call, outcome: ExecutedCall): ConversationMessage {
  return {
    role: 'tool',
    toolCallId: call.id,
    toolName: call.name,
    content: resultContent(outcome.result),
    isError: outcome.isError,
  };
}

/** The user message that sends a failing structured answer back (docs/runtime.md). */
export function outputRetryPrompt(violations: string): string {
  return `Your answer does not match the required JSON Schema (${violations}). Answer again with only JSON that matches the schema.`;
}

function maxStepsFailed(maxSteps: number, usage: Usage | null): AgentEventBody {
  return {
    type: 'RunFailed',
    code: RunErrorCode.MAX_STEPS,
    message: `the model still asked for tools after ${maxSteps} model requests (maxSteps)`,
    retryable: false,
    recoverySuggestion:
      "Raise the agent's maxSteps, or ask for less in one run; the tool results so far are in the history.",
    usage,
  };
}

function loopStateOf(state: unknown): LoopPauseState | null {
  return typeof state === 'object' && state !== null && (state as { runtime?: unknown }).runtime === 1
    ? (state as LoopPauseState)
    : null;
}
