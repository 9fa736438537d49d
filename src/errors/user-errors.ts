import { UserErrorCode } from './codes.js';
import { SynapseError } from './synapse-error.js';

/**
 * Errors a caller can fix. They come back as members of a mutation's result union (never as
 * top-level GraphQL errors), each with a stable `code` (`UserErrorCode`). Their GraphQL types are
 * declared in src/schema/errors.ts and src/schema/tools.ts, under the names given here.
 */
export class UserError extends SynapseError {
  static override readonly brand: symbol = Symbol.for('synapse.error.UserError');
  override readonly name: string = 'UserError';
  declare readonly code: UserErrorCode;
  constructor(code: UserErrorCode, message: string) {
    super(code, message);
  }
}

export class UnknownAgentError extends UserError {
  static override readonly brand: symbol = Symbol.for('synapse.error.UnknownAgentError');
  override readonly name: string = 'UnknownAgentError';
  constructor(readonly agentId: string) {
    super(UserErrorCode.UNKNOWN_AGENT, `no agent with id "${agentId}" is configured`);
  }
}

export interface InputIssue {
  field: string;
  message: string;
}

export class InvalidInputError extends UserError {
  static override readonly brand: symbol = Symbol.for('synapse.error.InvalidInputError');
  override readonly name: string = 'InvalidInputError';
  readonly field: string;
  constructor(readonly issues: InputIssue[]) {
    super(UserErrorCode.INVALID_INPUT, issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '));
    this.field = issues[0]?.field ?? 'input';
  }
}

export class NotFoundError extends UserError {
  static override readonly brand: symbol = Symbol.for('synapse.error.NotFoundError');
  override readonly name: string = 'NotFoundError';
  constructor(
    readonly kind: string,
    readonly id: string,
  ) {
    super(UserErrorCode.NOT_FOUND, `no ${kind} with id "${id}"`);
  }
}

/** `respondToInterrupts` names an interrupt that is not open (docs/human-in-the-loop.md). */
export class InterruptNotOpenError extends UserError {
  static override readonly brand: symbol = Symbol.for('synapse.error.InterruptNotOpenError');
  override readonly name: string = 'InterruptNotOpenError';
  constructor(
    readonly interruptId: string,
    readonly status: string,
  ) {
    super(
      UserErrorCode.INTERRUPT_NOT_OPEN,
      `interrupt "${interruptId}" is not open (it is unknown, already answered otherwise, or the workflow is ${status})`,
    );
  }
}

/** The idempotency key came before with a different request (docs/run-control.md). */
export class IdempotencyConflictError extends UserError {
  static override readonly brand: symbol = Symbol.for('synapse.error.IdempotencyConflictError');
  override readonly name: string = 'IdempotencyConflictError';
  constructor(
    readonly key: string,
    readonly workflowId: string,
  ) {
    super(
      UserErrorCode.IDEMPOTENCY_CONFLICT,
      `idempotency key "${key}" was used within the last 24 hours with a different input (workflow ${workflowId}); send a new key for a new request`,
    );
  }
}

/** `runAgent` on a thread that has an active workflow, with multitaskStrategy REJECT (docs/run-control.md). */
export class ThreadBusyError extends UserError {
  static override readonly brand: symbol = Symbol.for('synapse.error.ThreadBusyError');
  override readonly name: string = 'ThreadBusyError';
  constructor(
    readonly threadId: string,
    readonly workflowId: string,
    readonly status: string,
  ) {
    super(
      UserErrorCode.THREAD_BUSY,
      `thread "${threadId}" already has workflow ${workflowId} (${status}); wait for it, cancel it, or send multitaskStrategy ENQUEUE or INTERRUPT`,
    );
  }
}

export class UnknownToolError extends UserError {
  static override readonly brand: symbol = Symbol.for('synapse.error.UnknownToolError');
  override readonly name: string = 'UnknownToolError';
  constructor(
    readonly agentId: string | null,
    readonly tool: string,
  ) {
    super(
      UserErrorCode.UNKNOWN_TOOL,
      agentId === null ? `no agent offers a tool named "${tool}"` : `agent "${agentId}" has no tool named "${tool}"`,
    );
  }
}

export class ToolArgumentsError extends UserError {
  static override readonly brand: symbol = Symbol.for('synapse.error.ToolArgumentsError');
  override readonly name: string = 'ToolArgumentsError';
  readonly field: string;
  constructor(
    readonly tool: string,
    readonly issues: InputIssue[],
  ) {
    super(UserErrorCode.INVALID_TOOL_ARGUMENTS, issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '));
    this.field = issues[0]?.field ?? 'input.arguments';
  }
}

/**
 * A tool call that was made and failed in the tool's source; `workflow` (the FAILED TOOL_CALL
 * workflow, a `WorkflowRecord` in the schema) holds its history. Generic so that this module
 * needs nothing from the store.
 */
export abstract class ToolCallFailure<TWorkflow = unknown> extends UserError {
  static override readonly brand: symbol = Symbol.for('synapse.error.ToolCallFailure');
  constructor(
    code:
      | typeof UserErrorCode.TOOL_TIMEOUT
      | typeof UserErrorCode.TOOL_UPSTREAM_ERROR
      | typeof UserErrorCode.TOOL_RESULT_TOO_LARGE,
    message: string,
    readonly retryable: boolean,
    readonly workflow: TWorkflow,
  ) {
    super(code, message);
  }
}

export class ToolTimeoutError<TWorkflow = unknown> extends ToolCallFailure<TWorkflow> {
  static override readonly brand: symbol = Symbol.for('synapse.error.ToolTimeoutError');
  override readonly name: string = 'ToolTimeoutError';
  constructor(message: string, workflow: TWorkflow) {
    super(UserErrorCode.TOOL_TIMEOUT, message, true, workflow);
  }
}

export class ToolUpstreamError<TWorkflow = unknown> extends ToolCallFailure<TWorkflow> {
  static override readonly brand: symbol = Symbol.for('synapse.error.ToolUpstreamError');
  override readonly name: string = 'ToolUpstreamError';
  constructor(message: string, retryable: boolean, workflow: TWorkflow) {
    super(UserErrorCode.TOOL_UPSTREAM_ERROR, message, retryable, workflow);
  }
}

export class ToolResultTooLargeError<TWorkflow = unknown> extends ToolCallFailure<TWorkflow> {
  static override readonly brand: symbol = Symbol.for('synapse.error.ToolResultTooLargeError');
  override readonly name: string = 'ToolResultTooLargeError';
  constructor(message: string, workflow: TWorkflow) {
    super(UserErrorCode.TOOL_RESULT_TOO_LARGE, message, false, workflow);
  }
}
