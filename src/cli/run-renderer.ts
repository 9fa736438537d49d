import { Spinner } from './spinner.js';

/** The fields of a streamed event the CLI selects (see run.ts); all optional but the first two. */
export interface StreamedEvent {
  __typename: string;
  sequence: number;
  workflowId?: string;
  delta?: string;
  title?: string;
  detail?: unknown;
  toolCallId?: string;
  toolName?: string;
  arguments?: unknown;
  result?: unknown;
  isError?: boolean;
  level?: string;
  message?: string;
  code?: string;
  retryable?: boolean;
  recoverySuggestion?: string | null;
  reason?: string | null;
  name?: string;
  interruptId?: string;
  kind?: string;
  tool?: string | null;
  decision?: string;
  respondedBy?: string | null;
  usage?: {
    inputTokens?: number | null;
    outputTokens?: number | null;
    totalTokens?: number | null;
    reasoningTokens?: number | null;
  } | null;
}

type Out = NodeJS.WritableStream & { isTTY?: boolean };

export interface RendererOptions {
  stdout: Out;
  stderr: Out;
  /** ANSI colours on stderr; default: stderr is a TTY and NO_COLOR is unset. */
  color?: boolean;
  /** Spinner timing (tests). */
  spinner?: { afterMs?: number; frameMs?: number };
}

/**
 * Renders a live run for a person: the answer text on stdout as it streams (so
 * `synapse run demo "..." > answer.txt` keeps only the answer), reasoning, tool calls, status and
 * usage on stderr as they happen, and a spinner on stderr while the upstream is silent.
 */
export class RunRenderer {
  private atLineStart = true;
  private inReasoning = false;
  readonly spinner: Spinner;
  private readonly color: boolean;
  private readonly startedAt = Date.now();

  constructor(private readonly options: RendererOptions) {
    this.spinner = new Spinner(options.stderr, options.spinner);
    this.color = options.color ?? (options.stderr.isTTY === true && !process.env.NO_COLOR);
  }

  /** Before the first event arrives: the spinner already runs while the run is being set up. */
  begin(): void {
    this.spinner.activity();
  }

  /** The run was accepted: its workflow and the thread that `--thread` continues. */
  started(workflowId: string, threadId: string | null): void {
    this.note(
      threadId
        ? `workflow ${workflowId} · thread ${threadId} (continue it with --thread ${threadId})`
        : `workflow ${workflowId}`,
    );
  }

  event(event: StreamedEvent): void {
    if (event.__typename === 'Heartbeat') return; // the upstream is silent: the spinner says so
    this.spinner.activity();
    switch (event.__typename) {
      case 'RunStarted':
        return; // started() said it, with the thread
      case 'TextDelta':
        // Reasoning streams on stderr and the answer on stdout; on a terminal both share the
        // line, so the answer starts a line of its own after the reasoning.
        if (this.inReasoning) this.endLine();
        this.inReasoning = false;
        return this.text(event.delta ?? '');
      case 'ReasoningDelta':
        if (!this.inReasoning) this.note('thinking…');
        this.inReasoning = true;
        return this.write(this.options.stderr, this.paint(event.delta ?? '', 'dim'));
      case 'ReasoningStep':
        return this.note(`thinking: ${event.title ?? ''}${event.detail == null ? '' : ` ${json(event.detail)}`}`);
      case 'ToolCallStarted':
        return this.note(`tool ${event.toolName ?? '?'}…`, 'cyan');
      case 'ToolCallCompleted':
        return this.note(`tool ${event.toolName ?? '?'}(${describeArguments(event.arguments)})`, 'cyan');
      case 'ToolResult':
        return this.note(
          `${event.isError ? 'tool error' : 'tool result'} ${json(event.result)}`,
          event.isError ? 'red' : 'cyan',
        );
      case 'StepStarted':
        return this.note(`step ${event.name ?? ''}`);
      case 'LogMessage':
        return this.note(`${event.level ?? 'log'}: ${event.message ?? ''}`);
      case 'InterruptRequested':
        return this.note(
          `waiting for a person (${event.kind ?? 'INPUT'}): ${event.message ?? `interrupt ${event.interruptId ?? ''}`}`,
          'yellow',
        );
      case 'InterruptResolved':
        return this.note(
          `answered ${event.decision ?? ''}${event.respondedBy ? ` by ${event.respondedBy}` : ''}`,
          'yellow',
        );
      case 'RunCompleted':
        return this.finish(`done · ${describeUsage(event.usage)} · ${this.elapsed()}`, 'green');
      case 'RunFailed': {
        const suggestion = event.recoverySuggestion ? `\n  ${event.recoverySuggestion}` : '';
        return this.finish(
          `run failed: ${event.code}: ${event.message}${suggestion} · ${describeUsage(event.usage)}`,
          'red',
        );
      }
      case 'RunCancelled':
        return this.finish(
          `cancelled${event.reason ? `: ${event.reason}` : ''} · ${describeUsage(event.usage)}`,
          'yellow',
        );
      default:
        return; // deltas of tool arguments, state, usage updates: the summary lines cover them
    }
  }

  /** A line on stderr, after ending the current line if text is mid-line. */
  note(message: string, tone: Tone = 'dim'): void {
    this.spinner.clear();
    this.inReasoning = false;
    this.endLine();
    this.write(this.options.stderr, `${this.paint(`· ${message}`, tone)}\n`);
  }

  stop(): void {
    this.spinner.stop();
    if (!this.atLineStart) this.write(this.options.stdout, '\n');
  }

  private finish(message: string, tone: Tone): void {
    this.spinner.stop();
    if (!this.atLineStart) this.write(this.options.stdout, '\n');
    this.write(this.options.stderr, `${this.paint(`· ${message}`, tone)}\n`);
  }

  /** Ends the line on stderr when something (text or reasoning) left it mid-line. */
  private endLine(): void {
    this.spinner.clear();
    if (!this.atLineStart) this.write(this.options.stderr, '\n');
  }

  private text(delta: string): void {
    this.spinner.clear();
    this.write(this.options.stdout, delta);
  }

  private write(stream: Out, chunk: string): void {
    if (chunk.length === 0) return;
    stream.write(chunk);
    this.atLineStart = chunk.endsWith('\n');
  }

  private paint(text: string, tone: Tone): string {
    return this.color ? `${TONES[tone]}${text}\x1b[0m` : text;
  }

  private elapsed(): string {
    return `${((Date.now() - this.startedAt) / 1000).toFixed(1)} s`;
  }
}

type Tone = 'dim' | 'cyan' | 'green' | 'red' | 'yellow';
const TONES: Record<Tone, string> = {
  dim: '\x1b[2m',
  cyan: '\x1b[36m',
  green: '\x1b[32m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
};

export function describeUsage(usage: StreamedEvent['usage']): string {
  if (!usage) return 'usage unknown';
  const parts = [`${usage.inputTokens ?? '?'} in`, `${usage.outputTokens ?? '?'} out`];
  if (usage.reasoningTokens) parts.push(`${usage.reasoningTokens} reasoning`);
  return `${parts.join(' + ')} = ${usage.totalTokens ?? '?'} tokens`;
}

/** A call's arguments as the person would write them: `search("cats")`-like, `list_tables()` for none. */
function describeArguments(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return '';
  return json(value);
}

function json(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
