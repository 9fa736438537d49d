import { runtimeMessageOf, type ConversationMessage } from '../dialects/conversation.js';
import type { AgentEvent } from '../events/index.js';
import type { Store } from '../store/index.js';

/** Events read per earlier turn; a turn longer than this is cut (its start is what matters). */
const MAX_EVENTS_PER_TURN = 10_000;

/**
 * Rebuilds the earlier turns of a thread from the store, for upstreams that keep no state: each
 * finished turn's input messages, then what the assistant said and did (tool calls with their
 * arguments, tool results, text, the runtime's own messages such as a structured-output retry),
 * in order. The current run and runs still in flight are left
 * out.
 */
export async function loadThreadHistory(
  store: Store,
  tenantId: string,
  threadId: string,
  currentWorkflowId: string,
): Promise<ConversationMessage[]> {
  const turns = await store.listThread(tenantId, threadId);
  const history: ConversationMessage[] = [];
  for (const turn of turns) {
    if (
      turn.id === currentWorkflowId ||
      turn.status === 'QUEUED' ||
      turn.status === 'RUNNING' ||
      turn.status === 'INPUT_REQUIRED'
    )
      continue;
    for (const message of inputMessages(turn.input)) history.push(message);
    history.push(...assistantMessages(await store.readEvents(turn.id, 0, MAX_EVENTS_PER_TURN)));
  }
  return history;
}

function inputMessages(input: unknown): ConversationMessage[] {
  const messages = (input as { messages?: { role?: unknown; content?: unknown }[] } | null)?.messages;
  if (!Array.isArray(messages)) return [];
  const result: ConversationMessage[] = [];
  for (const message of messages) {
    if (typeof message?.content !== 'string') continue;
    if (message.role === 'system' || message.role === 'user')
      result.push({ role: message.role, content: message.content });
    else if (message.role === 'assistant') result.push({ role: 'assistant', content: message.content, toolCalls: [] });
  }
  return result;
}

/** Folds one turn's events into assistant and tool messages. */
export function assistantMessages(events: readonly AgentEvent[]): ConversationMessage[] {
  const messages: ConversationMessage[] = [];
  let assistant: Extract<ConversationMessage, { role: 'assistant' }> | null = null;
  const toolNames = new Map<string, string>();
  const current = () => {
    if (!assistant) {
      assistant = { role: 'assistant', content: '', toolCalls: [] };
      messages.push(assistant);
    }
    return assistant;
  };
  for (const event of events) {
    switch (event.type) {
      case 'TextDelta':
        current().content += event.delta;
        break;
      case 'ToolCallCompleted':
        toolNames.set(event.toolCallId, event.toolName);
        current().toolCalls.push({ id: event.toolCallId, name: event.toolName, arguments: event.arguments });
        break;
      case 'ToolResult':
        messages.push({
          role: 'tool',
          toolCallId: event.toolCallId,
          toolName: toolNames.get(event.toolCallId) ?? '',
          content: typeof event.result === 'string' ? event.result : JSON.stringify(event.result ?? null),
          isError: event.isError,
        });
        // what the assistant says after a tool result is a new message
        assistant = null;
        break;
      case 'CustomEvent': {
        // A message the runtime sent the model mid-run (a structured-output retry): the
        // assistant's answer before it and the one after it are two messages.
        const message = runtimeMessageOf(event);
        if (message) {
          messages.push(message);
          assistant = null;
        }
        break;
      }
      default:
        break;
    }
  }
  // A call without a result (the run ended before it was answered) cannot be sent back:
  // upstreams refuse a tool call that has no tool message after it.
  const answered = new Set(messages.flatMap((message) => (message.role === 'tool' ? [message.toolCallId] : [])));
  for (const message of messages) {
    if (message.role === 'assistant') message.toolCalls = message.toolCalls.filter((call) => answered.has(call.id));
  }
  return messages.filter(
    (message) => message.role !== 'assistant' || message.content !== '' || message.toolCalls.length > 0,
  );
}
