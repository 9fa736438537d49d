/**
 * The `next` payloads of consecutive events of one subscription, already serialized by an
 * `AgentStreamPlan` (the JSON text is shared by every subscriber with the same selection). The
 * fast path yields one per batch instead of one `ExecutionResult` per event.
 *
 * How it reaches the socket (src/server/graphql-ws-socket.ts): graphql-ws calls the adapter's
 * `onNext` hook with the operation id and the batch, and the adapter holds the batch under that
 * id on the socket's own state (`HeldBatches`). graphql-ws then serializes the `next` message
 * with the batch as its payload, which `toJSON` writes as `null`, and hands the string to the
 * adapter's `send`, which takes the batch held for the message's id and writes one `next`
 * message per frame instead. Nothing relies on graphql-ws serializing and sending in one
 * synchronous step: an `await` may sit between the hook and the send, and other operations of
 * the socket may send meanwhile.
 */
export class PreparedBatch {
  constructor(
    /** One `{"data":{...}}` JSON text per event, in order. */
    readonly frames: readonly string[],
  ) {}

  /** The placeholder graphql-ws serializes in the batch's place: `send` replaces the message. */
  toJSON(): null {
    return null;
  }
}

const ID_PREFIX = '{"id":';
const NEXT_WITH_NULL_PAYLOAD = ',"type":"next","payload":null}';

/**
 * The batches of one socket's operations between graphql-ws's `onNext` hook and its `send` of
 * the matching `next` message, by operation id. graphql-ws emits an operation's results one at
 * a time (it awaits each send before reading the next result), so at most one batch per
 * operation waits here; usually one for the whole socket, held without a Map.
 */
export class HeldBatches {
  private heldId: string | null = null;
  private heldBatch: PreparedBatch | null = null;
  /** Batches of further operations waiting at the same time (several subscriptions woken together). */
  private more: Map<string, PreparedBatch> | null = null;

  /** Holds `batch` until the `next` message of operation `operationId` is sent. */
  hold(operationId: string, batch: PreparedBatch): void {
    if (this.heldBatch === null || this.heldId === operationId) {
      this.heldId = operationId;
      this.heldBatch = batch;
      return;
    }
    (this.more ??= new Map()).set(operationId, batch);
  }

  /**
   * The batch held for the operation of `message`, once, if `message` is graphql-ws's `next`
   * message with the batch's null placeholder (`{"id":"…","type":"next","payload":null}`); null
   * for any other message, so a batch can never take over an unrelated message.
   */
  take(message: string): PreparedBatch | null {
    if (this.heldBatch === null && (this.more === null || this.more.size === 0)) return null;
    const operationId = nextMessageId(message);
    if (operationId === null) return null;
    if (this.heldId === operationId && this.heldBatch !== null) {
      const batch = this.heldBatch;
      this.heldId = null;
      this.heldBatch = null;
      return batch;
    }
    const batch = this.more?.get(operationId);
    if (batch === undefined) return null;
    this.more!.delete(operationId);
    return batch;
  }
}

/** The operation id of a `next` message with a null payload, as graphql-ws serializes it; else null. */
function nextMessageId(message: string): string | null {
  if (!message.startsWith(ID_PREFIX) || !message.endsWith(NEXT_WITH_NULL_PAYLOAD)) return null;
  // graphql-ws writes `id` first, as a JSON string (a client's id cannot break out of it).
  let id: unknown;
  try {
    id = JSON.parse(message.slice(ID_PREFIX.length, message.length - NEXT_WITH_NULL_PAYLOAD.length));
  } catch {
    return null; // not a message graphql-ws wrote
  }
  return typeof id === 'string' ? id : null;
}

/**
 * The graphql-ws messages of a batch, given the message graphql-ws serialized for it
 * (`{"id":"…","type":"next","payload":null}`): the same envelope around each frame, so every
 * message is byte for byte what graphql-ws would have written for that event's result. Null
 * when `envelope` is not such a message (graphql-ws never sends a null `next` payload itself),
 * so a batch stringified by anything else cannot take over an unrelated message.
 */
export function batchMessages(envelope: string, batch: PreparedBatch): string[] | null {
  if (!envelope.startsWith(ID_PREFIX) || !envelope.endsWith(NEXT_WITH_NULL_PAYLOAD)) return null;
  const prefix = envelope.slice(0, envelope.length - 'null}'.length);
  return batch.frames.map((frame) => `${prefix}${frame}}`);
}
