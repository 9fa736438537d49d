
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
      "IdempotencyConflictError",
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
      "IdempotencyConflictError",
      "InterruptNotOpenError",
      "InvalidInputError",
      "NotFoundError",
      "ThreadBusyError",
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
      "IdempotencyConflictError",
      "InvalidInputError",
      "RunAgentPayload",
      "ThreadBusyError",
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
      "IdempotencyConflictError",
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
      "IdempotencyConflictError",
      "InterruptNotOpenError",
      "InvalidInputError",
      "NotFoundError",
      "ThreadBusyError",
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
      "IdempotencyConflictError",
      "InvalidInputError",
      "RunAgentPayload",
      "ThreadBusyError",
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
    