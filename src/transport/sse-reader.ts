import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { decodeBatches, utf8Decoder, type FrameDecoder, type UpstreamFrame } from './frames.js';
import { UpstreamError } from './upstream-error.js';

/**
 * Decodes Server-Sent Events from byte chunks, synchronously: `push` returns every event a chunk
 * completes (hundreds when the upstream is fast), so the stream costs one async step per chunk,
 * not per event. UTF-8 is decoded across chunk boundaries (a character split between two TCP
 * writes is fine). A frame whose data exceeds `maxFrameBytes`, a line that grows past it before
 * ending, and a field that is not part of SSE set `failure` (UPSTREAM_PROTOCOL); the events
 * parsed before it are still returned. An event without its closing blank line is incomplete:
 * `end` drops it, as the SSE spec says; the dialect sees a stream without its terminal frame.
 */
export function createSseDecoder(maxFrameBytes: number): FrameDecoder {
  const decoder = utf8Decoder();
  let ready: UpstreamFrame[] = [];
  let failure: UpstreamError | null = null;
  const tooLarge = () =>
    UpstreamError.protocol(`an upstream frame is larger than maxFrameBytes (${maxFrameBytes} bytes)`);
  const parser = createParser({
    maxBufferSize: maxFrameBytes,
    onEvent: (event: EventSourceMessage) => {
      if (failure) return;
      // UTF-8 takes at most 3 bytes per UTF-16 code unit: most frames need no byte count.
      if (event.data.length * 3 > maxFrameBytes && Buffer.byteLength(event.data) > maxFrameBytes) {
        failure = tooLarge();
        return;
      }
      ready.push({ kind: 'sse', event: event.event, data: event.data, id: event.id });
    },
    onError: (error) => {
      if (failure) return;
      failure =
        error.type === 'max-buffer-size-exceeded'
          ? tooLarge()
          : UpstreamError.protocol(
              `the upstream sent a line that is not Server-Sent Events (${error.type}${error.field ? ` "${error.field.slice(0, 40)}"` : ''})`,
            );
    },
  });
  const take = (): UpstreamFrame[] => {
    const frames = ready;
    if (frames.length > 0) ready = [];
    return frames;
  };
  return {
    get failure() {
      return failure;
    },
    push(chunk) {
      if (!failure) parser.feed(decoder.write(chunk));
      return take();
    },
    end() {
      const rest = decoder.end();
      if (rest && !failure) parser.feed(rest);
      return take();
    },
  };
}

/**
 * Reads Server-Sent Events from a byte stream, one array of frames per chunk that completes any
 * (see `createSseDecoder`). Events parsed before a failure are yielded first, then it is thrown.
 */
export function readSseBatches(
  body: AsyncIterable<Uint8Array>,
  maxFrameBytes: number,
): AsyncGenerator<UpstreamFrame[]> {
  return decodeBatches(body, createSseDecoder(maxFrameBytes));
}
