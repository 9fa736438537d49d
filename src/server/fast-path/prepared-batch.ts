/**
 * The `next` payloads of consecutive events of one subscription, already serialized by an
 * `AgentStreamPlan` (the JSON text is shared by every subscriber with the same selection). The
 * fast path yields one per batch instead of one `ExecutionResult` per event; graphql-ws hands it
 * to `JSON.stringify` as the payload of one `next` message, and the socket adapter
 * (graphql-ws-socket.ts) turns that message into one `next` message per frame, written together.
 *
 * `toJSON` is how the batch reaches the adapter: graphql-ws stringifies a message and passes the
 * string to the adapter's `send` synchronously, so the batch claimed during that
 * `JSON.stringify` is the one of the string being sent.
 */
export class PreparedBatch {
  constructor(
    /** One `{"data":{...}}` JSON text per event, in order. */
    readonly frames: readonly string[],
  ) {}

  toJSON(): null {
    claimed = this;
    return null;
  }
}

let claimed: PreparedBatch | null = null;

/** The batch serialized by the last `JSON.stringify`, once; null when there was none. */
export function takeClaimedBatch(): PreparedBatch | null {
  const batch = claimed;
  claimed = null;
  return batch;
}

const NEXT_WITH_NULL_PAYLOAD = ',"type":"next","payload":null}';

/**
 * The graphql-ws messages of a batch, given the message graphql-ws serialized for it
 * (`{"id":"…","type":"next","payload":null}`): the same envelope around each frame, so every
 * message is byte for byte what graphql-ws would have written for that event's result. Null
 * when `envelope` is not such a message (graphql-ws never sends a null `next` payload itself),
 * so a batch stringified by anything else cannot take over an unrelated message.
 */
export function batchMessages(envelope: string, batch: PreparedBatch): string[] | null {
  if (!envelope.startsWith('{"id":') || !envelope.endsWith(NEXT_WITH_NULL_PAYLOAD)) return null;
  const prefix = envelope.slice(0, envelope.length - 'null}'.length);
  return batch.frames.map((frame) => `${prefix}${frame}}`);
}
