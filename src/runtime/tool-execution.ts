import type { ArgumentValidator } from '../tools/argument-validator.js';
import { ToolCallError } from '../errors/index.js';
import type { RegisteredTool } from '../tools/types.js';

/** What the runtime needs of the tool registry (src/tools/tool-registry.ts satisfies it). */
export interface RuntimeTools {
  readonly validator: ArgumentValidator;
  list(agentId: string): RegisteredTool[] | undefined;
  find(agentId: string, name: string): Promise<RegisteredTool | undefined>;
}

/** A tool call's result as the model gets it: an error result is still a result (docs/runtime.md). */
export interface ExecutedCall {
  result: unknown;
  isError: boolean;
}

const TIMEOUT = Symbol('timeout');

/**
 * Runs one tool call of a model turn: finds the tool, validates the arguments against its schema,
 * calls its source bounded by `timeoutMs` and `maxResultBytes`, and turns every failure (unknown
 * tool, invalid arguments, a tool error, a timeout, an oversized result) into an error result for
 * the model. Aborting `signal` (cancel, shutdown) aborts the tool's request.
 */
export async function executeToolCall(
  tools: RuntimeTools,
  agentId: string,
  call: { name: string; arguments: unknown },
  signal: AbortSignal,
): Promise<ExecutedCall> {
  const tool = await tools.find(agentId, call.name);
  if (!tool) return { result: { error: `unknown tool "${call.name}"` }, isError: true };
  const check = tools.validator.check(tool.inputSchema, call.arguments, 'arguments');
  if (!check.ok) {
    return {
      result: { error: 'invalid arguments', issues: check.issues.map((issue) => `${issue.field} ${issue.message}`) },
      isError: true,
    };
  }
  const { source } = tool;
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(TIMEOUT), source.timeoutMs);
  let rejectAborted = (_reason: unknown) => {};
  const aborted = new Promise<never>((_resolve, reject) => (rejectAborted = reject));
  aborted.catch(() => {});
  const onInnerAbort = () => rejectAborted(controller.signal.reason);
  controller.signal.addEventListener('abort', onInnerAbort, { once: true });
  try {
    const pending = source.call({ name: tool.name, arguments: call.arguments, signal: controller.signal });
    pending.catch(() => {}); // a call that fails after the abort must not become an unhandled rejection
    const outcome = await Promise.race([pending, aborted]);
    const bytes = Buffer.byteLength(JSON.stringify(outcome.result) ?? 'null');
    if (bytes > source.maxResultBytes) throw ToolCallError.tooLarge(source.label, source.maxResultBytes);
    return { result: outcome.result ?? null, isError: outcome.isError };
  } catch (error) {
    if (controller.signal.reason === TIMEOUT) {
      const timeout = ToolCallError.timeout(source.label, source.timeoutMs);
      return { result: { error: timeout.message, code: timeout.code }, isError: true };
    }
    if (signal.aborted) throw error;
    if (error instanceof ToolCallError) return { result: { error: error.message, code: error.code }, isError: true };
    return { result: { error: 'the tool failed inside the gateway' }, isError: true };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    controller.signal.removeEventListener('abort', onInnerAbort);
  }
}

/** A result as the text of the tool message the model gets: a string as it is, anything else as JSON. */
export function resultContent(result: unknown): string {
  return typeof result === 'string' ? result : (JSON.stringify(result ?? null) ?? 'null');
}
