import { builder } from './builder.js';

/**
 * Errors a caller can fix. They come back as members of a mutation's result union (never as
 * top-level GraphQL errors), each with a stable `code`.
 */
export class UserError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class UnknownAgentError extends UserError {
  constructor(readonly agentId: string) {
    super('UNKNOWN_AGENT', `no agent with id "${agentId}" is configured`);
  }
}

export interface InputIssue {
  field: string;
  message: string;
}

export class InvalidInputError extends UserError {
  readonly field: string;
  constructor(readonly issues: InputIssue[]) {
    super('INVALID_INPUT', issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '));
    this.field = issues[0]?.field ?? 'input';
  }
}

export class NotFoundError extends UserError {
  constructor(
    readonly kind: string,
    readonly id: string,
  ) {
    super('NOT_FOUND', `no ${kind} with id "${id}"`);
  }
}

/** `respondToInterrupts` names an interrupt that is not open (docs/human-in-the-loop.md). */
export class InterruptNotOpenError extends UserError {
  constructor(
    readonly interruptId: string,
    readonly status: string,
  ) {
    super('INTERRUPT_NOT_OPEN', `interrupt "${interruptId}" is not open (it is unknown, already answered otherwise, or the workflow is ${status})`);
  }
}

/** The idempotency key came before with a different request (docs/run-control.md). */
export class IdempotencyConflictError extends UserError {
  constructor(
    readonly key: string,
    readonly workflowId: string,
  ) {
    super('IDEMPOTENCY_CONFLICT', `idempotency key "${key}" was used within the last 24 hours with a different input (workflow ${workflowId}); send a new key for a new request`);
  }
}

/** `runAgent` on a thread that has an active workflow, with multitaskStrategy REJECT (docs/run-control.md). */
export class ThreadBusyError extends UserError {
  constructor(
    readonly threadId: string,
    readonly workflowId: string,
    readonly status: string,
  ) {
    super('THREAD_BUSY', `thread "${threadId}" already has workflow ${workflowId} (${status}); wait for it, cancel it, or send multitaskStrategy ENQUEUE or INTERRUPT`);
  }
}

export const ErrorInterface = builder.interfaceRef<UserError>('Error').implement({
  description: 'A problem the caller can fix; `code` is stable, `message` is for people.',
  fields: (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
  }),
});

builder.objectType(UnknownAgentError, {
  name: 'UnknownAgentError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ agentId: t.exposeID('agentId') }),
});

export const InputIssueRef = builder.objectRef<InputIssue>('InputIssue').implement({
  description: 'One invalid input field: its path (such as `input.prompt`) and what is wrong.',
  fields: (t) => ({
    field: t.exposeString('field'),
    message: t.exposeString('message'),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The first invalid field.' }),
    issues: t.field({ type: [InputIssueRef], resolve: (error) => error.issues }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ id: t.exposeID('id') }),
});

builder.objectType(InterruptNotOpenError, {
  name: 'InterruptNotOpenError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    interruptId: t.exposeID('interruptId'),
    status: t.exposeString('status', { description: 'The workflow’s status when the answer came.' }),
  }),
});

builder.objectType(IdempotencyConflictError, {
  name: 'IdempotencyConflictError',
  description: 'The idempotency key was used within 24 hours with a different input; nothing was started.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    key: t.exposeString('key'),
    workflowId: t.exposeID('workflowId', { description: 'The workflow the key answers.' }),
  }),
});

builder.objectType(ThreadBusyError, {
  name: 'ThreadBusyError',
  description: 'The thread already has a workflow that is queued, running or paused, and multitaskStrategy was REJECT; nothing was started.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    threadId: t.exposeID('threadId'),
    workflowId: t.exposeID('workflowId', { description: 'The active workflow of the thread.' }),
    status: t.exposeString('status', { description: 'Its status (QUEUED, RUNNING or INPUT_REQUIRED).' }),
  }),
});
