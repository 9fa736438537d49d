
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "AgentEvent": [
      "CustomEvent",
      "Heartbeat",
      "InterruptRequested",
      "InterruptResolved",
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
    "CallToolResult": [
      "CallToolPayload",
      "InvalidInputError",
      "ToolArgumentsError",
      "ToolResultTooLargeError",
      "ToolTimeoutError",
      "ToolUpstreamError",
      "UnknownAgentError",
      "UnknownToolError"
    ],
    "CancelWorkflowResult": [
      "CancelWorkflowPayload",
      "NotFoundError"
    ],
    "Error": [
      "InterruptNotOpenError",
      "InvalidInputError",
      "NotFoundError",
      "ToolArgumentsError",
      "ToolResultTooLargeError",
      "ToolTimeoutError",
      "ToolUpstreamError",
      "UnknownAgentError",
      "UnknownToolError"
    ],
    "RespondToInterruptsResult": [
      "InterruptNotOpenError",
      "InvalidInputError",
      "NotFoundError",
      "RespondToInterruptsPayload"
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
      "InterruptResolved",
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
    "ToolCallFailure": [
      "ToolResultTooLargeError",
      "ToolTimeoutError",
      "ToolUpstreamError"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "AgentEvent": [
      "CustomEvent",
      "Heartbeat",
      "InterruptRequested",
      "InterruptResolved",
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
    "CallToolResult": [
      "CallToolPayload",
      "InvalidInputError",
      "ToolArgumentsError",
      "ToolResultTooLargeError",
      "ToolTimeoutError",
      "ToolUpstreamError",
      "UnknownAgentError",
      "UnknownToolError"
    ],
    "CancelWorkflowResult": [
      "CancelWorkflowPayload",
      "NotFoundError"
    ],
    "Error": [
      "InterruptNotOpenError",
      "InvalidInputError",
      "NotFoundError",
      "ToolArgumentsError",
      "ToolResultTooLargeError",
      "ToolTimeoutError",
      "ToolUpstreamError",
      "UnknownAgentError",
      "UnknownToolError"
    ],
    "RespondToInterruptsResult": [
      "InterruptNotOpenError",
      "InvalidInputError",
      "NotFoundError",
      "RespondToInterruptsPayload"
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
      "InterruptResolved",
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
    "ToolCallFailure": [
      "ToolResultTooLargeError",
      "ToolTimeoutError",
      "ToolUpstreamError"
    ]
  }
};
      export default result;
    