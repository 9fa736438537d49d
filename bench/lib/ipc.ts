/**
 * The bench's processes talk over Node's IPC channel (child_process.fork). A request carries an
 * `id`; the child answers with the same `id`. Events a child sends on its own carry `ev`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes of one machine. */
export const clock = (): number => performance.timeOrigin + performance.now();

export interface Child {
  readonly name: string;
  readonly child: ChildProcess;
  request<T = Record<string, unknown>>(message: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** The next event `ev` the child sends (optionally one matching `match`). */
  next<T = Record<string, unknown>>(ev: string, timeoutMs: number): Promise<T>;
  kill(): Promise<void>;
  /** Waits up to `timeoutMs` for the child to exit by itself (a CPU profile is written then), then kills it. */
  exit(timeoutMs: number): Promise<void>;
}

const live = new Set<ChildProcess>();

/** Kills every child still running; called on exit, on signals and on failure. */
export function killAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}
process.once('exit', killAll);

/** Adds a child that was not forked here (cold start spawns) to those `killAll` kills. */
export function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

export function forkChild(
  name: string,
  script: string,
  options: { gc?: boolean; env?: Record<string, string>; execArgv?: string[] } = {},
): Child {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    cwd: ROOT,
    execArgv: [
      '--import',
      'tsx',
      ...(options.gc ? ['--expose-gc'] : []),
      ...(options.execArgv ?? []),
      ...(process.env.BENCH_SERVER_FLAGS && name.startsWith('server') ? process.env.BENCH_SERVER_FLAGS.split(' ') : []),
    ],
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  live.add(child);
  let nextId = 1;
  const waiting = new Map<
    number,
    { resolve: (value: never) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();
  const listeners: {
    ev: string;
    resolve: (value: never) => void;
    reject: (error: Error) => void;
    timer: NodeJS.Timeout;
  }[] = [];
  let exitError: Error | null = null;
  child.on('message', (message: Record<string, unknown>) => {
    if (typeof message.id === 'number' && waiting.has(message.id)) {
      const entry = waiting.get(message.id)!;
      waiting.delete(message.id);
      clearTimeout(entry.timer);
      if (typeof message.error === 'string') entry.reject(new Error(`${name}: ${message.error}`));
      else entry.resolve(message as never);
      return;
    }
    if (typeof message.ev === 'string') {
      const index = listeners.findIndex((listener) => listener.ev === message.ev);
      if (index >= 0) {
        const [listener] = listeners.splice(index, 1);
        clearTimeout(listener!.timer);
        listener!.resolve(message as never);
      }
    }
  });
  child.on('exit', (code, signal) => {
    live.delete(child);
    exitError = new Error(`${name} exited (${code ?? signal})`);
    for (const entry of waiting.values()) {
      clearTimeout(entry.timer);
      entry.reject(exitError);
    }
    waiting.clear();
    for (const listener of listeners.splice(0)) {
      clearTimeout(listener.timer);
      listener.reject(exitError);
    }
  });
  return {
    name,
    child,
    request<T>(message: Record<string, unknown>, timeoutMs = 60_000) {
      if (exitError) return Promise.reject(exitError);
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`${name}: no answer to ${String(message.cmd)} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, { resolve, reject, timer });
        child.send({ ...message, id });
      });
    },
    next<T>(ev: string, timeoutMs: number) {
      if (exitError) return Promise.reject(exitError);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          const index = listeners.findIndex((listener) => listener.timer === timer);
          if (index >= 0) listeners.splice(index, 1);
          reject(new Error(`${name}: no ${ev} within ${timeoutMs} ms`));
        }, timeoutMs);
        listeners.push({ ev, resolve, reject, timer });
      });
    },
    async exit(timeoutMs) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** In a child: answers requests with `handler`, replying `{ id, ...result }` or `{ id, error }`. */
export function serveRequests(
  handler: (message: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>,
): void {
  process.on('message', (message: Record<string, unknown>) => {
    Promise.resolve()
      .then(() => handler(message))
      .then(
        (result) => process.send!({ ...result, id: message.id }),
        (error: unknown) =>
          process.send!({
            id: message.id,
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
          }),
      );
  });
  // The parent going away (even killed) closes the channel: never outlive it.
  process.on('disconnect', () => process.exit(0));
}

export function emit(event: Record<string, unknown>): void {
  process.send?.(event);
}
