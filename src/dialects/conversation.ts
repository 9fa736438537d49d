import type { ChatMessage, DialectRunContext } from './types.js';

/** A tool call the assistant made in an earlier turn, with its parsed arguments. */
export interface ConversationToolCall {
  id: string;
  name: string;
  arguments: unknown;
}

/**
 * One message of a conversation as stateless upstreams need it: the earlier turns of a thread
 * (rebuilt from the store, tool calls and results included) followed by this run's input.
 */
export type ConversationMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls: ConversationToolCall[] }
  | { role: 'tool'; toolCallId: string; toolName: string; content: string; isError: boolean };

/**
 * The name of the CustomEvent that stores a message the runtime itself sent the model inside a
 * run (the structured-output retry, docs/runtime.md), so that a thread's next turn carries it:
 * its value is `{ role: 'user', content }`.
 */
export const RUNTIME_MESSAGE_EVENT = 'synapse.runtimeMessage';

/** The user message a runtime-message CustomEvent stores, or null when the event is not one. */
export function runtimeMessageOf(event: { name: string; value: unknown }): { role: 'user'; content: string } | null {
  if (event.name !== RUNTIME_MESSAGE_EVENT) return null;
  const value = event.value as { role?: unknown; content?: unknown } | null;
  return value?.role === 'user' && typeof value.content === 'string' ? { role: 'user', content: value.content } : null;
}

/** The whole conversation to send upstream: the thread's earlier turns, then this run's input. */
export function conversationOf(context: Pick<DialectRunContext, 'input' | 'history'>): ConversationMessage[] {
  return [...(context.history ?? []), ...context.input.messages.map(fromChatMessage)];
}

/** This run's input messages alone (upstreams that keep the thread themselves). */
export function inputMessagesOf(context: Pick<DialectRunContext, 'input'>): ConversationMessage[] {
  return context.input.messages.map(fromChatMessage);
}

function fromChatMessage(message: ChatMessage): ConversationMessage {
  switch (message.role) {
    case 'assistant':
      return { role: 'assistant', content: message.content, toolCalls: [] };
    case 'tool':
      return { role: 'tool', toolCallId: '', toolName: '', content: message.content, isError: false };
    default:
      return { role: message.role, content: message.content };
  }
}

/** The last user message's text (upstreams that take a single prompt). */
export function lastUserText(context: Pick<DialectRunContext, 'input'>): string {
  for (let index = context.input.messages.length - 1; index >= 0; index--) {
    const message = context.input.messages[index]!;
    if (message.role === 'user') return message.content;
  }
  return context.input.prompt ?? '';
}
