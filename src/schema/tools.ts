import { GraphQLError } from 'graphql';
import { fingerprint, startIdempotent } from '../bridge/index.js';
import {
  GraphqlErrorCode,
  IdempotencyConflict,
  IdempotencyConflictError,
  InvalidInputError,
  RunErrorCode,
  ShuttingDownError,
  StoreUnavailableError,
  ToolArgumentsError,
  ToolResultTooLargeError,
  ToolTimeoutError,
  ToolUpstreamError,
  UnknownAgentError,
  UnknownToolError,
  type ToolCallFailure,
} from '../errors/index.js';
import type { WorkflowRecord } from '../store/index.js';
import type { RegisteredTool } from '../tools/index.js';
import type { ToolCallReport } from '../bridge/index.js';
import { ToolRef } from './agent.js';
import { builder } from './builder.js';
import { ErrorInterface, InputIssueRef } from './errors.js';
import { idempotencyKeySchema } from './run-input.js';
import { replayToolCallReport } from '../bridge/index.js';
import { WorkflowRef } from './workflow.js';

class CallToolPayload {
  constructor(
    readonly result: unknown,
    readonly isError: boolean,
    readonly workflow: WorkflowRecord,
  ) {}
}

builder.objectFields(ToolRef, (t) => ({
  source: t.string({
    description: "Where the tool comes from: builtin (the dialect), agent (the agent's tool endpoint), http or mcp.",
    resolve: (tool) => (tool as Partial<RegisteredTool>).source?.kind ?? 'builtin',
  }),
}));

builder.objectType(UnknownToolError, {
  name: 'UnknownToolError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    agentId: t.exposeID('agentId', { nullable: true }),
    tool: t.exposeString('tool'),
  }),
});

builder.objectType(ToolArgumentsError, {
  name: 'ToolArgumentsError',
  interfaces: [ErrorInterface],
  description: "The arguments do not match the tool's inputSchema; nothing was called.",
  fields: (t) => ({
    tool: t.exposeString('tool'),
    field: t.exposeString('field', { description: 'The first invalid field, as `input.arguments.location.city`.' }),
    issues: t.field({ type: [InputIssueRef], resolve: (error) => error.issues }),
  }),
});

const ToolCallFailureInterface = builder.interfaceRef<ToolCallFailure<WorkflowRecord>>('ToolCallFailure').implement({
  description: 'A tool call that was made and failed in its source; `workflow` holds its history.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
    retryable: t.exposeBoolean('retryable'),
    workflow: t.field({ type: WorkflowRef, resolve: (error) => error.workflow }),
  }),
});

for (const [ErrorClass, name, description] of [
  [ToolTimeoutError, 'ToolTimeoutError', 'The tool did not answer within its `timeoutMs`.'],
  [
    ToolUpstreamError,
    'ToolUpstreamError',
    "The tool's server failed: unreachable, an HTTP error, or it died mid-call.",
  ],
  [ToolResultTooLargeError, 'ToolResultTooLargeError', "The result was larger than the source's `maxResultBytes`."],
] as const) {
  // The classes are generic over the workflow (src/errors needs nothing from the store); here it is a WorkflowRecord.
  builder.objectType(ErrorClass as typeof ToolUpstreamError<WorkflowRecord>, {
    name,
    description,
    interfaces: [ErrorInterface, ToolCallFailureInterface],
    fields: () => ({}),
  });
}

builder.objectType(CallToolPayload, {
  name: 'CallToolPayload',
  fields: (t) => ({
    result: t.field({
      type: 'JSON',
      nullable: true,
      description: 'What the tool returned (for MCP: structuredContent, else the content blocks).',
      resolve: (payload) => payload.result ?? null,
    }),
    isError: t.exposeBoolean('isError', {
      description: 'The tool answered and says it failed (MCP isError); `result` holds its message.',
    }),
    workflow: t.field({
      type: WorkflowRef,
      description: 'The finished TOOL_CALL workflow.',
      resolve: (payload) => payload.workflow,
    }),
  }),
});

const CallToolInput = builder.inputType('CallToolInput', {
  fields: (t) => ({
    agentId: t.id({
      required: false,
      description: 'The agent whose tool to call; may be left out when exactly one agent has it.',
    }),
    tool: t.string({ required: true }),
    arguments: t.field({
      type: 'JSON',
      required: true,
      description: "Validated against the tool's inputSchema before the call.",
    }),
    idempotencyKey: t.string({
      required: false,
      description:
        'As RunAgentInput.idempotencyKey: the same key within 24 hours answers the same TOOL_CALL workflow and calls nothing (docs/run-control.md).',
    }),
  }),
});

builder.queryFields((t) => ({
  tools: t.field({
    type: [ToolRef],
    nullable: true,
    description: 'The tools of an agent; null when there is no such agent.',
    args: { agentId: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => context.tools.list(String(args.agentId)) ?? null,
  }),
}));

builder.mutationFields((t) => ({
  callTool: t.field({
    type: CallToolPayload,
    description:
      'Calls one tool as a TOOL_CALL workflow and returns its result; the workflow can be streamed and queried like a run.',
    errors: {
      types: [
        UnknownAgentError,
        UnknownToolError,
        InvalidInputError,
        ToolArgumentsError,
        ToolTimeoutError,
        ToolUpstreamError,
        ToolResultTooLargeError,
        IdempotencyConflictError,
      ],
      directResult: true,
      union: { name: 'CallToolResult' },
    },
    args: { input: t.arg({ type: CallToolInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const agentId =
        input.agentId == null
          ? onlyAgentOffering(context.tools.agentsOffering(input.tool), input.tool)
          : String(input.agentId);
      if (!context.agents.get(agentId)) throw new UnknownAgentError(agentId);
      const tool = await context.tools.find(agentId, input.tool);
      if (!tool) throw new UnknownToolError(agentId, input.tool);
      const check = context.tools.validator.check(tool.inputSchema, input.arguments);
      if (!check.ok) throw new ToolArgumentsError(tool.name, check.issues);

      let report: ToolCallReport;
      const key = input.idempotencyKey == null ? null : idempotencyKeySchema.safeParse(input.idempotencyKey);
      if (key && !key.success)
        throw new InvalidInputError([
          { field: 'input.idempotencyKey', message: key.error.issues[0]?.message ?? 'invalid' },
        ]);
      try {
        if (key) {
          const request = { op: 'callTool', agentId, tool: tool.name, arguments: input.arguments };
          const outcome = await startIdempotent(
            context.store,
            { tenantId: context.tenantId, key: key.data, fingerprint: fingerprint(request) },
            (workflowId) =>
              context.toolCalls.call({
                tenantId: context.tenantId,
                agentId,
                tool,
                arguments: input.arguments,
                workflowId,
              }),
            (started) => started.workflow,
          );
          report = outcome.started ?? (await replayToolCallReport(context.store, outcome.workflow));
        } else {
          report = await context.toolCalls.call({
            tenantId: context.tenantId,
            agentId,
            tool,
            arguments: input.arguments,
          });
        }
      } catch (error) {
        if (error instanceof IdempotencyConflict) throw new IdempotencyConflictError(error.key, error.workflowId);
        if (error instanceof ShuttingDownError)
          throw new GraphQLError(error.message, { extensions: { code: error.code } });
        if (error instanceof StoreUnavailableError) {
          throw new GraphQLError(error.message, { extensions: { code: error.code, http: { status: 503 } } });
        }
        throw error;
      }
      const { workflow, outcome, failure } = report;
      if (outcome) return new CallToolPayload(outcome.result, outcome.isError, workflow);
      switch (failure?.code) {
        case RunErrorCode.TOOL_TIMEOUT:
          throw new ToolTimeoutError(failure.message, workflow);
        case RunErrorCode.TOOL_RESULT_TOO_LARGE:
          throw new ToolResultTooLargeError(failure.message, workflow);
        case RunErrorCode.TOOL_UPSTREAM_ERROR:
          throw new ToolUpstreamError(failure.message, failure.retryable, workflow);
        case RunErrorCode.INTERRUPTED:
          throw new GraphQLError('the gateway shut down during the tool call', {
            extensions: { code: GraphqlErrorCode.SHUTTING_DOWN },
          });
        default:
          throw new Error(`tool call failed: ${failure?.code ?? 'unknown'} ${failure?.message ?? ''}`);
      }
    },
  }),
}));

function onlyAgentOffering(agentIds: string[], tool: string): string {
  if (agentIds.length === 0) throw new UnknownToolError(null, tool);
  if (agentIds.length > 1) {
    throw new InvalidInputError([
      {
        field: 'input.agentId',
        message: `tool "${tool}" is offered by several agents (${agentIds.join(', ')}): name one`,
      },
    ]);
  }
  return agentIds[0]!;
}
