/**
 * `synapse run` at a pause (docs/human-in-the-loop.md): once the workflow is INPUT_REQUIRED, asks
 * the person at the terminal each open interrupt (approve / reject a tool call, or type a value:
 * JSON when it parses, text otherwise) and sends the answers with `respondToInterrupts`. A refused
 * answer (InvalidInputError) is shown and asked again; the stream then goes on by itself.
 */

/** One question at the terminal; resolves with the line typed (without its newline). */
export type Ask = (question: string) => Promise<string>;

export interface InterruptPromptOptions {
  url: string;
  workflowId: string;
  ask: Ask;
  /** A line for the person (stderr). */
  note: (message: string) => void;
  post: <T>(url: string, query: string, variables: Record<string, unknown>) => Promise<T>;
  /** How long to wait for the pause to be committed after its InterruptRequested arrived. Default 10 s. */
  waitMs?: number;
}

interface PendingInterrupt {
  interruptId: string;
  kind: 'TOOL_APPROVAL' | 'CLIENT_TOOL' | 'INPUT';
  tool: string | null;
  arguments: unknown;
  message: string;
  responseSchema: unknown;
}

const PENDING = /* GraphQL */ `
  query CliPending($id: ID!) {
    workflow(id: $id) {
      status
      pendingInterrupts { ... on InterruptRequested { interruptId kind tool arguments message responseSchema } }
    }
  }
`;

const RESPOND = /* GraphQL */ `
  mutation CliRespond($workflowId: ID!, $responses: [InterruptResponseInput!]!) {
    respondToInterrupts(workflowId: $workflowId, responses: $responses) {
      __typename
      ... on Error { code message }
      ... on InvalidInputError { field }
    }
  }
`;

/** Asks and answers the open interrupts of one pause. Resolves once they are answered (or nothing is open). */
export async function answerInterrupts(options: InterruptPromptOptions): Promise<void> {
  const pending = await waitForPause(options);
  for (const interrupt of pending) {
    for (;;) {
      const response = await askOne(options, interrupt);
      const data = await options.post<{ respondToInterrupts: { __typename: string; code?: string; message?: string } }>(
        options.url,
        RESPOND,
        {
          workflowId: options.workflowId,
          responses: [response],
        },
      );
      const result = data.respondToInterrupts;
      if (result.__typename === 'RespondToInterruptsPayload') break;
      options.note(`the answer was refused: ${result.code ?? result.__typename}: ${result.message ?? ''}`);
      if (result.__typename !== 'InvalidInputError') return;
    }
  }
}

async function waitForPause(options: InterruptPromptOptions): Promise<PendingInterrupt[]> {
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  for (;;) {
    const data = await options.post<{ workflow: { status: string; pendingInterrupts: PendingInterrupt[] } | null }>(
      options.url,
      PENDING,
      { id: options.workflowId },
    );
    const workflow = data.workflow;
    if (!workflow) return [];
    if (workflow.status === 'INPUT_REQUIRED') return workflow.pendingInterrupts;
    if (workflow.status !== 'RUNNING' && workflow.status !== 'QUEUED') return [];
    if (Date.now() > deadline) return [];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function askOne(options: InterruptPromptOptions, interrupt: PendingInterrupt): Promise<Record<string, unknown>> {
  const base = { interruptId: interrupt.interruptId };
  if (interrupt.kind === 'TOOL_APPROVAL') {
    const call = `${interrupt.tool ?? 'a tool'}(${JSON.stringify(interrupt.arguments ?? {})})`;
    for (;;) {
      const line = (await options.ask(`${interrupt.message}\n  ${call}\n  approve? [y]es / [n]o / [c]ancel the run: `))
        .trim()
        .toLowerCase();
      if (line === 'y' || line === 'yes') return { ...base, decision: 'APPROVE' };
      if (line === 'c' || line === 'cancel') return { ...base, decision: 'CANCEL' };
      if (line === 'n' || line === 'no') {
        const reason = (await options.ask('  why (optional): ')).trim();
        return { ...base, decision: 'REJECT', ...(reason ? { message: reason } : {}) };
      }
    }
  }
  const hint = interrupt.responseSchema ? `\n  (an answer matching ${JSON.stringify(interrupt.responseSchema)})` : '';
  const label = interrupt.kind === 'CLIENT_TOOL' ? `the result of ${interrupt.tool ?? 'the tool'}` : 'your answer';
  const line = await options.ask(
    `${interrupt.message}${hint}\n  ${label} (JSON or text; empty line cancels the run): `,
  );
  if (line.trim() === '') return { ...base, decision: 'CANCEL' };
  return { ...base, decision: 'RESPOND', value: parseAnswer(line) };
}

/** JSON when the line is JSON (`{"a": 1}`, `42`, `true`), else the text itself. */
export function parseAnswer(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return line.trim();
  }
}
