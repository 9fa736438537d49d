import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line written inside a request or a run carries without being passed. */
export interface LogContext {
  requestId?: string;
  workflowId?: string;
  agentId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** The fields of the request or run this code runs for (empty outside any). */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

/**
 * Runs `fn` with these fields added to the current context: every log line written by it and by
 * whatever it starts asynchronously (a run started by a request keeps its request id) carries them.
 */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn);
}
