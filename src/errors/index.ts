/**
 * Synapse's error family (docs/errors.md, "The error family"): `SynapseError` and its
 * subclasses, and every error code as a constant. A foundation module: it imports nothing from
 * the pipeline's stages, so every stage can throw and recognise these errors.
 */
export { isSynapseError, kSynapseError, SynapseError } from './synapse-error.js';
export {
  GRAPHQL_ERROR_CODES,
  GraphqlErrorCode,
  INTERNAL_ERROR_CODES,
  InternalErrorCode,
  RUN_ERROR_CODES,
  RunErrorCode,
  USER_ERROR_CODES,
  UserErrorCode,
} from './codes.js';
export { RunError, ToolCallError, UpstreamError } from './run-errors.js';
export type { TimeoutKind, ToolCallErrorCode } from './run-errors.js';
export { InvalidFilterError, LeaseLostError, SequenceConflictError, StoreUnavailableError } from './store-errors.js';
export { IdempotencyConflict, ShuttingDownError, ThreadBusy, TokenRejectedError } from './gateway-errors.js';
export { ConfigError, formatConfigErrorMessage } from './config-error.js';
export type { ConfigIssue } from './config-error.js';
export {
  IdempotencyConflictError,
  InterruptNotOpenError,
  InvalidInputError,
  NotFoundError,
  ThreadBusyError,
  ToolArgumentsError,
  ToolCallFailure,
  ToolResultTooLargeError,
  ToolTimeoutError,
  ToolUpstreamError,
  UnknownAgentError,
  UnknownToolError,
  UserError,
} from './user-errors.js';
export type { InputIssue } from './user-errors.js';
