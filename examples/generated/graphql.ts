/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type CallToolInput = {
  /** The agent whose tool to call; may be left out when exactly one agent has it. */
  agentId?: string | number | null | undefined;
  /** Validated against the tool's inputSchema before the call. */
  arguments: unknown;
  /** As RunAgentInput.idempotencyKey: the same key within 24 hours answers the same TOOL_CALL workflow and calls nothing (docs/run-control.md). */
  idempotencyKey?: string | null | undefined;
  tool: string;
};

/** A tool the client runs itself: the agent runtime offers it to the model and waits for its result (docs/runtime.md). */
export type ClientToolInput = {
  description?: string | null | undefined;
  /** JSON Schema of the arguments. */
  inputSchema: unknown;
  name: string;
};

export type MessageInput = {
  content: string;
  /** system, user, assistant or tool. */
  role: string;
};

/** What runAgent does when the thread already has a workflow that is queued, running or paused (docs/run-control.md). */
export type MultitaskStrategy =
  /** Queue the new run (QUEUED); it starts after the active ones end, with their answers in its thread history. */
  | 'ENQUEUE'
  /** Cancel the active workflow (RunCancelled, its reason names the new one), then start the new run. */
  | 'INTERRUPT'
  /** Refuse with ThreadBusyError naming the active workflow (the default). */
  | 'REJECT';

export type RunAgentInput = {
  agentId: string | number;
  /** Tools the client runs itself (openai-chat, openai-responses, anthropic-messages agents): a call waits as InterruptRequested CLIENT_TOOL. */
  clientTools?: Array<ClientToolInput> | null | undefined;
  /** The same key from the same tenant within 24 hours answers the same workflow (running or finished) and starts nothing; the same key with a different input is IdempotencyConflictError (docs/run-control.md). */
  idempotencyKey?: string | null | undefined;
  /** The full chat input. */
  messages?: Array<MessageInput> | null | undefined;
  /** A JSON object kept with the workflow. */
  metadata?: unknown;
  /** When the thread already has a queued, running or paused workflow (default REJECT). */
  multitaskStrategy?: MultitaskStrategy | null | undefined;
  /** Shorthand for one user message. */
  prompt?: string | null | undefined;
  /** Continue this conversation (or start one with this id). */
  threadId?: string | number | null | undefined;
  /** Return once the workflow has finished. */
  wait?: boolean | null | undefined;
};

/** How `usageSummary` groups workflows: by agent id, or by UTC day of creation. */
export type UsageGroup =
  | 'AGENT'
  | 'DAY';

/** Narrows a workflow listing; every given condition must hold. */
export type WorkflowFilter = {
  agentId?: string | number | null | undefined;
  createdAfter?: string | null | undefined;
  createdBefore?: string | null | undefined;
  kind?: WorkflowKind | null | undefined;
  /** Workflows whose metadata contains this object (PostgreSQL `@>` semantics): nested objects, scalars, arrays of scalars. */
  metadata?: unknown;
  /** Any of these statuses. */
  status?: Array<WorkflowStatus> | null | undefined;
  threadId?: string | number | null | undefined;
};

export type WorkflowKind =
  | 'AGENT_RUN'
  | 'TOOL_CALL';

export type WorkflowStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'INPUT_REQUIRED'
  | 'INTERRUPTED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type UsageFieldsFragment = { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, totalTokens: number | null };

type StreamedEvent_CustomEvent_Fragment = { __typename: 'CustomEvent', sequence: number, at: string };

type StreamedEvent_Heartbeat_Fragment = { __typename: 'Heartbeat', sequence: number, at: string };

type StreamedEvent_InterruptRequested_Fragment = { __typename: 'InterruptRequested', sequence: number, at: string };

type StreamedEvent_InterruptResolved_Fragment = { __typename: 'InterruptResolved', sequence: number, at: string };

type StreamedEvent_LogMessage_Fragment = { __typename: 'LogMessage', sequence: number, at: string };

type StreamedEvent_MessageCompleted_Fragment = { __typename: 'MessageCompleted', sequence: number, at: string };

type StreamedEvent_ReasoningDelta_Fragment = { __typename: 'ReasoningDelta', sequence: number, at: string, delta: string };

type StreamedEvent_ReasoningStep_Fragment = { __typename: 'ReasoningStep', sequence: number, at: string, title: string, detail: unknown };

type StreamedEvent_RunCancelled_Fragment = { __typename: 'RunCancelled', sequence: number, at: string, reason: string | null, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, totalTokens: number | null } | null };

type StreamedEvent_RunCompleted_Fragment = { __typename: 'RunCompleted', sequence: number, at: string, output: unknown, text: string, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, totalTokens: number | null } | null };

type StreamedEvent_RunFailed_Fragment = { __typename: 'RunFailed', sequence: number, at: string, code: string, message: string, retryable: boolean, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, totalTokens: number | null } | null };

type StreamedEvent_RunStarted_Fragment = { __typename: 'RunStarted', sequence: number, at: string };

type StreamedEvent_StateDelta_Fragment = { __typename: 'StateDelta', sequence: number, at: string };

type StreamedEvent_StateSnapshot_Fragment = { __typename: 'StateSnapshot', sequence: number, at: string };

type StreamedEvent_StepFinished_Fragment = { __typename: 'StepFinished', sequence: number, at: string };

type StreamedEvent_StepStarted_Fragment = { __typename: 'StepStarted', sequence: number, at: string };

type StreamedEvent_TextDelta_Fragment = { __typename: 'TextDelta', sequence: number, at: string, messageId: string, delta: string };

type StreamedEvent_ToolCallArgsDelta_Fragment = { __typename: 'ToolCallArgsDelta', sequence: number, at: string, toolCallId: string | null, delta: string };

type StreamedEvent_ToolCallCompleted_Fragment = { __typename: 'ToolCallCompleted', sequence: number, at: string, toolCallId: string | null, toolName: string, arguments: unknown };

type StreamedEvent_ToolCallStarted_Fragment = { __typename: 'ToolCallStarted', sequence: number, at: string, toolCallId: string | null, toolName: string };

type StreamedEvent_ToolResult_Fragment = { __typename: 'ToolResult', sequence: number, at: string, toolCallId: string | null, result: unknown, isError: boolean };

type StreamedEvent_UsageUpdated_Fragment = { __typename: 'UsageUpdated', sequence: number, at: string, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, totalTokens: number | null } | null };

export type StreamedEventFragment =
  | StreamedEvent_CustomEvent_Fragment
  | StreamedEvent_Heartbeat_Fragment
  | StreamedEvent_InterruptRequested_Fragment
  | StreamedEvent_InterruptResolved_Fragment
  | StreamedEvent_LogMessage_Fragment
  | StreamedEvent_MessageCompleted_Fragment
  | StreamedEvent_ReasoningDelta_Fragment
  | StreamedEvent_ReasoningStep_Fragment
  | StreamedEvent_RunCancelled_Fragment
  | StreamedEvent_RunCompleted_Fragment
  | StreamedEvent_RunFailed_Fragment
  | StreamedEvent_RunStarted_Fragment
  | StreamedEvent_StateDelta_Fragment
  | StreamedEvent_StateSnapshot_Fragment
  | StreamedEvent_StepFinished_Fragment
  | StreamedEvent_StepStarted_Fragment
  | StreamedEvent_TextDelta_Fragment
  | StreamedEvent_ToolCallArgsDelta_Fragment
  | StreamedEvent_ToolCallCompleted_Fragment
  | StreamedEvent_ToolCallStarted_Fragment
  | StreamedEvent_ToolResult_Fragment
  | StreamedEvent_UsageUpdated_Fragment
;

export type AgentStreamSubscriptionVariables = Exact<{
  workflowId: string | number;
  afterSequence?: number | null | undefined;
}>;


export type AgentStreamSubscription = { __typename: 'Subscription', agentStream:
    | { __typename: 'CustomEvent', sequence: number, at: string }
    | { __typename: 'Heartbeat', sequence: number, at: string }
    | { __typename: 'InterruptRequested', sequence: number, at: string }
    | { __typename: 'InterruptResolved', sequence: number, at: string }
    | { __typename: 'LogMessage', sequence: number, at: string }
    | { __typename: 'MessageCompleted', sequence: number, at: string }
    | { __typename: 'ReasoningDelta', sequence: number, at: string, delta: string }
    | { __typename: 'ReasoningStep', sequence: number, at: string, title: string, detail: unknown }
    | { __typename: 'RunCancelled', sequence: number, at: string, reason: string | null, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, totalTokens: number | null } | null }
    | { __typename: 'RunCompleted', sequence: number, at: string, output: unknown, text: string, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, totalTokens: number | null } | null }
    | { __typename: 'RunFailed', sequence: number, at: string, code: string, message: string, retryable: boolean, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, totalTokens: number | null } | null }
    | { __typename: 'RunStarted', sequence: number, at: string }
    | { __typename: 'StateDelta', sequence: number, at: string }
    | { __typename: 'StateSnapshot', sequence: number, at: string }
    | { __typename: 'StepFinished', sequence: number, at: string }
    | { __typename: 'StepStarted', sequence: number, at: string }
    | { __typename: 'TextDelta', sequence: number, at: string, messageId: string, delta: string }
    | { __typename: 'ToolCallArgsDelta', sequence: number, at: string, toolCallId: string | null, delta: string }
    | { __typename: 'ToolCallCompleted', sequence: number, at: string, toolCallId: string | null, toolName: string, arguments: unknown }
    | { __typename: 'ToolCallStarted', sequence: number, at: string, toolCallId: string | null, toolName: string }
    | { __typename: 'ToolResult', sequence: number, at: string, toolCallId: string | null, result: unknown, isError: boolean }
    | { __typename: 'UsageUpdated', sequence: number, at: string, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, totalTokens: number | null } | null }
   };

export type AgentsQueryVariables = Exact<{ [key: string]: never; }>;


export type AgentsQuery = { __typename: 'Query', agents: Array<{ __typename: 'Agent', id: string, dialect: string, description: string | null }> };

export type CallToolMutationVariables = Exact<{
  input: CallToolInput;
}>;


export type CallToolMutation = { __typename: 'Mutation', callTool:
    | { __typename: 'CallToolPayload', result: unknown, isError: boolean, workflow: { __typename: 'Workflow', id: string, status: WorkflowStatus } }
    | { __typename: 'IdempotencyConflictError', code: string, message: string }
    | { __typename: 'InvalidInputError', code: string, message: string }
    | { __typename: 'ToolArgumentsError', tool: string, code: string, message: string, issues: Array<{ __typename: 'InputIssue', field: string, message: string }> }
    | { __typename: 'ToolResultTooLargeError', retryable: boolean, code: string, message: string, workflow: { __typename: 'Workflow', id: string, status: WorkflowStatus } }
    | { __typename: 'ToolTimeoutError', retryable: boolean, code: string, message: string, workflow: { __typename: 'Workflow', id: string, status: WorkflowStatus } }
    | { __typename: 'ToolUpstreamError', retryable: boolean, code: string, message: string, workflow: { __typename: 'Workflow', id: string, status: WorkflowStatus } }
    | { __typename: 'UnknownAgentError', code: string, message: string }
    | { __typename: 'UnknownToolError', code: string, message: string }
   };

export type AgentToolsQueryVariables = Exact<{
  agentId: string | number;
}>;


export type AgentToolsQuery = { __typename: 'Query', tools: Array<{ __typename: 'Tool', name: string, description: string | null, inputSchema: unknown, source: string }> | null };

export type NewerWorkflowsQueryVariables = Exact<{
  before?: string | null | undefined;
  filter?: WorkflowFilter | null | undefined;
}>;


export type NewerWorkflowsQuery = { __typename: 'Query', workflows: { __typename: 'WorkflowConnection', edges: Array<{ __typename: 'WorkflowEdge', cursor: string, node: { __typename: 'Workflow', id: string, status: WorkflowStatus, metadata: unknown, createdAt: string, agent: { __typename: 'Agent', id: string } | null } }>, pageInfo: { __typename: 'PageInfo', hasPreviousPage: boolean, startCursor: string | null } } };

export type ConversationQueryVariables = Exact<{
  id: string | number;
}>;


export type ConversationQuery = { __typename: 'Query', thread: { __typename: 'Thread', id: string, workflows: Array<{ __typename: 'Workflow', id: string, status: WorkflowStatus, input: unknown, text: string | null, createdAt: string }> } | null };

export type TokenSpendQueryVariables = Exact<{
  groupBy: UsageGroup;
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type TokenSpendQuery = { __typename: 'Query', usageSummary: Array<{ __typename: 'UsageRow', key: string, workflows: number, inputTokens: number, outputTokens: number, totalTokens: number }> };

export type WorkflowBoardSubscriptionVariables = Exact<{
  filter?: WorkflowFilter | null | undefined;
}>;


export type WorkflowBoardSubscription = { __typename: 'Subscription', workflowUpdates: { __typename: 'Workflow', id: string, status: WorkflowStatus, finishedAt: string | null, agent: { __typename: 'Agent', id: string } | null, usage: { __typename: 'Usage', totalTokens: number | null } | null, error: { __typename: 'WorkflowError', code: string, message: string } | null } };

export type RunAgentMutationVariables = Exact<{
  input: RunAgentInput;
}>;


export type RunAgentMutation = { __typename: 'Mutation', runAgent:
    | { __typename: 'IdempotencyConflictError', code: string, message: string }
    | { __typename: 'InvalidInputError', code: string, message: string, issues: Array<{ __typename: 'InputIssue', field: string, message: string }> }
    | { __typename: 'RunAgentPayload', workflow: { __typename: 'Workflow', id: string, status: WorkflowStatus, threadId: string | null } }
    | { __typename: 'ThreadBusyError', code: string, message: string }
    | { __typename: 'UnknownAgentError', code: string, message: string }
   };

export type CancelWorkflowMutationVariables = Exact<{
  id: string | number;
  reason?: string | null | undefined;
}>;


export type CancelWorkflowMutation = { __typename: 'Mutation', cancelWorkflow:
    | { __typename: 'CancelWorkflowPayload', cancelled: boolean, workflow: { __typename: 'Workflow', id: string, status: WorkflowStatus } }
    | { __typename: 'NotFoundError', code: string, message: string }
   };

export type WorkflowHistoryQueryVariables = Exact<{
  filter?: WorkflowFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type WorkflowHistoryQuery = { __typename: 'Query', workflows: { __typename: 'WorkflowConnection', edges: Array<{ __typename: 'WorkflowEdge', cursor: string, node: { __typename: 'Workflow', id: string, status: WorkflowStatus, createdAt: string, durationMs: number | null, agent: { __typename: 'Agent', id: string } | null } }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null } } };

export type WorkflowDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type WorkflowDetailQuery = { __typename: 'Query', workflow: { __typename: 'Workflow', id: string, kind: WorkflowKind, status: WorkflowStatus, text: string | null, output: unknown, error: { __typename: 'WorkflowError', code: string, message: string, retryable: boolean } | null, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, totalTokens: number | null } | null, toolCalls: Array<{ __typename: 'ToolCall', id: string, toolName: string, arguments: unknown, result: unknown, isError: boolean }>, events: Array<
      | { __typename: 'CustomEvent', sequence: number, at: string }
      | { __typename: 'Heartbeat', sequence: number, at: string }
      | { __typename: 'InterruptRequested', sequence: number, at: string }
      | { __typename: 'InterruptResolved', sequence: number, at: string }
      | { __typename: 'LogMessage', sequence: number, at: string }
      | { __typename: 'MessageCompleted', sequence: number, at: string }
      | { __typename: 'ReasoningDelta', sequence: number, at: string, delta: string }
      | { __typename: 'ReasoningStep', sequence: number, at: string, title: string, detail: unknown }
      | { __typename: 'RunCancelled', sequence: number, at: string, reason: string | null, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, totalTokens: number | null } | null }
      | { __typename: 'RunCompleted', sequence: number, at: string, output: unknown, text: string, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, totalTokens: number | null } | null }
      | { __typename: 'RunFailed', sequence: number, at: string, code: string, message: string, retryable: boolean, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, totalTokens: number | null } | null }
      | { __typename: 'RunStarted', sequence: number, at: string }
      | { __typename: 'StateDelta', sequence: number, at: string }
      | { __typename: 'StateSnapshot', sequence: number, at: string }
      | { __typename: 'StepFinished', sequence: number, at: string }
      | { __typename: 'StepStarted', sequence: number, at: string }
      | { __typename: 'TextDelta', sequence: number, at: string, messageId: string, delta: string }
      | { __typename: 'ToolCallArgsDelta', sequence: number, at: string, toolCallId: string | null, delta: string }
      | { __typename: 'ToolCallCompleted', sequence: number, at: string, toolCallId: string | null, toolName: string, arguments: unknown }
      | { __typename: 'ToolCallStarted', sequence: number, at: string, toolCallId: string | null, toolName: string }
      | { __typename: 'ToolResult', sequence: number, at: string, toolCallId: string | null, result: unknown, isError: boolean }
      | { __typename: 'UsageUpdated', sequence: number, at: string, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, totalTokens: number | null } | null }
    > } | null };

export const UsageFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UsageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Usage"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}}]} as unknown as DocumentNode<UsageFieldsFragment, unknown>;
export const StreamedEventFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"StreamedEvent"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgentEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StreamEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TextDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"delta"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReasoningDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"delta"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReasoningStep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallStarted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"toolName"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallArgsDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"delta"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"isError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UsageUpdated"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UsageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UsageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunFailed"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UsageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunCancelled"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UsageFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UsageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Usage"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}}]} as unknown as DocumentNode<StreamedEventFragment, unknown>;
export const AgentStreamDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"AgentStream"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workflowId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"afterSequence"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agentStream"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"workflowId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workflowId"}}},{"kind":"Argument","name":{"kind":"Name","value":"afterSequence"},"value":{"kind":"Variable","name":{"kind":"Name","value":"afterSequence"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"StreamedEvent"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UsageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Usage"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"StreamedEvent"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgentEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StreamEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TextDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"delta"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReasoningDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"delta"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReasoningStep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallStarted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"toolName"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallArgsDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"delta"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"isError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UsageUpdated"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UsageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UsageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunFailed"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UsageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunCancelled"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UsageFields"}}]}}]}}]}}]} as unknown as DocumentNode<AgentStreamSubscription, AgentStreamSubscriptionVariables>;
export const AgentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Agents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"dialect"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]} as unknown as DocumentNode<AgentsQuery, AgentsQueryVariables>;
export const CallToolDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CallTool"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CallToolInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"callTool"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CallToolPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"isError"}},{"kind":"Field","name":{"kind":"Name","value":"workflow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolArgumentsError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tool"}},{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallFailure"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"workflow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CallToolMutation, CallToolMutationVariables>;
export const AgentToolsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgentTools"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"agentId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tools"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"agentId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"agentId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"inputSchema"}},{"kind":"Field","name":{"kind":"Name","value":"source"}}]}}]}}]} as unknown as DocumentNode<AgentToolsQuery, AgentToolsQueryVariables>;
export const NewerWorkflowsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"NewerWorkflows"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WorkflowFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workflows"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"IntValue","value":"50"}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}}]}}]}}]}}]} as unknown as DocumentNode<NewerWorkflowsQuery, NewerWorkflowsQueryVariables>;
export const ConversationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Conversation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"thread"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"workflows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]} as unknown as DocumentNode<ConversationQuery, ConversationQueryVariables>;
export const TokenSpendDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TokenSpend"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupBy"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UsageGroup"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usageSummary"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"workflows"}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}}]}}]} as unknown as DocumentNode<TokenSpendQuery, TokenSpendQueryVariables>;
export const WorkflowBoardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WorkflowBoard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WorkflowFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workflowUpdates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}}]}}]}}]} as unknown as DocumentNode<WorkflowBoardSubscription, WorkflowBoardSubscriptionVariables>;
export const RunAgentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RunAgent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RunAgentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runAgent"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunAgentPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workflow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"threadId"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}}]} as unknown as DocumentNode<RunAgentMutation, RunAgentMutationVariables>;
export const CancelWorkflowDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CancelWorkflow"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reason"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelWorkflow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"reason"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reason"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CancelWorkflowPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelled"}},{"kind":"Field","name":{"kind":"Name","value":"workflow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CancelWorkflowMutation, CancelWorkflowMutationVariables>;
export const WorkflowHistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkflowHistory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WorkflowFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workflows"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<WorkflowHistoryQuery, WorkflowHistoryQueryVariables>;
export const WorkflowDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkflowDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workflow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UsageFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"toolCalls"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"isError"}}]}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"StreamedEvent"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UsageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Usage"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"StreamedEvent"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgentEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StreamEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TextDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"delta"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReasoningDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"delta"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReasoningStep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallStarted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"toolName"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallArgsDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"delta"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"isError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UsageUpdated"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UsageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UsageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunFailed"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UsageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunCancelled"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UsageFields"}}]}}]}}]}}]} as unknown as DocumentNode<WorkflowDetailQuery, WorkflowDetailQueryVariables>;