import { GraphqlErrorCode, InternalErrorCode } from './codes.js';
import { SynapseError } from './synapse-error.js';

/** Thrown by the store's `commit` when the events do not continue the stored sequence. */
export class SequenceConflictError extends SynapseError {
  static override readonly brand: symbol = Symbol.for('synapse.error.SequenceConflictError');
  override readonly name: string = 'SequenceConflictError';
  constructor(
    readonly workflowId: string,
    readonly expected: number,
    readonly received: number,
  ) {
    super(
      InternalErrorCode.SEQUENCE_CONFLICT,
      `workflow ${workflowId}: expected sequence ${expected}, received ${received}`,
    );
  }
}

/**
 * Thrown by the store's `commit` when the writer's lease epoch is no longer the workflow's:
 * another instance took the workflow over (the writer was cut off and swept). Nothing was
 * written; the writer must stop for good.
 */
export class LeaseLostError extends SynapseError {
  static override readonly brand: symbol = Symbol.for('synapse.error.LeaseLostError');
  override readonly name: string = 'LeaseLostError';
  declare readonly code: typeof InternalErrorCode.LEASE_LOST;
  constructor(
    readonly workflowId: string,
    readonly epoch: number,
    /** The workflow's epoch now, when the store told it (a fenced commit); null from a renewal. */
    readonly currentEpoch: number | null,
  ) {
    super(
      InternalErrorCode.LEASE_LOST,
      `workflow ${workflowId}: lease epoch ${epoch} was taken over` +
        (currentEpoch === null ? '' : ` (the workflow is at epoch ${currentEpoch})`),
    );
  }
}

/**
 * Thrown by `RunManager.start` while the store refuses writes (docs/errors.md,
 * STORE_UNAVAILABLE); the resolvers answer it with a GraphQL error of that code (HTTP 503).
 */
export class StoreUnavailableError extends SynapseError {
  static override readonly brand: symbol = Symbol.for('synapse.error.StoreUnavailableError');
  override readonly name: string = 'StoreUnavailableError';
  declare readonly code: typeof GraphqlErrorCode.STORE_UNAVAILABLE;
  constructor(storeName: string, options?: { cause?: unknown }) {
    super(
      GraphqlErrorCode.STORE_UNAVAILABLE,
      `the ${storeName} store is not accepting writes; no run can start until it does`,
      options,
    );
  }
}

/**
 * A workflow filter the store cannot evaluate; `field` is the offending path (`metadata.a.b`).
 * The `workflows` resolver answers it with BAD_USER_INPUT naming the field.
 */
export class InvalidFilterError extends SynapseError {
  static override readonly brand: symbol = Symbol.for('synapse.error.InvalidFilterError');
  override readonly name: string = 'InvalidFilterError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(GraphqlErrorCode.BAD_USER_INPUT, `${field}: ${message}`);
  }
}
