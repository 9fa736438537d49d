import { makeUsage, type AgentEventBody, type Usage } from '../../events/index.js';
import { RunErrorCode } from '../../events/index.js';

export function runCompleted(output: unknown, text: string, usage: Usage | null): AgentEventBody {
  return { type: 'RunCompleted', output, text, usage };
}

/** RunFailed for an error the upstream reported itself (UPSTREAM_ERROR). */
export function upstreamFailed(
  message: string,
  usage: Usage | null = null,
  options: { retryable?: boolean; recoverySuggestion?: string } = {},
): AgentEventBody {
  return {
    type: 'RunFailed',
    code: RunErrorCode.UPSTREAM_ERROR,
    message: `the upstream reported an error: ${message}`,
    retryable: options.retryable ?? false,
    recoverySuggestion:
      options.recoverySuggestion ?? 'See the message; the events before the error are kept in the history.',
    usage,
  };
}

export function usageUpdated(usage: Usage): AgentEventBody {
  return { type: 'UsageUpdated', usage };
}

export { makeUsage };

/** Whether two usages are equal (so an unchanged report is not repeated). */
export function sameUsage(left: Usage | null, right: Usage | null): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

/** A CustomEvent: the home of anything an upstream sends that has no better one. */
export function custom(name: string, value: unknown): AgentEventBody {
  return { type: 'CustomEvent', name, value: value ?? null };
}

/** An InterruptRequested body with the fields a dialect does not know filled in (the bridge writes a missing question). */
export function interruptRequested(fields: {
  interruptId: string;
  kind?: 'TOOL_APPROVAL' | 'CLIENT_TOOL' | 'INPUT';
  toolCallId?: string | null;
  tool?: string | null;
  arguments?: unknown;
  message?: string | null;
  responseSchema?: unknown;
  /** ISO-8601, when the upstream says when it stops waiting. */
  expiresAt?: string | null;
  value?: unknown;
}): AgentEventBody {
  return {
    type: 'InterruptRequested',
    interruptId: fields.interruptId,
    kind: fields.kind ?? 'INPUT',
    toolCallId: fields.toolCallId ?? null,
    tool: fields.tool ?? null,
    arguments: fields.arguments ?? null,
    message: fields.message ?? '',
    responseSchema: fields.responseSchema ?? null,
    expiresAt: fields.expiresAt ?? null,
    value: fields.value ?? null,
  };
}
