import { conversationOf, type ConversationMessage } from '../conversation.js';
import type { DialectRunContext, ToolDefinition } from '../types.js';

/**
 * What the three model dialects share when they build a request for the agent runtime
 * (docs/runtime.md): the conversation of this model turn, the agent's `instructions` and
 * `modelSettings`, the tools offered and the answer's JSON Schema.
 */
export function turnConversation(context: DialectRunContext): ConversationMessage[] {
  return context.modelTurn ? [...context.modelTurn.conversation] : conversationOf(context);
}

/** The agent's `instructions`, or null when it has none. */
export function instructionsOf(context: DialectRunContext): string | null {
  const instructions = context.agent.instructions;
  return typeof instructions === 'string' && instructions !== '' ? instructions : null;
}

/** The tools offered on this turn (none outside the runtime). */
export function offeredTools(context: DialectRunContext): readonly ToolDefinition[] {
  return context.modelTurn?.tools ?? [];
}

/** `modelSettings` merged over the body; `stream` and the conversation keys stay Synapse's. */
export function withModelSettings(
  context: DialectRunContext,
  body: Record<string, unknown>,
  reserved: readonly string[],
): Record<string, unknown> {
  const settings = context.agent.modelSettings;
  if (!settings) return body;
  const merged: Record<string, unknown> = { ...body };
  for (const [key, value] of Object.entries(settings)) {
    if (!reserved.includes(key)) merged[key] = value;
  }
  return merged;
}
