import { pino, stdSerializers, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { createRequire } from 'node:module';
import type { PrettyStream } from 'pino-pretty';
import type { Logger } from '../logger.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface PinoLoggerOptions {
  /** Default `info`. */
  level?: LogLevel;
  /** Human-readable, coloured lines (pino-pretty) instead of JSON. Default: NODE_ENV is `development`. */
  pretty?: boolean;
  /** Where lines go; default stderr, written synchronously so nothing is lost at exit. */
  destination?: DestinationStream;
}

/**
 * The `Logger` every stage uses, backed by pino: one JSON object per line (`level`, `time`, `msg`,
 * the fields; a request's or a run's lines carry its ids through `withFields`, src/logger.ts).
 * An `error` field is serialised with its stack.
 */
export function createPinoLogger(options: PinoLoggerOptions = {}): Logger & { readonly pino: PinoLogger } {
  const prettyOutput = options.pretty ?? process.env.NODE_ENV === 'development';
  const destination =
    options.destination ??
    (prettyOutput
      ? loadPretty()({ destination: 2, sync: true, colorize: process.stderr.isTTY === true, ignore: 'pid,hostname' })
      : pino.destination({ fd: 2, sync: true }));
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: stdSerializers.err, err: stdSerializers.err },
    },
    destination,
  );
  return {
    pino: logger,
    debug: (message, fields) => logger.debug(fields ?? {}, message),
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
  };
}

/** LOG_LEVEL from the environment, or `info`. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const level = env.LOG_LEVEL?.toLowerCase();
  return level === 'debug' || level === 'info' || level === 'warn' || level === 'error' || level === 'silent'
    ? level
    : 'info';
}

/** pino-pretty is for development only: it loads when asked for, not with every start. */
function loadPretty(): (options: Record<string, unknown>) => PrettyStream {
  return (
    createRequire(import.meta.url)('pino-pretty') as { default: (options: Record<string, unknown>) => PrettyStream }
  ).default;
}
