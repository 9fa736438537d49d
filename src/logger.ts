/**
 * The logging surface every stage uses. Structured (a message plus fields) so that a pino logger
 * can replace the console one without touching callers.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON line per entry on stderr; `level` filters out quieter entries. */
export function createConsoleLogger(level: Level | 'silent' = 'info'): Logger {
  const threshold = level === 'silent' ? Number.POSITIVE_INFINITY : ORDER[level];
  const write = (entryLevel: Level, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[entryLevel] < threshold) return;
    const entry = { level: entryLevel, time: new Date().toISOString(), msg: message, ...fields };
    process.stderr.write(`${JSON.stringify(entry, errorReplacer)}\n`);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

export const silentLogger: Logger = createConsoleLogger('silent');

/**
 * `logger` with `fields` on every line (a call's own fields win): how a line carries the ids of
 * the request or run it was written for (docs/observability.md, "Logs"). Explicit rather than
 * an AsyncLocalStorage: on Node 20 that turns on promise hooks for every promise of the process,
 * 7–10% of the CPU per token at model pace (docs/performance.md, "Many runs at model pace").
 */
export function withFields(logger: Logger, fields: Readonly<Record<string, unknown>>): Logger {
  return {
    debug: (message, own) => logger.debug(message, own ? { ...fields, ...own } : fields),
    info: (message, own) => logger.info(message, own ? { ...fields, ...own } : fields),
    warn: (message, own) => logger.warn(message, own ? { ...fields, ...own } : fields),
    error: (message, own) => logger.error(message, own ? { ...fields, ...own } : fields),
  };
}
