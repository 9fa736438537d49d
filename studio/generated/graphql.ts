/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** A tool the client runs itself: the agent runtime offers it to the model and waits for its result (docs/runtime.md). */
export type ClientToolInput = {
  description?: string | null | undefined;
  /** JSON Schema of the arguments. */
  inputSchema: unknown;
  name: string;
};

/** How a person answers an interrupt (docs/human-in-the-loop.md). */
export type InterruptDecision =
  | 'APPROVE'
  | 'CANCEL'
  | 'REJECT'
  | 'RESPOND';

/** What a person is asked: approve a tool call, run a client tool, or give an input. */
export type InterruptKind =
  | 'CLIENT_TOOL'
  | 'INPUT'
  | 'TOOL_APPROVAL';

export type InterruptResponseInput = {
  /** APPROVE: edited tool arguments (checked against the tool’s schema). */
  arguments?: unknown;
  decision: InterruptDecision;
  interruptId: string | number;
  /** REJECT: why; stored as the InterruptResolved’s `comment`. */
  message?: string | null | undefined;
  /** RESPOND: the answer (INPUT) or the tool’s result (CLIENT_TOOL). */
  value?: unknown;
};

export type LogLevel =
  | 'DEBUG'
  | 'ERROR'
  | 'INFO'
  | 'WARN';

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

export type StudioUsageFragment = { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, reasoningTokens: number | null, totalTokens: number | null };

type StudioEvent_CustomEvent_Fragment = { __typename: 'CustomEvent', sequence: number, at: string, name: string, value: unknown };

type StudioEvent_Heartbeat_Fragment = { __typename: 'Heartbeat', sequence: number, at: string };

type StudioEvent_InterruptRequested_Fragment = { __typename: 'InterruptRequested', sequence: number, at: string, interruptId: string, kind: InterruptKind, toolCallId: string | null, tool: string | null, arguments: unknown, message: string, responseSchema: unknown, expiresAt: string | null, value: unknown };

type StudioEvent_InterruptResolved_Fragment = { __typename: 'InterruptResolved', sequence: number, at: string, interruptId: string, decision: InterruptDecision, value: unknown, arguments: unknown, comment: string | null, respondedBy: string | null };

type StudioEvent_LogMessage_Fragment = { __typename: 'LogMessage', sequence: number, at: string, level: LogLevel, message: string };

type StudioEvent_MessageCompleted_Fragment = { __typename: 'MessageCompleted', sequence: number, at: string, messageId: string, role: string, text: string };

type StudioEvent_ReasoningDelta_Fragment = { __typename: 'ReasoningDelta', sequence: number, at: string, delta: string };

type StudioEvent_ReasoningStep_Fragment = { __typename: 'ReasoningStep', sequence: number, at: string, title: string, detail: unknown };

type StudioEvent_RunCancelled_Fragment = { __typename: 'RunCancelled', sequence: number, at: string, reason: string | null, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, reasoningTokens: number | null, totalTokens: number | null } | null };

type StudioEvent_RunCompleted_Fragment = { __typename: 'RunCompleted', sequence: number, at: string, text: string, output: unknown, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, reasoningTokens: number | null, totalTokens: number | null } | null };

type StudioEvent_RunFailed_Fragment = { __typename: 'RunFailed', sequence: number, at: string, code: string, message: string, retryable: boolean, recoverySuggestion: string | null, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, reasoningTokens: number | null, totalTokens: number | null } | null };

type StudioEvent_RunStarted_Fragment = { __typename: 'RunStarted', sequence: number, at: string, agentId: string };

type StudioEvent_StateDelta_Fragment = { __typename: 'StateDelta', sequence: number, at: string, patch: unknown };

type StudioEvent_StateSnapshot_Fragment = { __typename: 'StateSnapshot', sequence: number, at: string, state: unknown };

type StudioEvent_StepFinished_Fragment = { __typename: 'StepFinished', sequence: number, at: string, name: string };

type StudioEvent_StepStarted_Fragment = { __typename: 'StepStarted', sequence: number, at: string, name: string };

type StudioEvent_TextDelta_Fragment = { __typename: 'TextDelta', sequence: number, at: string, messageId: string, delta: string };

type StudioEvent_ToolCallArgsDelta_Fragment = { __typename: 'ToolCallArgsDelta', sequence: number, at: string, toolCallId: string | null, delta: string };

type StudioEvent_ToolCallCompleted_Fragment = { __typename: 'ToolCallCompleted', sequence: number, at: string, toolCallId: string | null, toolName: string, arguments: unknown };

type StudioEvent_ToolCallStarted_Fragment = { __typename: 'ToolCallStarted', sequence: number, at: string, toolCallId: string | null, toolName: string };

type StudioEvent_ToolResult_Fragment = { __typename: 'ToolResult', sequence: number, at: string, toolCallId: string | null, result: unknown, isError: boolean };

type StudioEvent_UsageUpdated_Fragment = { __typename: 'UsageUpdated', sequence: number, at: string, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, reasoningTokens: number | null, totalTokens: number | null } | null };

export type StudioEventFragment =
  | StudioEvent_CustomEvent_Fragment
  | StudioEvent_Heartbeat_Fragment
  | StudioEvent_InterruptRequested_Fragment
  | StudioEvent_InterruptResolved_Fragment
  | StudioEvent_LogMessage_Fragment
  | StudioEvent_MessageCompleted_Fragment
  | StudioEvent_ReasoningDelta_Fragment
  | StudioEvent_ReasoningStep_Fragment
  | StudioEvent_RunCancelled_Fragment
  | StudioEvent_RunCompleted_Fragment
  | StudioEvent_RunFailed_Fragment
  | StudioEvent_RunStarted_Fragment
  | StudioEvent_StateDelta_Fragment
  | StudioEvent_StateSnapshot_Fragment
  | StudioEvent_StepFinished_Fragment
  | StudioEvent_StepStarted_Fragment
  | StudioEvent_TextDelta_Fragment
  | StudioEvent_ToolCallArgsDelta_Fragment
  | StudioEvent_ToolCallCompleted_Fragment
  | StudioEvent_ToolCallStarted_Fragment
  | StudioEvent_ToolResult_Fragment
  | StudioEvent_UsageUpdated_Fragment
;

export type StudioAgentsQueryVariables = Exact<{ [key: string]: never; }>;


export type StudioAgentsQuery = { __typename: 'Query', agents: Array<{ __typename: 'Agent', id: string, dialect: string, description: string | null }> };

export type StudioWorkflowRowFragment = { __typename: 'Workflow', id: string, kind: WorkflowKind, status: WorkflowStatus, input: unknown, createdAt: string, durationMs: number | null, agent: { __typename: 'Agent', id: string } | null, usage: { __typename: 'Usage', totalTokens: number | null } | null };

export type StudioWorkflowsQueryVariables = Exact<{
  filter?: WorkflowFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type StudioWorkflowsQuery = { __typename: 'Query', workflows: { __typename: 'WorkflowConnection', edges: Array<{ __typename: 'WorkflowEdge', cursor: string, node: { __typename: 'Workflow', id: string, kind: WorkflowKind, status: WorkflowStatus, input: unknown, createdAt: string, durationMs: number | null, agent: { __typename: 'Agent', id: string } | null, usage: { __typename: 'Usage', totalTokens: number | null } | null } }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type StudioWorkflowQueryVariables = Exact<{
  id: string | number;
}>;


export type StudioWorkflowQuery = { __typename: 'Query', workflow: { __typename: 'Workflow', threadId: string | null, startedAt: string | null, finishedAt: string | null, id: string, kind: WorkflowKind, status: WorkflowStatus, input: unknown, createdAt: string, durationMs: number | null, error: { __typename: 'WorkflowError', code: string, message: string } | null, agent: { __typename: 'Agent', id: string } | null, usage: { __typename: 'Usage', totalTokens: number | null } | null } | null };

export type StudioRunAgentMutationVariables = Exact<{
  input: RunAgentInput;
}>;


export type StudioRunAgentMutation = { __typename: 'Mutation', runAgent:
    | { __typename: 'IdempotencyConflictError', code: string, message: string }
    | { __typename: 'InvalidInputError', code: string, message: string, issues: Array<{ __typename: 'InputIssue', field: string, message: string }> }
    | { __typename: 'RunAgentPayload', workflow: { __typename: 'Workflow', id: string, status: WorkflowStatus } }
    | { __typename: 'ThreadBusyError', code: string, message: string }
    | { __typename: 'UnknownAgentError', code: string, message: string }
   };

export type StudioCancelWorkflowMutationVariables = Exact<{
  id: string | number;
  reason?: string | null | undefined;
}>;


export type StudioCancelWorkflowMutation = { __typename: 'Mutation', cancelWorkflow:
    | { __typename: 'CancelWorkflowPayload', cancelled: boolean }
    | { __typename: 'NotFoundError', code: string, message: string }
   };

export type StudioStreamSubscriptionVariables = Exact<{
  workflowId: string | number;
  afterSequence?: number | null | undefined;
}>;


export type StudioStreamSubscription = { __typename: 'Subscription', agentStream:
    | { __typename: 'CustomEvent', sequence: number, at: string, name: string, value: unknown }
    | { __typename: 'Heartbeat', sequence: number, at: string }
    | { __typename: 'InterruptRequested', sequence: number, at: string, interruptId: string, kind: InterruptKind, toolCallId: string | null, tool: string | null, arguments: unknown, message: string, responseSchema: unknown, expiresAt: string | null, value: unknown }
    | { __typename: 'InterruptResolved', sequence: number, at: string, interruptId: string, decision: InterruptDecision, value: unknown, arguments: unknown, comment: string | null, respondedBy: string | null }
    | { __typename: 'LogMessage', sequence: number, at: string, level: LogLevel, message: string }
    | { __typename: 'MessageCompleted', sequence: number, at: string, messageId: string, role: string, text: string }
    | { __typename: 'ReasoningDelta', sequence: number, at: string, delta: string }
    | { __typename: 'ReasoningStep', sequence: number, at: string, title: string, detail: unknown }
    | { __typename: 'RunCancelled', sequence: number, at: string, reason: string | null, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, reasoningTokens: number | null, totalTokens: number | null } | null }
    | { __typename: 'RunCompleted', sequence: number, at: string, text: string, output: unknown, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, reasoningTokens: number | null, totalTokens: number | null } | null }
    | { __typename: 'RunFailed', sequence: number, at: string, code: string, message: string, retryable: boolean, recoverySuggestion: string | null, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, reasoningTokens: number | null, totalTokens: number | null } | null }
    | { __typename: 'RunStarted', sequence: number, at: string, agentId: string }
    | { __typename: 'StateDelta', sequence: number, at: string, patch: unknown }
    | { __typename: 'StateSnapshot', sequence: number, at: string, state: unknown }
    | { __typename: 'StepFinished', sequence: number, at: string, name: string }
    | { __typename: 'StepStarted', sequence: number, at: string, name: string }
    | { __typename: 'TextDelta', sequence: number, at: string, messageId: string, delta: string }
    | { __typename: 'ToolCallArgsDelta', sequence: number, at: string, toolCallId: string | null, delta: string }
    | { __typename: 'ToolCallCompleted', sequence: number, at: string, toolCallId: string | null, toolName: string, arguments: unknown }
    | { __typename: 'ToolCallStarted', sequence: number, at: string, toolCallId: string | null, toolName: string }
    | { __typename: 'ToolResult', sequence: number, at: string, toolCallId: string | null, result: unknown, isError: boolean }
    | { __typename: 'UsageUpdated', sequence: number, at: string, usage: { __typename: 'Usage', inputTokens: number | null, outputTokens: number | null, reasoningTokens: number | null, totalTokens: number | null } | null }
   };

export type StudioWorkflowUpdatesSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type StudioWorkflowUpdatesSubscription = { __typename: 'Subscription', workflowUpdates: { __typename: 'Workflow', id: string, status: WorkflowStatus } };

export type StudioPendingInterruptsQueryVariables = Exact<{
  id: string | number;
}>;


export type StudioPendingInterruptsQuery = { __typename: 'Query', workflow: { __typename: 'Workflow', id: string, status: WorkflowStatus, pendingInterrupts: Array<{ __typename: 'InterruptRequested', interruptId: string, kind: InterruptKind, toolCallId: string | null, tool: string | null, arguments: unknown, message: string, responseSchema: unknown, expiresAt: string | null, value: unknown }> } | null };

export type StudioRespondToInterruptsMutationVariables = Exact<{
  workflowId: string | number;
  responses: Array<InterruptResponseInput> | InterruptResponseInput;
}>;


export type StudioRespondToInterruptsMutation = { __typename: 'Mutation', respondToInterrupts:
    | { __typename: 'InterruptNotOpenError', code: string, message: string }
    | { __typename: 'InvalidInputError', code: string, message: string, field: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'RespondToInterruptsPayload', resumed: boolean }
   };

export const StudioUsageFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"StudioUsage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Usage"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}}]} as unknown as DocumentNode<StudioUsageFragment, unknown>;
export const StudioEventFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"StudioEvent"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgentEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StreamEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunStarted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agentId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TextDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"delta"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MessageCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReasoningDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"delta"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReasoningStep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StepStarted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StepFinished"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallStarted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"toolName"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallArgsDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"delta"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"isError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StateSnapshot"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StateDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"patch"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CustomEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LogMessage"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"level"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InterruptRequested"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"interruptId"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"tool"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"responseSchema"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InterruptResolved"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"interruptId"}},{"kind":"Field","name":{"kind":"Name","value":"decision"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"respondedBy"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UsageUpdated"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"StudioUsage"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"StudioUsage"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunFailed"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"recoverySuggestion"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"StudioUsage"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunCancelled"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"StudioUsage"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"StudioUsage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Usage"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}}]} as unknown as DocumentNode<StudioEventFragment, unknown>;
export const StudioWorkflowRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"StudioWorkflowRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Workflow"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}}]}}]} as unknown as DocumentNode<StudioWorkflowRowFragment, unknown>;
export const StudioAgentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StudioAgents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"dialect"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]} as unknown as DocumentNode<StudioAgentsQuery, StudioAgentsQueryVariables>;
export const StudioWorkflowsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StudioWorkflows"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WorkflowFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workflows"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"StudioWorkflowRow"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"StudioWorkflowRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Workflow"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}}]}}]} as unknown as DocumentNode<StudioWorkflowsQuery, StudioWorkflowsQueryVariables>;
export const StudioWorkflowDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StudioWorkflow"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workflow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"StudioWorkflowRow"}},{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"StudioWorkflowRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Workflow"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}}]}}]} as unknown as DocumentNode<StudioWorkflowQuery, StudioWorkflowQueryVariables>;
export const StudioRunAgentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StudioRunAgent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RunAgentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runAgent"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunAgentPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workflow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}}]} as unknown as DocumentNode<StudioRunAgentMutation, StudioRunAgentMutationVariables>;
export const StudioCancelWorkflowDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StudioCancelWorkflow"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reason"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelWorkflow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"reason"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reason"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CancelWorkflowPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelled"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<StudioCancelWorkflowMutation, StudioCancelWorkflowMutationVariables>;
export const StudioStreamDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"StudioStream"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workflowId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"afterSequence"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agentStream"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"workflowId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workflowId"}}},{"kind":"Argument","name":{"kind":"Name","value":"afterSequence"},"value":{"kind":"Variable","name":{"kind":"Name","value":"afterSequence"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"StudioEvent"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"StudioUsage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Usage"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"reasoningTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"StudioEvent"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgentEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StreamEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunStarted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agentId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TextDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"delta"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MessageCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReasoningDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"delta"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReasoningStep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StepStarted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StepFinished"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallStarted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"toolName"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallArgsDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"delta"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolCallCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"toolName"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ToolResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"isError"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StateSnapshot"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StateDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"patch"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CustomEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LogMessage"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"level"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InterruptRequested"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"interruptId"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"tool"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"responseSchema"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InterruptResolved"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"interruptId"}},{"kind":"Field","name":{"kind":"Name","value":"decision"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"respondedBy"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UsageUpdated"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"StudioUsage"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"StudioUsage"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunFailed"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"recoverySuggestion"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"StudioUsage"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunCancelled"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"StudioUsage"}}]}}]}}]}}]} as unknown as DocumentNode<StudioStreamSubscription, StudioStreamSubscriptionVariables>;
export const StudioWorkflowUpdatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"StudioWorkflowUpdates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workflowUpdates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<StudioWorkflowUpdatesSubscription, StudioWorkflowUpdatesSubscriptionVariables>;
export const StudioPendingInterruptsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StudioPendingInterrupts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workflow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"pendingInterrupts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"interruptId"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"toolCallId"}},{"kind":"Field","name":{"kind":"Name","value":"tool"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"responseSchema"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]} as unknown as DocumentNode<StudioPendingInterruptsQuery, StudioPendingInterruptsQueryVariables>;
export const StudioRespondToInterruptsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StudioRespondToInterrupts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workflowId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"responses"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"InterruptResponseInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"respondToInterrupts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"workflowId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workflowId"}}},{"kind":"Argument","name":{"kind":"Name","value":"responses"},"value":{"kind":"Variable","name":{"kind":"Name","value":"responses"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RespondToInterruptsPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resumed"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}}]} as unknown as DocumentNode<StudioRespondToInterruptsMutation, StudioRespondToInterruptsMutationVariables>;