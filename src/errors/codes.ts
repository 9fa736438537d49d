/**
 * Every error code Synapse can give, in one place (docs/errors.md lists each; a test checks both
 * ways). Code compares and emits these constants, never string literals.
 */

/**
 * Stable codes carried by `RunFailed.code` and `Workflow.error.code`. Every code is documented in
 * docs/errors.md; a test fails when one is missing there.
 */
export const RunErrorCode = {
  /** The upstream answered with an HTTP error status; the code is suffixed with it (UPSTREAM_HTTP_429). */
  UPSTREAM_HTTP: 'UPSTREAM_HTTP',
  /** The upstream sent something that breaks its own protocol (bad frame, oversized frame). */
  UPSTREAM_PROTOCOL: 'UPSTREAM_PROTOCOL',
  /** One of the run's timeouts (connect, first event, idle, total) expired. */
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  /** The upstream stream ended, or the connection dropped, before its terminal frame. */
  UPSTREAM_DISCONNECTED: 'UPSTREAM_DISCONNECTED',
  /** A remote A2A agent asked for authentication (task state AUTH_REQUIRED): the agent's credentials are missing or refused. */
  UPSTREAM_AUTH_REQUIRED: 'UPSTREAM_AUTH_REQUIRED',
  /** The upstream reported an error of its own mid-stream. */
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  /** The final output did not match the agent's `outputSchema`. */
  OUTPUT_VALIDATION: 'OUTPUT_VALIDATION',
  /** The agent runtime's last allowed model request (`maxSteps`) still asked for tools (docs/runtime.md). */
  MAX_STEPS: 'MAX_STEPS',
  /** The gateway stopped (shutdown or crash) while the run was in flight. */
  INTERRUPTED: 'INTERRUPTED',
  /** A paused workflow's interrupts were not answered before their `expiresAt` (the agent's `interruptTimeoutMs`). */
  INTERRUPT_EXPIRED: 'INTERRUPT_EXPIRED',
  /** A fault inside the gateway; details are in the server log, not in the event. */
  INTERNAL: 'INTERNAL',
  /** A tool call (callTool) took longer than its source's `timeoutMs`. */
  TOOL_TIMEOUT: 'TOOL_TIMEOUT',
  /** A tool's server failed: unreachable, an HTTP error status, a malformed answer, or it died mid-call. */
  TOOL_UPSTREAM_ERROR: 'TOOL_UPSTREAM_ERROR',
  /** A tool's result was larger than its source's `maxResultBytes`. */
  TOOL_RESULT_TOO_LARGE: 'TOOL_RESULT_TOO_LARGE',
  /** The tool answered, and its answer says it failed (an MCP result with `isError`). */
  TOOL_ERROR: 'TOOL_ERROR',
  /** The store refused to write the run's events (a full disk, a read-only file, a lost connection). */
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
} as const;
export type RunErrorCode = (typeof RunErrorCode)[keyof typeof RunErrorCode];
export const RUN_ERROR_CODES = Object.values(RunErrorCode);

/**
 * The `code` of the errors a mutation returns in its result union (`interface Error { code
 * message }`): mistakes the caller can fix.
 */
export const UserErrorCode = {
  /** `runAgent` or `callTool` names an agent that is not configured. */
  UNKNOWN_AGENT: 'UNKNOWN_AGENT',
  /** Input that GraphQL types cannot rule out (an empty prompt, a malformed thread id, …). */
  INVALID_INPUT: 'INVALID_INPUT',
  /** A workflow that does not exist, or belongs to another tenant. */
  NOT_FOUND: 'NOT_FOUND',
  /** `respondToInterrupts` names an interrupt that is not open (docs/human-in-the-loop.md). */
  INTERRUPT_NOT_OPEN: 'INTERRUPT_NOT_OPEN',
  /** An idempotency key used within 24 hours with a different input (docs/run-control.md). */
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  /** `runAgent` on a thread with an active workflow, multitaskStrategy REJECT (docs/run-control.md). */
  THREAD_BUSY: 'THREAD_BUSY',
  /** `callTool` names a tool the agent does not list. */
  UNKNOWN_TOOL: 'UNKNOWN_TOOL',
  /** `callTool` arguments that do not match the tool's `inputSchema`. */
  INVALID_TOOL_ARGUMENTS: 'INVALID_TOOL_ARGUMENTS',
  /** The tool did not answer within its source's `timeoutMs` (also a run failure code). */
  TOOL_TIMEOUT: RunErrorCode.TOOL_TIMEOUT,
  /** The tool's server failed (also a run failure code). */
  TOOL_UPSTREAM_ERROR: RunErrorCode.TOOL_UPSTREAM_ERROR,
  /** The tool's result was larger than `maxResultBytes` (also a run failure code). */
  TOOL_RESULT_TOO_LARGE: RunErrorCode.TOOL_RESULT_TOO_LARGE,
} as const;
export type UserErrorCode = (typeof UserErrorCode)[keyof typeof UserErrorCode];
export const USER_ERROR_CODES = Object.values(UserErrorCode);

/**
 * `errors[].extensions.code` of a GraphQL error: bad arguments to queries and subscriptions, and
 * conditions of the server. The outward endpoints (docs/outward.md) answer with the same codes.
 * The yoga codes are listed because Synapse reads them too (the outward GraphQL gate).
 */
export const GraphqlErrorCode = {
  /** A bad argument (page size, cursor, filter); `extensions.argument` names it. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** `agentStream` of a workflow that does not exist. */
  NOT_FOUND: 'NOT_FOUND',
  /** A `workflowUpdates` subscriber fell too far behind; the subscription ends. */
  LAGGED: 'LAGGED',
  /** The gateway drains for shutdown and starts nothing new. */
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  /** The store refuses writes (HTTP 503). */
  STORE_UNAVAILABLE: RunErrorCode.STORE_UNAVAILABLE,
  /** Anything unexpected, masked. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** No credentials while required, or credentials that do not verify (HTTP 401). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The principal lacks a scope the operation needs (HTTP 403). */
  FORBIDDEN: 'FORBIDDEN',
  /** A request without the CSRF header (HTTP 403). */
  CSRF_REJECTED: 'CSRF_REJECTED',
  /** Over a configured limit; `extensions.limit` and `extensions.max` say which. */
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  /** A tenant started runs or tool calls too fast; `extensions.retryAfterMs` says when to retry. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** yoga: the document does not parse. */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  /** yoga: the operation does not validate. */
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** yoga: malformed variables or JSON. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** yoga: which operation to run cannot be chosen. */
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
} as const;
export type GraphqlErrorCode = (typeof GraphqlErrorCode)[keyof typeof GraphqlErrorCode];
export const GRAPHQL_ERROR_CODES = Object.values(GraphqlErrorCode);

/**
 * Codes of errors that stay inside the gateway: they are caught (and logged, or turned into one
 * of the codes above) before anything reaches a caller.
 */
export const InternalErrorCode = {
  /** The store's `commit`: the events do not continue the stored sequence. */
  SEQUENCE_CONFLICT: 'SEQUENCE_CONFLICT',
  /** The store's `commit` or a lease renewal: another instance took the workflow over. */
  LEASE_LOST: 'LEASE_LOST',
  /** `loadConfig` / `parseConfig`: a configuration a user must fix; the CLI prints it and exits. */
  CONFIG_INVALID: 'CONFIG_INVALID',
} as const;
export type InternalErrorCode = (typeof InternalErrorCode)[keyof typeof InternalErrorCode];
export const INTERNAL_ERROR_CODES = Object.values(InternalErrorCode);
