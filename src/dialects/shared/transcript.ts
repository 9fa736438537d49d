import type { AgentEventBody } from '../../events/index.js';

/**
 * The assistant text of a run, by message: emits TextDelta bodies, MessageCompleted when a
 * message ends (or at the end of the run for messages never closed), and keeps the whole text
 * for RunCompleted.
 */
export class Transcript {
  private readonly open = new Map<string, string>();
  private readonly order: string[] = [];
  private all = '';

  get text(): string {
    return this.all;
  }

  delta(messageId: string, delta: string): AgentEventBody[] {
    if (delta === '') return [];
    if (!this.open.has(messageId)) {
      this.open.set(messageId, '');
      this.order.push(messageId);
    }
    this.open.set(messageId, this.open.get(messageId)! + delta);
    this.all += delta;
    return [{ type: 'TextDelta', messageId, delta }];
  }

  complete(messageId: string, role = 'assistant'): AgentEventBody[] {
    const text = this.open.get(messageId);
    if (text === undefined) return [];
    this.open.delete(messageId);
    return [{ type: 'MessageCompleted', messageId, role, text }];
  }

  completeAll(): AgentEventBody[] {
    return [...this.order].flatMap((messageId) => this.complete(messageId));
  }
}
