import { GraphQLError } from 'graphql';
import { GraphqlErrorCode } from '../errors/index.js';
import {
  FINISHED_STATUSES,
  readStoredText,
  WORKFLOW_KINDS,
  WORKFLOW_STATUSES,
  type WorkflowError,
  type WorkflowRecord,
} from '../store/index.js';
import { AgentRef } from './agent.js';
import { builder } from './builder.js';
import { resolveWorkflowConnection } from './workflow-connection.js';
import { AgentEventUnion, UsageRef } from './events.js';
import type { ToolCallView } from './tool-calls.js';

const EVENTS_PAGE_DEFAULT = 1000;
const EVENTS_PAGE_MAX = 10_000;
const WORKFLOWS_PAGE_DEFAULT = 20;
const WORKFLOWS_PAGE_MAX = 100;

export const WorkflowStatusEnum = builder.enumType('WorkflowStatus', { values: WORKFLOW_STATUSES });
export const WorkflowKindEnum = builder.enumType('WorkflowKind', { values: WORKFLOW_KINDS });

const WorkflowErrorRef = builder.objectRef<WorkflowError>('WorkflowError').implement({
  description: 'Why a workflow failed; `code` is stable (docs/errors.md).',
  fields: (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
    retryable: t.exposeBoolean('retryable'),
  }),
});

const ToolCallRef = builder.objectRef<ToolCallView>('ToolCall').implement({
  description: 'A tool call made during a workflow.',
  fields: (t) => ({
    id: t.exposeID('id'),
    toolName: t.exposeString('toolName'),
    arguments: t.field({ type: 'JSON', nullable: true, resolve: (call) => call.arguments ?? null }),
    result: t.field({ type: 'JSON', nullable: true, resolve: (call) => call.result ?? null }),
    isError: t.exposeBoolean('isError'),
    error: t.exposeString('error', { nullable: true, description: 'What went wrong, when `isError`.' }),
    status: t.exposeString('status', { description: 'STARTED, CALLED (arguments complete), SUCCEEDED or FAILED.' }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (call) => call.startedAt }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (call) => call.finishedAt }),
  }),
});

export const WorkflowRef = builder.objectRef<WorkflowRecord>('Workflow').implement({
  description: 'One agent run or tool call, live or finished, with its whole event history.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: WorkflowKindEnum, resolve: (workflow) => workflow.kind }),
    status: t.field({ type: WorkflowStatusEnum, resolve: (workflow) => workflow.status }),
    agent: t.field({
      type: AgentRef,
      nullable: true,
      resolve: (workflow, _args, context) => (workflow.agentId ? (context.agents.get(workflow.agentId) ?? null) : null),
    }),
    threadId: t.exposeID('threadId', { nullable: true }),
    input: t.field({ type: 'JSON', resolve: (workflow) => workflow.input ?? {} }),
    output: t.field({ type: 'JSON', nullable: true, resolve: (workflow) => workflow.output ?? null }),
    text: t.string({
      nullable: true,
      // A running workflow's row holds no text (the writer writes it with the terminal event):
      // its text so far is the concatenation of its committed deltas.
      resolve: async (workflow, _args, context) => {
        if (FINISHED_STATUSES.includes(workflow.status)) return workflow.text;
        const text = await readStoredText(context.store, workflow.id);
        return text === '' ? workflow.text : text;
      },
    }),
    error: t.field({ type: WorkflowErrorRef, nullable: true, resolve: (workflow) => workflow.error }),
    usage: t.field({ type: UsageRef, nullable: true, resolve: (workflow) => workflow.usage }),
    metadata: t.field({ type: 'JSON', nullable: true, resolve: (workflow) => workflow.metadata ?? null }),
    createdAt: t.field({ type: 'DateTime', resolve: (workflow) => workflow.createdAt }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (workflow) => workflow.startedAt }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (workflow) => workflow.finishedAt }),
    durationMs: t.int({
      nullable: true,
      description: 'From start to finish; null until the workflow has finished.',
      resolve: (workflow) =>
        workflow.startedAt && workflow.finishedAt ? workflow.finishedAt.getTime() - workflow.startedAt.getTime() : null,
    }),
    lastSequence: t.exposeInt('lastSequence'),
    events: t.field({
      type: [AgentEventUnion],
      description: `The stored history in order: events after \`afterSequence\`, at most \`first\` (default ${EVENTS_PAGE_DEFAULT}, at most ${EVENTS_PAGE_MAX}).`,
      args: {
        afterSequence: t.arg.int({ defaultValue: 0 }),
        first: t.arg.int({ defaultValue: EVENTS_PAGE_DEFAULT }),
      },
      resolve: (workflow, args, context) => {
        const first = boundedPageSize('first', args.first ?? EVENTS_PAGE_DEFAULT, EVENTS_PAGE_MAX);
        const afterSequence = args.afterSequence ?? 0;
        if (afterSequence < 0) {
          throw new GraphQLError(`afterSequence must be 0 or more, got ${afterSequence}`, {
            extensions: { code: GraphqlErrorCode.BAD_USER_INPUT, argument: 'afterSequence' },
          });
        }
        return context.loaders.events(afterSequence, first).load(workflow.id);
      },
    }),
    toolCalls: t.field({
      type: [ToolCallRef],
      description: 'The tool calls of the workflow, in the order they started, from the stored tool-call records.',
      resolve: (workflow, _args, context) => context.loaders.toolCalls.load(workflow.id),
    }),
  }),
});

export const WorkflowFilterInput = builder.inputType('WorkflowFilter', {
  description: 'Narrows a workflow listing; every given condition must hold.',
  fields: (t) => ({
    agentId: t.id({ required: false }),
    status: t.field({ type: [WorkflowStatusEnum], required: false, description: 'Any of these statuses.' }),
    kind: t.field({ type: WorkflowKindEnum, required: false }),
    threadId: t.id({ required: false }),
    createdAfter: t.field({ type: 'DateTime', required: false }),
    createdBefore: t.field({ type: 'DateTime', required: false }),
    metadata: t.field({
      type: 'JSON',
      required: false,
      description:
        'Workflows whose metadata contains this object (PostgreSQL `@>` semantics): nested objects, scalars, arrays of scalars.',
    }),
  }),
});

builder.queryFields((t) => ({
  workflow: t.field({
    type: WorkflowRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => {
      const workflow = await context.loaders.workflow.load(String(args.id));
      return workflow && workflow.tenantId === context.tenantId ? workflow : null;
    },
  }),
  workflows: t.connection(
    {
      type: WorkflowRef,
      description: `Workflows newest first, as a Relay connection: \`first\`/\`after\` page towards older ones, \`last\`/\`before\` towards newer ones (page size default ${WORKFLOWS_PAGE_DEFAULT}, at most ${WORKFLOWS_PAGE_MAX}).`,
      args: { filter: t.arg({ type: WorkflowFilterInput, required: false }) },
      resolve: (_root, args, context) => resolveWorkflowConnection(args, context),
    },
    { name: 'WorkflowConnection' },
    { name: 'WorkflowEdge' },
  ),
}));

function boundedPageSize(argument: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new GraphQLError(`${argument} must be between 1 and ${max}, got ${value}`, {
      extensions: { code: GraphqlErrorCode.BAD_USER_INPUT, argument, max },
    });
  }
  return value;
}
