import {
  execute,
  GraphQLError,
  getOperationAST,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { AgentEvent } from '../events/index.js';
import type { AgentStreamFastPathContext, AgentStreamHandoff } from './agent-stream-handoff.js';
import type { BatchReader, WorkflowStream } from './workflow-stream.js';
import { compileAgentStreamPlan, directiveVariables, type AgentStreamPlan } from './agent-stream-plan.js';
import { PreparedBatch } from './prepared-batch.js';

/** Distinct plans kept per document; a client cycling directive variables cannot grow it past this. */
const MAX_PLANS_PER_DOCUMENT = 32;

type SubscribeFn = (args: ExecutionArgs) => unknown;

/**
 * The agentStream fast path (docs/performance.md, "Optimisations"). Registered after every other
 * plugin, it changes nothing but the subscribe function of an eligible operation, after the
 * other plugins' `onSubscribe` hooks ran (authentication, scope table, limits, caps) and with
 * their `onSubscribeResult` hooks still wrapping what it returns (masking, the cap's release).
 *
 * The operation still subscribes through the normal executor, so argument coercion, the
 * resolver's tenant check and every error stay exactly as they are. Only the per-event work is
 * replaced: instead of executing the selection once per event per subscriber, the stream yields
 * `PreparedBatch`es of events rendered by a compiled plan, shared by every subscriber with the
 * same selection; an event the plan cannot render is executed by graphql-js as before.
 */
export function useAgentStreamFastPath(): Plugin {
  const plans = new WeakMap<DocumentNode, Map<string, AgentStreamPlan | null>>();
  const planFor = (args: ExecutionArgs): AgentStreamPlan | undefined => {
    let perDocument = plans.get(args.document);
    if (!perDocument) {
      perDocument = new Map();
      plans.set(args.document, perDocument);
    }
    const variables = args.variableValues ?? {};
    const key = JSON.stringify([
      args.operationName ?? null,
      ...directiveVariables(args.document).map((name) => variables[name] ?? null),
    ]);
    let plan = perDocument.get(key);
    if (plan === undefined) {
      plan = compileAgentStreamPlan(args.schema, args.document, args.operationName, variables) ?? null;
      if (perDocument.size >= MAX_PLANS_PER_DOCUMENT) perDocument.clear();
      perDocument.set(key, plan);
    }
    return plan ?? undefined;
  };
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const context = args.contextValue as AgentStreamFastPathContext | undefined;
      if (context?.preparedBatchTransport !== true) return;
      const plan = planFor(args);
      if (!plan) return;
      setSubscribeFn((subscribeArgs) => fastSubscribe(subscribeFn as SubscribeFn, subscribeArgs, plan));
    },
  };
}

async function fastSubscribe(subscribeFn: SubscribeFn, args: ExecutionArgs, plan: AgentStreamPlan): Promise<unknown> {
  const context = args.contextValue as AgentStreamFastPathContext;
  const handoff: AgentStreamHandoff = { stream: undefined };
  context.agentStreamHandoff = handoff;
  let result: unknown;
  try {
    result = await subscribeFn(args);
  } finally {
    // Not `delete`: that would turn the context, which lives as long as the subscription, into a
    // dictionary several times its size.
    context.agentStreamHandoff = undefined;
  }
  const source = handoff.stream;
  if (!isAsyncIterable(result) || !source) return result;
  // The executor's own mapped stream is never read: dropped, it is garbage with its execution
  // context (its only resource is the source, which PreparedStream ends).
  return new PreparedStream(source, plan, args);
}

/** The agentStream events of one subscription as `PreparedBatch`es (and, rarely, plain results). */
class PreparedStream
  implements
    AsyncIterableIterator<PreparedBatch | ExecutionResult>,
    BatchReader<IteratorResult<PreparedBatch | ExecutionResult>>
{
  /** Results prepared ahead of the reader (allocated when needed). */
  private pending: (PreparedBatch | ExecutionResult)[] | null = null;

  constructor(
    private readonly source: WorkflowStream,
    private readonly plan: AgentStreamPlan,
    private readonly args: ExecutionArgs,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<PreparedBatch | ExecutionResult>> {
    if (this.pending) return Promise.resolve(this.takeResult());
    // The source calls onBatch / onBatchError: an idle subscription holds one promise (docs/performance.md).
    return this.source.readBatch(this);
  }

  onBatch(
    batch: IteratorResult<AgentEvent[], undefined>,
  ): IteratorResult<PreparedBatch | ExecutionResult> | Promise<IteratorResult<PreparedBatch | ExecutionResult>> {
    return batch.done ? { value: undefined, done: true } : this.prepare(batch.value);
  }

  onBatchError(error: unknown): never {
    // As the executor reports an error of the source stream.
    const original = error instanceof Error ? error : new Error(String(error));
    const operation = getOperationAST(this.args.document, this.args.operationName);
    throw new GraphQLError(original.message, { originalError: original, ...(operation ? { nodes: [operation] } : {}) });
  }

  /** Renders a batch; an event the plan cannot render is executed on its own, in its place. */
  private prepare(
    events: AgentEvent[],
  ): IteratorResult<PreparedBatch | ExecutionResult> | Promise<IteratorResult<PreparedBatch | ExecutionResult>> {
    const frames: string[] = [];
    for (let index = 0; index < events.length; index++) {
      const json = this.plan.render(events[index]!, this.args.contextValue);
      if (json !== undefined) {
        frames.push(json);
        continue;
      }
      if (frames.length > 0) this.queueResult(new PreparedBatch(frames));
      const rest = events.slice(index + 1);
      return Promise.resolve(execute({ ...this.args, rootValue: events[index] })).then((result) => {
        this.queueResult(result);
        return rest.length > 0 ? this.prepare(rest) : this.takeResult();
      });
    }
    if (frames.length > 0) this.queueResult(new PreparedBatch(frames));
    return this.takeResult();
  }

  private queueResult(result: PreparedBatch | ExecutionResult): void {
    (this.pending ??= []).push(result);
  }

  /** The first prepared result (prepare() always queued one before it asks). */
  private takeResult(): IteratorResult<PreparedBatch | ExecutionResult> {
    const pending = this.pending!;
    const value = pending.shift()!;
    if (pending.length === 0) this.pending = null;
    return { value, done: false };
  }

  async return(): Promise<IteratorResult<PreparedBatch | ExecutionResult>> {
    this.pending = null;
    await this.source.return();
    return { value: undefined, done: true };
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
