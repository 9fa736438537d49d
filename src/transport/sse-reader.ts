import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { UpstreamFrame } from './frames.js';
import { UpstreamError } from './upstream-error.js';

/**
 * Reads Server-Sent Events from a byte stream. UTF-8 is decoded across chunk boundaries (a
 * character split between two TCP writes is fine). A frame whose data exceeds `maxFrameBytes`,
 * a line that grows past it before ending, and a field that is not part of SSE all end the
 * stream with UPSTREAM_PROTOCOL. Events parsed before a failure are yielded first.
 */
export async function* readSse(body: AsyncIterable<Uint8Array>, maxFrameBytes: number): AsyncGenerator<UpstreamFrame> {
  const decoder = new TextDecoder('utf-8');
  const ready: UpstreamFrame[] = [];
  let failure: UpstreamError | null = null;
  const parser = createParser({
    maxBufferSize: maxFrameBytes,
    onEvent: (event: EventSourceMessage) => {
      if (failure) return;
      if (Buffer.byteLength(event.data) > maxFrameBytes) {
        failure = UpstreamError.protocol(`an upstream frame is larger than maxFrameBytes (${maxFrameBytes} bytes)`);
        return;
      }
      ready.push({ kind: 'sse', event: event.event, data: event.data, id: event.id });
    },
    onError: (error) => {
      if (failure) return;
      failure =
        error.type === 'max-buffer-size-exceeded'
          ? UpstreamError.protocol(`an upstream frame is larger than maxFrameBytes (${maxFrameBytes} bytes)`)
          : UpstreamError.protocol(`the upstream sent a line that is not Server-Sent Events (${error.type}${error.field ? ` "${error.field.slice(0, 40)}"` : ''})`);
    },
  });
  for await (const chunk of body) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    while (ready.length > 0) yield ready.shift()!;
    if (failure) throw failure;
  }
  const rest = decoder.decode();
  if (rest) parser.feed(rest);
  while (ready.length > 0) yield ready.shift()!;
  if (failure) throw failure;
  // An event without its closing blank line is incomplete: dropped, as the SSE spec says; the
  // dialect sees a stream without its terminal frame.
}
