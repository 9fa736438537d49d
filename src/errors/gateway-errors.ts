import { GraphqlErrorCode, UserErrorCode } from './codes.js';
import { SynapseError } from './synapse-error.js';

/**
 * Thrown by `RunManager.start` (and the tool-call runner) once shutdown has begun; the resolvers
 * answer it with a GraphQL error of code SHUTTING_DOWN.
 */
export class ShuttingDownError extends SynapseError {
  static override readonly brand: symbol = Symbol.for('synapse.error.ShuttingDownError');
  override readonly name: string = 'ShuttingDownError';
  constructor() {
    super(GraphqlErrorCode.SHUTTING_DOWN, 'the gateway is shutting down and accepts no new runs');
  }
}

/**
 * The bridge's side of IDEMPOTENCY_CONFLICT: the same key came with a different request
 * (docs/run-control.md). The resolvers return it as an `IdempotencyConflictError`.
 */
export class IdempotencyConflict extends SynapseError {
  static override readonly brand: symbol = Symbol.for('synapse.error.IdempotencyConflict');
  override readonly name: string = 'IdempotencyConflict';
  constructor(
    readonly key: string,
    readonly workflowId: string,
  ) {
    super(
      UserErrorCode.IDEMPOTENCY_CONFLICT,
      `idempotency key "${key}" was used with a different input (for workflow ${workflowId}); use a new key for a new request`,
    );
  }
}

/**
 * The bridge's side of THREAD_BUSY (multitaskStrategy REJECT): the thread has a workflow that is
 * queued, running or paused. `runAgent` returns it as a `ThreadBusyError`.
 */
export class ThreadBusy extends SynapseError {
  static override readonly brand: symbol = Symbol.for('synapse.error.ThreadBusy');
  override readonly name: string = 'ThreadBusy';
  constructor(
    readonly threadId: string,
    /** The thread's active workflow. */
    readonly active: { readonly id: string; readonly status: string },
  ) {
    super(UserErrorCode.THREAD_BUSY, `thread ${threadId} is busy with workflow ${active.id} (${active.status})`);
  }
}

/** Why a token was refused, in words safe to send to the caller (who gets UNAUTHENTICATED). */
export class TokenRejectedError extends SynapseError {
  static override readonly brand: symbol = Symbol.for('synapse.error.TokenRejectedError');
  override readonly name: string = 'TokenRejectedError';
  constructor(message: string) {
    super(GraphqlErrorCode.UNAUTHENTICATED, message);
  }
}
