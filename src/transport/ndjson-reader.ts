import type { UpstreamFrame } from './frames.js';
import { UpstreamError } from './upstream-error.js';

/**
 * Reads newline-delimited JSON (one value per line) from a byte stream; blank lines are skipped,
 * a trailing `\r` is removed. A line longer than `maxFrameBytes` ends the stream with
 * UPSTREAM_PROTOCOL as soon as it is seen, without buffering it whole. A last line without its
 * newline is still delivered: NDJSON allows it.
 */
export async function* readNdjson(body: AsyncIterable<Uint8Array>, maxFrameBytes: number): AsyncGenerator<UpstreamFrame> {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  const tooLarge = () => UpstreamError.protocol(`an upstream frame is larger than maxFrameBytes (${maxFrameBytes} bytes)`);
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (Buffer.byteLength(line) > maxFrameBytes) throw tooLarge();
      if (line.trim() !== '') yield { kind: 'line', data: line };
    }
    if (Buffer.byteLength(buffer) > maxFrameBytes) throw tooLarge();
  }
  buffer += decoder.decode();
  if (buffer.trim() !== '') yield { kind: 'line', data: buffer.replace(/\r$/, '') };
}
