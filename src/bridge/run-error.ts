import { RunErrorCode } from '../events/index.js';

/**
 * A failure that ends a run with a stable code (docs/errors.md). Dialects and transports throw
 * it; the bridge turns it into the run's RunFailed event. Anything else thrown is INTERNAL and
 * its message is kept out of the event (it may hold internals) but logged.
 */
export class RunError extends Error {
  override readonly name = 'RunError';
  readonly code: string;
  readonly retryable: boolean;
  readonly recoverySuggestion: string | null;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; recoverySuggestion?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.recoverySuggestion = options.recoverySuggestion ?? null;
  }

  static internal(): RunError {
    return new RunError(RunErrorCode.INTERNAL, 'the gateway failed while running this workflow', {
      retryable: true,
      recoverySuggestion: 'Retry the run; if it keeps failing, check the gateway log for this workflow id.',
    });
  }
}
