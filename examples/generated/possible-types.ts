
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "AgentEvent": [
      "CustomEvent",
      "Heartbeat",
      "InterruptRequested",
      "LogMessage",
      "MessageCompleted",
      "ReasoningDelta",
      "ReasoningStep",
      "RunCancelled",
      "RunCompleted",
      "RunFailed",
      "RunStarted",
      "StateDelta",
      "StateSnapshot",
      "StepFinished",
      "StepStarted",
      "TextDelta",
      "ToolCallArgsDelta",
      "ToolCallCompleted",
      "ToolCallStarted",
      "ToolResult",
      "UsageUpdated"
    ],
    "CancelWorkflowResult": [
      "CancelWorkflowPayload",
      "NotFoundError"
    ],
    "Error": [
      "InvalidInputError",
      "NotFoundError",
      "UnknownAgentError"
    ],
    "RunAgentResult": [
      "InvalidInputError",
      "RunAgentPayload",
      "UnknownAgentError"
    ],
    "StreamEvent": [
      "CustomEvent",
      "Heartbeat",
      "InterruptRequested",
      "LogMessage",
      "MessageCompleted",
      "ReasoningDelta",
      "ReasoningStep",
      "RunCancelled",
      "RunCompleted",
      "RunFailed",
      "RunStarted",
      "StateDelta",
      "StateSnapshot",
      "StepFinished",
      "StepStarted",
      "TextDelta",
      "ToolCallArgsDelta",
      "ToolCallCompleted",
      "ToolCallStarted",
      "ToolResult",
      "UsageUpdated"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "AgentEvent": [
      "CustomEvent",
      "Heartbeat",
      "InterruptRequested",
      "LogMessage",
      "MessageCompleted",
      "ReasoningDelta",
      "ReasoningStep",
      "RunCancelled",
      "RunCompleted",
      "RunFailed",
      "RunStarted",
      "StateDelta",
      "StateSnapshot",
      "StepFinished",
      "StepStarted",
      "TextDelta",
      "ToolCallArgsDelta",
      "ToolCallCompleted",
      "ToolCallStarted",
      "ToolResult",
      "UsageUpdated"
    ],
    "CancelWorkflowResult": [
      "CancelWorkflowPayload",
      "NotFoundError"
    ],
    "Error": [
      "InvalidInputError",
      "NotFoundError",
      "UnknownAgentError"
    ],
    "RunAgentResult": [
      "InvalidInputError",
      "RunAgentPayload",
      "UnknownAgentError"
    ],
    "StreamEvent": [
      "CustomEvent",
      "Heartbeat",
      "InterruptRequested",
      "LogMessage",
      "MessageCompleted",
      "ReasoningDelta",
      "ReasoningStep",
      "RunCancelled",
      "RunCompleted",
      "RunFailed",
      "RunStarted",
      "StateDelta",
      "StateSnapshot",
      "StepFinished",
      "StepStarted",
      "TextDelta",
      "ToolCallArgsDelta",
      "ToolCallCompleted",
      "ToolCallStarted",
      "ToolResult",
      "UsageUpdated"
    ]
  }
};
      export default result;
    