import { InternalErrorCode } from './codes.js';
import { SynapseError } from './synapse-error.js';

/** One problem found in a configuration: where it is and what is wrong, in words for a human. */
export interface ConfigIssue {
  /**
   * Where the problem is: a key path such as `agents[0].dialect` or `server.port`; the name of an
   * environment variable or flag (`PORT`, `--config`); `(file)` for a problem with the file as a
   * whole (unreadable, syntax error); `(root)` for the top-level value itself.
   */
  path: string;
  /** The reason, e.g. `expected number, received string ("abc")`. */
  message: string;
}

/**
 * Thrown by `loadConfig` and `parseConfig` for every problem a user can fix in their config file or
 * environment. Its message is complete on its own, so the CLI prints it and exits without a stack.
 */
export class ConfigError extends SynapseError {
  static override readonly brand: symbol = Symbol.for('synapse.error.ConfigError');
  override readonly name: string = 'ConfigError';
  /** Where the configuration came from: a file path, or a description such as `(in-memory config)`. */
  readonly source: string;
  readonly issues: readonly ConfigIssue[];

  constructor(source: string, issues: readonly ConfigIssue[]) {
    super(InternalErrorCode.CONFIG_INVALID, formatConfigErrorMessage(source, issues));
    this.source = source;
    this.issues = issues;
  }
}

/**
 * The text of a {@link ConfigError}: `Invalid configuration in <source>:` then one
 * `  - <path>: <reason>` line per issue.
 */
export function formatConfigErrorMessage(source: string, issues: readonly ConfigIssue[]): string {
  const lines = issues.map((issue) => `  - ${issue.path}: ${issue.message}`);
  return [`Invalid configuration in ${source}:`, ...lines].join('\n');
}
