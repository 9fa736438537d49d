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
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Where the configuration came from: a file path, or a description such as `(in-memory config)`. */
  readonly source: string;
  readonly issues: readonly ConfigIssue[];

  constructor(source: string, issues: readonly ConfigIssue[]) {
    super(formatConfigErrorMessage(source, issues));
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

// Keys like `x-api-key` read fine after a dot; anything stranger is quoted so the path stays unambiguous.
const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/**
 * Writes a key path the way users write it in JavaScript: `agents[0].headers.authorization`.
 * The empty path is the top-level value, written `(root)`.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      out += PLAIN_KEY.test(key) ? (out === '' ? key : `.${key}`) : `[${JSON.stringify(key)}]`;
    }
  }
  return out === '' ? '(root)' : out;
}
