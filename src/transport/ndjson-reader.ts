import { decodeBatches, utf8Decoder, type FrameDecoder, type UpstreamFrame } from './frames.js';
import { UpstreamError } from './upstream-error.js';

/**
 * Decodes newline-delimited JSON (one value per line) from byte chunks, synchronously: `push`
 * returns every line a chunk completes. Blank lines are skipped, a trailing `\r` is removed. A
 * line longer than `maxFrameBytes` sets `failure` (UPSTREAM_PROTOCOL) as soon as it is seen,
 * without buffering it whole; the lines before it are still returned. A last line without its
 * newline is still delivered by `end`: NDJSON allows it.
 */
export function createNdjsonDecoder(maxFrameBytes: number): FrameDecoder {
  const decoder = utf8Decoder();
  let buffer = '';
  let failure: UpstreamError | null = null;
  const tooLarge = () =>
    UpstreamError.protocol(`an upstream frame is larger than maxFrameBytes (${maxFrameBytes} bytes)`);
  const oversize = (text: string) => text.length * 3 > maxFrameBytes && Buffer.byteLength(text) > maxFrameBytes;
  const line = (text: string): UpstreamFrame | null => {
    const data = text.endsWith('\r') ? text.slice(0, -1) : text;
    return data.trim() === '' ? null : { kind: 'line', data };
  };
  return {
    get failure() {
      return failure;
    },
    push(chunk) {
      const frames: UpstreamFrame[] = [];
      if (failure) return frames;
      buffer += decoder.write(chunk);
      let start = 0;
      let newline: number;
      while ((newline = buffer.indexOf('\n', start)) >= 0) {
        const text = buffer.slice(start, newline);
        start = newline + 1;
        if (oversize(text)) {
          failure = tooLarge();
          buffer = '';
          return frames;
        }
        const frame = line(text);
        if (frame) frames.push(frame);
      }
      buffer = start === 0 ? buffer : buffer.slice(start);
      if (oversize(buffer)) {
        failure = tooLarge();
        buffer = '';
      }
      return frames;
    },
    end() {
      if (failure) return [];
      buffer += decoder.end();
      const frame = line(buffer);
      buffer = '';
      return frame ? [frame] : [];
    },
  };
}

/** Reads NDJSON from a byte stream, one array of lines per chunk that completes any. */
export function readNdjsonBatches(
  body: AsyncIterable<Uint8Array>,
  maxFrameBytes: number,
): AsyncGenerator<UpstreamFrame[]> {
  return decodeBatches(body, createNdjsonDecoder(maxFrameBytes));
}
