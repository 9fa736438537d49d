import {
  IdempotencyConflictError,
  InterruptNotOpenError,
  InvalidInputError,
  NotFoundError,
  ThreadBusyError,
  UnknownAgentError,
  type InputIssue,
  type UserError,
} from '../errors/index.js';
import { builder } from './builder.js';

/**
 * The GraphQL types of the errors a caller can fix (the classes are in src/errors/user-errors.ts):
 * members of a mutation's result union, never top-level GraphQL errors. Pothos tells them apart
 * with `instanceof`, which the family's brand keeps true across copies of the module.
 */
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
  description:
    'The thread already has a workflow that is queued, running or paused, and multitaskStrategy was REJECT; nothing was started.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    threadId: t.exposeID('threadId'),
    workflowId: t.exposeID('workflowId', { description: 'The active workflow of the thread.' }),
    status: t.exposeString('status', { description: 'Its status (QUEUED, RUNNING or INPUT_REQUIRED).' }),
  }),
});
