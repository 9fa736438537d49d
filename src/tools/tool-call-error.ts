import { RunErrorCode } from '../events/index.js';

export type ToolCallErrorCode =
  | typeof RunErrorCode.TOOL_TIMEOUT
  | typeof RunErrorCode.TOOL_UPSTREAM_ERROR
  | typeof RunErrorCode.TOOL_RESULT_TOO_LARGE;

/**
 * A tool call that failed in its source rather than in the tool: it timed out, its server was
 * unreachable or died, or its result was too large. The code is one of the run failure codes
 * (docs/errors.md) and becomes the workflow's RunFailed code.
 */
export class ToolCallError extends Error {
  override readonly name = 'ToolCallError';
  constructor(
    readonly code: ToolCallErrorCode,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static timeout(label: string, timeoutMs: number): ToolCallError {
    return new ToolCallError(RunErrorCode.TOOL_TIMEOUT, `the tool did not answer within ${timeoutMs} ms (${label})`, true);
  }

  static tooLarge(label: string, maxResultBytes: number): ToolCallError {
    return new ToolCallError(
      RunErrorCode.TOOL_RESULT_TOO_LARGE,
      `the tool's result is larger than maxResultBytes (${maxResultBytes} bytes; ${label})`,
      false,
    );
  }

  static upstream(message: string, options?: { retryable?: boolean; cause?: unknown }): ToolCallError {
    return new ToolCallError(RunErrorCode.TOOL_UPSTREAM_ERROR, message, options?.retryable ?? true, options);
  }
}
