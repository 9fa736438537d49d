import { getArgumentValues, OperationTypeNode, type FieldNode, type GraphQLError, type GraphQLField } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { LimitsConfig } from '../../config/index.js';
import type { SynapseContext } from '../../schema/index.js';
import { rootFields, selectOperation } from '../auth/root-fields.js';
import { AdmissionTurns, type AdmissionTurn } from './admission-turns.js';
import { limitExceeded, rateLimited } from './limit-error.js';
import type { RateLimiter } from './rate-limiter.js';

/** How long a run start may hold its tenant's admission turn at most (its row normally exists within milliseconds). */
const START_RESERVATION_MS = 2_000;
const CONCURRENCY_RETRY_MS = 1_000;

/**
 * The limits on what a mutation asks the gateway to do, checked before it executes, on every
 * transport: input sizes of `runAgent` and `callTool`, and per-tenant rates of runs and tool
 * calls and the number of runs a tenant has going at once.
 */
export function useRunLimits(limits: LimitsConfig, limiter: RateLimiter): Plugin {
  const turns = new AdmissionTurns();

  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const operation = selectOperation(args.document, args.operationName);
      if (operation?.operation !== OperationTypeNode.MUTATION) return;
      const context = args.contextValue as unknown as SynapseContext;
      const mutationType = args.schema.getMutationType();
      const releases: (() => void)[] = [];
      /**
       * The tenant's admission turn (`AdmissionTurns`), left once the admitted runs' rows exist
       * in the store (`onRunCreated`, called by the run manager), the execution ends, or 2 s: a
       * later turn counts them from the store then, never twice nor not at all.
       */
      let admission: { turn: AdmissionTurn; release: () => void } | null = null;
      /** This operation's admitted `runAgent` fields (a turn's `admitted` counts every operation's). */
      let runAgentFields = 0;
      const refuse = (error: GraphQLError) => {
        releases.forEach((release) => release());
        setResultAndStopExecution({ errors: [error] });
      };
      for (const field of rootFields(args.document, operation)) {
        const name = field.name.value;
        if (name !== 'runAgent' && name !== 'callTool') continue;
        const values = argumentValues(mutationType?.getFields()[name], field, args.variableValues);
        const tooBig = values && inputProblem(name, values, limits);
        if (tooBig) return refuse(tooBig);
        if (name === 'runAgent') {
          // Concurrency first, so a refused start does not spend a token of the rate.
          if (!admission) {
            const { turn, leave } = await turns.join(context.tenantId, () =>
              runningCount(context, limits.concurrentRuns),
            );
            const timer = setTimeout(leave, START_RESERVATION_MS).unref();
            const release = () => {
              clearTimeout(timer);
              leave();
            };
            releases.push(release);
            admission = { turn, release };
          }
          const { turn } = admission;
          if (turn.running + turn.admitted >= limits.concurrentRuns) {
            return refuse(
              rateLimited(
                'concurrentRuns',
                limits.concurrentRuns,
                CONCURRENCY_RETRY_MS,
                `this tenant already has ${limits.concurrentRuns} runs going`,
              ),
            );
          }
          turn.admitted += 1;
          runAgentFields += 1;
          const rate = await limiter.take(`runs:${context.tenantId}`, limits.runsPerMinute);
          if (!rate.allowed)
            return refuse(
              rateLimited(
                'runsPerMinute',
                limits.runsPerMinute,
                rate.retryAfterMs,
                'too many runs started by this tenant',
              ),
            );
        } else {
          const rate = await limiter.take(`tools:${context.tenantId}`, limits.toolCallsPerMinute);
          if (!rate.allowed)
            return refuse(
              rateLimited(
                'toolCallsPerMinute',
                limits.toolCallsPerMinute,
                rate.retryAfterMs,
                'too many tool calls by this tenant',
              ),
            );
        }
      }
      if (admission) {
        const { release } = admission;
        let uncreated = runAgentFields;
        context.onRunCreated = () => {
          if (--uncreated <= 0) release();
        };
      }
      if (releases.length > 0) return { onExecuteDone: () => releases.forEach((release) => release()) };
    },
  };
}

function argumentValues(
  definition: GraphQLField<unknown, unknown> | undefined,
  node: FieldNode,
  variables: unknown,
): Record<string, unknown> | null {
  if (!definition) return null;
  try {
    return getArgumentValues(definition, node, (variables ?? {}) as Record<string, unknown>);
  } catch {
    return null; // bad arguments: execution reports them
  }
}

/** The first input-size limit the arguments break, if any. */
export function inputProblem(
  field: 'runAgent' | 'callTool',
  values: Record<string, unknown>,
  limits: LimitsConfig,
): GraphQLError | null {
  const input = values.input as Record<string, unknown> | undefined;
  if (!input || typeof input !== 'object') return null;
  // Depth first: it is measured without recursion, and a deep value would overflow the stack of
  // everything that serializes it later.
  if (jsonDepthExceeds(field === 'callTool' ? input.arguments : input, limits.maxInputDepth)) {
    const where = field === 'callTool' ? 'input.arguments' : 'input';
    return limitExceeded(
      'maxInputDepth',
      limits.maxInputDepth,
      `${where} is nested more than ${limits.maxInputDepth} levels deep`,
    );
  }
  if (field === 'callTool') {
    const size = jsonBytes(input.arguments);
    return size > limits.maxToolArgumentsBytes
      ? limitExceeded(
          'maxToolArgumentsBytes',
          limits.maxToolArgumentsBytes,
          `input.arguments is ${size} bytes of JSON, more than ${limits.maxToolArgumentsBytes}`,
        )
      : null;
  }
  if (typeof input.prompt === 'string') {
    const size = Buffer.byteLength(input.prompt, 'utf8');
    if (size > limits.maxPromptBytes)
      return limitExceeded(
        'maxPromptBytes',
        limits.maxPromptBytes,
        `input.prompt is ${size} bytes, more than ${limits.maxPromptBytes}`,
      );
  }
  if (Array.isArray(input.messages) && input.messages.length > limits.maxMessages) {
    return limitExceeded(
      'maxMessages',
      limits.maxMessages,
      `input.messages has ${input.messages.length} entries, more than ${limits.maxMessages}`,
    );
  }
  const size = jsonBytes(input);
  return size > limits.maxInputBytes
    ? limitExceeded(
        'maxInputBytes',
        limits.maxInputBytes,
        `input is ${size} bytes of JSON, more than ${limits.maxInputBytes}`,
      )
    : null;
}

/** True when `value` nests objects or arrays deeper than `max`; iterative, stops at the first too-deep node. */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

function jsonBytes(value: unknown): number {
  if (value === undefined) return 0;
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** The tenant's runs still QUEUED or RUNNING, counted up to `cap` (the store answers for every instance). */
async function runningCount(context: SynapseContext, cap: number): Promise<number> {
  return context.store.countWorkflows(
    { tenantId: context.tenantId, status: ['QUEUED', 'RUNNING'], kind: 'AGENT_RUN' },
    cap,
  );
}
