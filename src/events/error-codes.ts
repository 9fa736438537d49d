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
