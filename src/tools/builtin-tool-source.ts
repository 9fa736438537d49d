import type { Dialect } from '../dialects/index.js';
import { calculate } from '../dialects/demo-calculator.js';
import { ToolCallError } from '../errors/index.js';
import {
  DEFAULT_MAX_RESULT_BYTES,
  DEFAULT_TOOL_TIMEOUT_MS,
  type ToolDefinition,
  type ToolInvocation,
  type ToolOutcome,
  type ToolSource,
} from './types.js';

type BuiltinImplementation = (args: Record<string, unknown>) => unknown;

/** In-process implementations of the tools dialects list as their own (the demo's calculator). */
const IMPLEMENTATIONS: ReadonlyMap<string, BuiltinImplementation> = new Map([
  ['calculator', (args) => ({ value: Math.round(calculate(String(args.expression)) * 1000) / 1000 })],
]);

/**
 * The tools a dialect lists itself. Those with an in-process implementation (the calculator) are
 * callable; a built-in that throws answers with `isError: true` and the message, as a tool would.
 */
export class BuiltinToolSource implements ToolSource {
  readonly kind = 'builtin';
  readonly timeoutMs = DEFAULT_TOOL_TIMEOUT_MS;
  readonly maxResultBytes = DEFAULT_MAX_RESULT_BYTES;
  private readonly definitions: readonly ToolDefinition[];
  private readonly dialectName: string;

  constructor(
    dialect: Dialect,
    readonly label: string,
  ) {
    this.definitions = dialect.tools ?? [];
    this.dialectName = dialect.name;
  }

  tools(): readonly ToolDefinition[] {
    return this.definitions;
  }

  async call(invocation: ToolInvocation): Promise<ToolOutcome> {
    const implementation = IMPLEMENTATIONS.get(invocation.name);
    if (!implementation) {
      // Listed by the dialect, run by the upstream agent during its runs: not callable from here.
      throw ToolCallError.upstream(
        `the ${this.dialectName} dialect's tool "${invocation.name}" runs only inside its agent's runs`,
        {
          retryable: false,
        },
      );
    }
    try {
      return { result: implementation((invocation.arguments ?? {}) as Record<string, unknown>), isError: false };
    } catch (error) {
      // A SyntaxError is the calculator's answer to a bad expression; anything else is internal.
      const message = error instanceof SyntaxError ? error.message : 'the tool failed inside the gateway';
      return { result: { error: message }, isError: true };
    }
  }
}
