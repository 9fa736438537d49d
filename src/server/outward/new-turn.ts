/** A chat message as an outward protocol's client sends it, reduced to its role and text. */
export interface ClientMessage {
  role: string;
  text: string;
}

/**
 * The messages a new run of a chat sends upstream. AG-UI and AI SDK clients send the whole
 * conversation every time, while a thread Synapse already holds sends its earlier turns upstream
 * itself (docs/outward.md, "Threads"): for a known thread only the messages after the client's
 * last assistant message are new; a new thread takes the client's whole history. Roles Synapse
 * does not take (tool, activity, reasoning) and empty texts are left out; `developer` is `system`.
 */
export function newTurnMessages(
  messages: readonly ClientMessage[],
  threadKnown: boolean,
): { role: string; content: string }[] {
  let start = 0;
  if (threadKnown) {
    for (let index = messages.length - 1; index >= 0; index--) {
      if (messages[index]!.role === 'assistant') {
        start = index + 1;
        break;
      }
    }
  }
  const result: { role: string; content: string }[] = [];
  for (const message of messages.slice(start)) {
    const role = message.role === 'developer' ? 'system' : message.role;
    if (role !== 'system' && role !== 'user' && role !== 'assistant') continue;
    if (message.text.trim() !== '') result.push({ role, content: message.text });
  }
  return result;
}
