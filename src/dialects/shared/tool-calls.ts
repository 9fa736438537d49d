import type { AgentEventBody } from '../../events/index.js';

interface ToolCallInFlight {
  id: string;
  name: string;
  args: string;
  done: boolean;
  /** The arguments as completed (parsed), once done. */
  parsed?: unknown;
}

/**
 * Tool calls whose arguments stream in pieces, several at once, each found by the key the
 * upstream uses (OpenAI's `index`, Anthropic's content block index, an id). Emits Started,
 * ArgsDelta and Completed bodies; Completed carries the parsed arguments (the raw text when it is
 * not JSON, so nothing is lost).
 */
export class ToolCallTracker {
  private readonly calls = new Map<string | number, ToolCallInFlight>();
  private readonly names = new Map<string, string>();

  has(key: string | number): boolean {
    return this.calls.has(key);
  }

  idOf(key: string | number): string | undefined {
    return this.calls.get(key)?.id;
  }

  /** The tool name of a call seen in this run (for results that name only the id). */
  nameOf(toolCallId: string): string | undefined {
    return this.names.get(toolCallId);
  }

  /** A call of this run by its id: its tool name and, once complete, its parsed arguments. */
  call(toolCallId: string): { name: string; arguments: unknown } | undefined {
    for (const call of this.calls.values()) {
      if (call.id === toolCallId)
        return { name: call.name, arguments: call.done ? call.parsed : parseArguments(call.args) };
    }
    return undefined;
  }

  start(key: string | number, id: string, name: string): AgentEventBody[] {
    if (this.calls.has(key) && !this.calls.get(key)!.done) return [];
    this.calls.set(key, { id, name, args: '', done: false });
    this.names.set(id, name);
    return [{ type: 'ToolCallStarted', toolCallId: id, toolName: name }];
  }

  delta(key: string | number, delta: string): AgentEventBody[] {
    const call = this.calls.get(key);
    if (!call || call.done || delta === '') return [];
    call.args += delta;
    return [{ type: 'ToolCallArgsDelta', toolCallId: call.id, delta }];
  }

  /** Completes one call; `finalArguments` (when the upstream repeats them whole) wins over the streamed text. */
  complete(key: string | number, finalArguments?: unknown): AgentEventBody[] {
    const call = this.calls.get(key);
    if (!call || call.done) return [];
    call.done = true;
    const parsed =
      finalArguments !== undefined
        ? typeof finalArguments === 'string'
          ? parseArguments(finalArguments)
          : finalArguments
        : parseArguments(call.args);
    call.parsed = parsed;
    return [{ type: 'ToolCallCompleted', toolCallId: call.id, toolName: call.name, arguments: parsed }];
  }

  /** Completes every call still open, in the order they started. */
  completeAll(): AgentEventBody[] {
    return [...this.calls.keys()].flatMap((key) => this.complete(key));
  }

  /** Open calls' keys, in start order. */
  openKeys(): (string | number)[] {
    return [...this.calls.entries()].filter(([, call]) => !call.done).map(([key]) => key);
  }
}

/** Streamed argument text as JSON; `{}` for none; the raw text when it does not parse. */
export function parseArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
