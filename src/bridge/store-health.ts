import { LeaseLostError } from '../errors/index.js';

/**
 * An error of the store itself (a full disk, a read-only file, a lost connection), as opposed to
 * a fault of what was being written (a value the store cannot serialize: RangeError, TypeError)
 * or a fenced lease. Only the first kind makes the store "down".
 */
export function isStoreFault(error: unknown): boolean {
  if (error instanceof LeaseLostError) return false;
  return !(error instanceof RangeError || error instanceof TypeError || error instanceof SyntaxError);
}

/** "SQLite", "PostgreSQL": how messages and /readyz name the store. */
export function storeName(dialect: 'sqlite' | 'postgres'): string {
  return dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
}

/**
 * Whether the store accepts writes, as the commits of this process found it: down from the
 * first commit the store refused until every run that ended then has its terminal event written
 * (commit-failure.ts retries them). Read by `/readyz` (503, `store: down`) and by
 * `RunManager.start` (new runs fail with STORE_UNAVAILABLE while it is down).
 */
export class StoreHealth {
  private readonly unwritten = new Map<string, unknown>();
  private lastFailure: unknown = null;

  constructor(readonly storeName: string) {}

  get isDown(): boolean {
    return this.unwritten.size > 0;
  }

  /** The error of the last refused write while down. */
  get failure(): unknown {
    return this.isDown ? this.lastFailure : null;
  }

  /** A write for this workflow was refused by the store; it stays down until `written`. */
  refused(workflowId: string, error: unknown): void {
    this.unwritten.set(workflowId, error);
    this.lastFailure = error;
  }

  /** The workflow's terminal event is written (or another owner took it over). */
  written(workflowId: string): void {
    this.unwritten.delete(workflowId);
  }
}
