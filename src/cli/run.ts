import { WebSocket } from 'ws';
import { createResumableClient } from '../client/index.js';
import { answerInterrupts, type Ask } from './interrupt-prompt.js';
import { RunRenderer, type StreamedEvent } from './run-renderer.js';

/** Exit codes of `synapse run` (and the other commands), documented in the help text. */
export const ExitCode = {
  OK: 0,
  /** The run ended with RunFailed or RunCancelled, or the stream broke. */
  RUN_FAILED: 1,
  USAGE: 2,
  /** The gateway could not be reached, or did not answer as a Synapse gateway. */
  UNREACHABLE: 3,
  /** The gateway refused the run: unknown agent, invalid input. */
  REJECTED: 4,
  /** Interrupted with Ctrl-C (the workflow was cancelled). */
  INTERRUPTED: 130,
} as const;

export interface RunCommandOptions {
  url: string;
  agentId: string;
  prompt: string;
  threadId?: string;
  /** NDJSON of the events on stdout instead of the rendered run. */
  json: boolean;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on Ctrl-C: the workflow is cancelled and the command exits 130. */
  signal?: AbortSignal;
  /**
   * Asks the person at the terminal a question (stdin on a TTY): the run's interrupts are answered
   * with it. Absent (--json, stdin not a terminal): a paused run waits for an answer from elsewhere.
   */
  ask?: Ask;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const RUN_AGENT = /* GraphQL */ `
  mutation CliRun($input: RunAgentInput!) {
    runAgent(input: $input) {
      __typename
      ... on RunAgentPayload { workflow { id threadId } }
      ... on Error { code message }
      ... on InvalidInputError { field }
    }
  }
`;

const CANCEL = /* GraphQL */ `
  mutation CliCancel($id: ID!) { cancelWorkflow(id: $id, reason: "cancelled from the synapse CLI") { __typename } }
`;

const AGENTS = /* GraphQL */ `{ agents { id } }`;

const AGENT_STREAM = /* GraphQL */ `
  subscription CliStream($workflowId: ID!, $afterSequence: Int) {
    agentStream(workflowId: $workflowId, afterSequence: $afterSequence) {
      __typename
      ... on StreamEvent { workflowId sequence at }
      ... on RunStarted { agentId input }
      ... on TextDelta { messageId delta }
      ... on MessageCompleted { messageId role text }
      ... on ReasoningDelta { delta }
      ... on ReasoningStep { title detail }
      ... on ToolCallStarted { toolCallId toolName }
      ... on ToolCallArgsDelta { toolCallId delta }
      ... on ToolCallCompleted { toolCallId toolName arguments }
      ... on ToolResult { toolCallId result isError }
      ... on StepStarted { name }
      ... on StepFinished { name }
      ... on StateSnapshot { state }
      ... on StateDelta { patch }
      ... on InterruptRequested { interruptId kind toolCallId tool arguments message value }
      ... on InterruptResolved { interruptId decision respondedBy }
      ... on LogMessage { level message }
      ... on UsageUpdated { usage { inputTokens outputTokens totalTokens reasoningTokens cachedInputTokens } }
      ... on RunCompleted { output text usage { inputTokens outputTokens totalTokens reasoningTokens cachedInputTokens } }
      ... on RunFailed { code message retryable recoverySuggestion usage { inputTokens outputTokens totalTokens reasoningTokens } }
      ... on RunCancelled { reason usage { inputTokens outputTokens totalTokens reasoningTokens } }
      ... on CustomEvent { name value }
    }
  }
`;

/**
 * `synapse run <agentId> "prompt"`: starts a run on a running gateway and streams it until its
 * terminal event. Resolves with the exit code; throws CliError for a failure before the stream.
 */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const renderer = options.json ? null : new RunRenderer({ stdout: options.stdout, stderr: options.stderr });
  renderer?.begin();
  try {
    const { id: workflowId, threadId } = await startRun(options);
    // The thread id is what `--thread` continues; the run's first line says it (stderr).
    renderer?.started(workflowId, threadId);
    return await streamRun(options, workflowId, renderer);
  } finally {
    renderer?.stop();
  }
}

async function startRun(options: RunCommandOptions): Promise<{ id: string; threadId: string | null }> {
  const input = { agentId: options.agentId, prompt: options.prompt, threadId: options.threadId ?? null };
  const data = await post<{
    runAgent: {
      __typename: string;
      workflow?: { id: string; threadId: string | null };
      code?: string;
      message?: string;
      field?: string;
    };
  }>(options.url, RUN_AGENT, { input });
  const payload = data.runAgent;
  if (payload.__typename === 'RunAgentPayload' && payload.workflow) return payload.workflow;
  if (payload.__typename === 'UnknownAgentError') {
    const known = await post<{ agents: { id: string }[] }>(options.url, AGENTS, {}).then(
      (result) => result.agents.map((agent) => agent.id),
      () => [],
    );
    const hint = known.length > 0 ? ` (this gateway serves: ${known.join(', ')})` : '';
    throw new CliError(`unknown agent "${options.agentId}"${hint}`, ExitCode.REJECTED);
  }
  const field = payload.field ? ` (${payload.field})` : '';
  throw new CliError(
    `the gateway refused the run: ${payload.code ?? payload.__typename}${field}: ${payload.message ?? ''}`,
    ExitCode.REJECTED,
  );
}

function streamRun(options: RunCommandOptions, workflowId: string, renderer: RunRenderer | null): Promise<number> {
  const client = createResumableClient({
    url: options.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 8,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** retries, 4_000))),
  });
  return new Promise<number>((resolve, reject) => {
    let outcome: number = ExitCode.RUN_FAILED;
    let cancelledByUser = false;
    let prompting: Promise<void> | null = null;
    const promptForAnswers = () => {
      if (!options.ask || prompting) return;
      const note = (message: string): void => {
        if (renderer) renderer.note(message, 'yellow');
        else options.stderr.write(`${message}\n`);
      };
      prompting = answerInterrupts({ url: options.url, workflowId, ask: options.ask, note, post })
        .catch((error: unknown) => note(`could not answer: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          prompting = null;
        });
    };
    const onAbort = () => {
      cancelledByUser = true;
      renderer?.note('cancelling the workflow (Ctrl-C again to quit at once)…', 'yellow');
      post(options.url, CANCEL, { id: workflowId }).catch(() => {});
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (result: () => void) => {
      options.signal?.removeEventListener('abort', onAbort);
      void client.dispose();
      result();
    };
    client.subscribe<{ agentStream: StreamedEvent }>(
      { query: AGENT_STREAM, variables: { workflowId, afterSequence: 0 } },
      {
        next(result) {
          if (result.errors?.length) {
            settle(() =>
              reject(
                new CliError(
                  `the stream failed: ${result.errors!.map((error) => error.message).join('; ')}`,
                  ExitCode.RUN_FAILED,
                ),
              ),
            );
            return;
          }
          const event = result.data?.agentStream;
          if (!event) return;
          if (options.json) options.stdout.write(`${JSON.stringify(event)}\n`);
          else renderer!.event(event);
          if (event.__typename === 'InterruptRequested') promptForAnswers();
          if (event.__typename === 'RunCompleted') outcome = ExitCode.OK;
          else if (event.__typename === 'RunCancelled' && cancelledByUser) outcome = ExitCode.INTERRUPTED;
        },
        error(error) {
          settle(() =>
            reject(
              new CliError(
                `lost the stream of workflow ${workflowId}: ${describeSocketError(error)}`,
                ExitCode.UNREACHABLE,
              ),
            ),
          );
        },
        complete() {
          settle(() => resolve(outcome));
        },
      },
    );
  });
}

/** One GraphQL request over HTTP; unreachable gateways and non-GraphQL answers become CliErrors. */
export async function post<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CliError(
      `cannot reach the gateway at ${url}: ${describeFetchError(error)}. Is it running? (synapse serve, or --url)`,
      ExitCode.UNREACHABLE,
    );
  }
  let body: { data?: T | null; errors?: { message: string }[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new CliError(
      `${url} answered HTTP ${response.status} without a GraphQL response: is it a Synapse gateway?`,
      ExitCode.UNREACHABLE,
    );
  }
  if (!body.data) {
    const messages = body.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`;
    throw new CliError(`the gateway answered with an error: ${messages}`, ExitCode.UNREACHABLE);
  }
  return body.data;
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function describeSocketError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'code' in error) {
    const close = error as { code: number; reason?: string };
    return `socket closed ${close.code}${close.reason ? ` ${close.reason}` : ''}`;
  }
  if (Array.isArray(error)) return error.map((entry: { message?: string }) => entry.message).join('; ');
  return 'the connection failed';
}
