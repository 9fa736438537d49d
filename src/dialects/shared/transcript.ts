import { TextParts, type AgentEventBody } from '../../events/index.js';

interface OpenMessage {
  /** The message's deltas so far; joined when it completes. */
  parts: TextParts;
}

/**
 * The assistant text of a run, by message: emits TextDelta bodies, MessageCompleted when a
 * message ends (or at the end of the run for messages never closed), and keeps the whole text
 * for RunCompleted.
 */
export class Transcript {
  private readonly open = new Map<string, OpenMessage>();
  private readonly order: string[] = [];
  /** Every delta of the run, joined when the text is asked for (RunCompleted: once). */
  private readonly all = new TextParts();
  // The message the last delta went to: a run of deltas to one message costs no map look-up.
  private lastId: string | null = null;
  private last: OpenMessage | null = null;

  get text(): string {
    return this.all.join();
  }

  delta(messageId: string, delta: string): AgentEventBody[] {
    const out: AgentEventBody[] = [];
    this.pushDelta(messageId, delta, out);
    return out;
  }

  /** `delta`, pushing its TextDelta (if any) onto `out`. */
  pushDelta(messageId: string, delta: string, out: AgentEventBody[]): void {
    if (delta === '') return;
    let message = messageId === this.lastId ? this.last : null;
    if (!message) {
      message = this.open.get(messageId) ?? null;
      if (!message) {
        message = { parts: new TextParts() };
        this.open.set(messageId, message);
        this.order.push(messageId);
      }
      this.lastId = messageId;
      this.last = message;
    }
    message.parts.push(delta);
    this.all.push(delta);
    out.push({ type: 'TextDelta', messageId, delta });
  }

  complete(messageId: string, role = 'assistant'): AgentEventBody[] {
    const message = this.open.get(messageId);
    if (message === undefined) return [];
    this.open.delete(messageId);
    if (this.lastId === messageId) {
      this.lastId = null;
      this.last = null;
    }
    return [{ type: 'MessageCompleted', messageId, role, text: message.parts.join() }];
  }

  completeAll(): AgentEventBody[] {
    return [...this.order].flatMap((messageId) => this.complete(messageId));
  }
}
