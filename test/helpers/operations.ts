/** The operations the integration tests send: the same shapes the README's session uses. */

export const RUN_AGENT = /* GraphQL */ `
  mutation Run($input: RunAgentInput!) {
    runAgent(input: $input) {
      __typename
      ... on RunAgentPayload {
        workflow { id status threadId text output usage { inputTokens outputTokens totalTokens } lastSequence }
      }
      ... on Error { code message }
      ... on InvalidInputError { field issues { field message } }
      ... on UnknownAgentError { agentId }
    }
  }
`;

/** Every field of every member of the AgentEvent union (the selection the stream tests use). */
export const EVENT_FIELDS = /* GraphQL */ `
  __typename
  ... on StreamEvent { workflowId sequence at }
  ... on RunStarted { agentId input }
  ... on TextDelta { messageId delta }
  ... on MessageCompleted { messageId role text }
  ... on ReasoningDelta { delta }
  ... on ReasoningStep { title detail }
  ... on ToolCallStarted { toolCallId toolName }
  ... on ToolCallArgsDelta { toolCallId delta }
  ... on ToolCallCompleted { toolCallId toolName arguments }
  ... on ToolResult { toolCallId result isError }
  ... on UsageUpdated { usage { inputTokens outputTokens totalTokens reasoningTokens cachedInputTokens } }
  ... on RunCompleted { output text usage { inputTokens outputTokens totalTokens reasoningTokens cachedInputTokens } }
  ... on RunFailed { code message retryable recoverySuggestion usage { totalTokens } }
  ... on RunCancelled { reason usage { totalTokens } }
  ... on CustomEvent { name value }
  ... on LogMessage { level message }
  ... on StepStarted { name }
  ... on StepFinished { name }
  ... on StateSnapshot { state }
  ... on StateDelta { patch }
  ... on InterruptRequested { interruptId toolCallId value }
`;

export const AGENT_STREAM = /* GraphQL */ `
  subscription Stream($workflowId: ID!, $afterSequence: Int) {
    agentStream(workflowId: $workflowId, afterSequence: $afterSequence) { ${EVENT_FIELDS} }
  }
`;

export const WORKFLOW = /* GraphQL */ `
  query Workflow($id: ID!) {
    workflow(id: $id) {
      id kind status threadId text output input lastSequence durationMs createdAt startedAt finishedAt
      agent { id dialect }
      error { code message retryable }
      usage { inputTokens outputTokens totalTokens }
      toolCalls { id toolName arguments result isError status }
      events { ${EVENT_FIELDS} }
    }
  }
`;

export const CANCEL = /* GraphQL */ `
  mutation Cancel($id: ID!, $reason: String) {
    cancelWorkflow(id: $id, reason: $reason) {
      __typename
      ... on CancelWorkflowPayload { cancelled workflow { id status } }
      ... on Error { code message }
    }
  }
`;
