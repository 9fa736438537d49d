import { describe, expect, it } from 'vitest';
import type { UpstreamFrame } from '../../src/transport/frames.js';
import { readNdjsonBatches } from '../../src/transport/ndjson-reader.js';
import { readSseBatches } from '../../src/transport/sse-reader.js';
import { backoffDelay } from '../../src/transport/settings.js';
import { parseRetryAfter, UpstreamError } from '../../src/transport/upstream-error.js';
import { collect } from '../helpers/async.js';
import { eachOfBatches } from '../helpers/batches.js';

/** The readers' frames one at a time. */
const readSse = (body: AsyncIterable<Uint8Array>, maxFrameBytes: number) =>
  eachOfBatches(readSseBatches(body, maxFrameBytes));
const readNdjson = (body: AsyncIterable<Uint8Array>, maxFrameBytes: number) =>
  eachOfBatches(readNdjsonBatches(body, maxFrameBytes));

async function* cut(text: string, sizes: (index: number) => number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0, index = 0; offset < bytes.length; index++) {
    const size = sizes(index);
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

const SSE =
  'event: a\ndata: {"text":"café ☕ 東京 🚀"}\n\n: a comment\n\ndata: line1\ndata: line2\nid: 7\n\nevent: b\r\ndata: x\r\n\r\n';

describe('readSse', () => {
  it('reads the same events whatever the byte boundaries, inside UTF-8 characters too', async () => {
    const whole = await collect(
      readSse(
        cut(SSE, () => 10_000),
        1024,
      ),
    );
    expect(whole).toEqual([
      { kind: 'sse', event: 'a', data: '{"text":"café ☕ 東京 🚀"}', id: undefined },
      { kind: 'sse', event: undefined, data: 'line1\nline2', id: '7' },
      { kind: 'sse', event: 'b', data: 'x', id: undefined },
    ]);
    expect(
      await collect(
        readSse(
          cut(SSE, () => 1),
          1024,
        ),
      ),
    ).toEqual(whole);
    for (const size of [2, 3, 5, 7])
      expect(
        await collect(
          readSse(
            cut(SSE, () => size),
            1024,
          ),
        ),
      ).toEqual(whole);
  });

  it('drops an event that never got its blank line (a truncated stream)', async () => {
    expect(
      await collect(
        readSse(
          cut('data: one\n\ndata: two', () => 4),
          1024,
        ),
      ),
    ).toHaveLength(1);
  });

  it('fails with UPSTREAM_PROTOCOL on a frame over the limit, after yielding the ones before', async () => {
    const frames: UpstreamFrame[] = [];
    const error = await (async () => {
      try {
        for await (const frame of readSse(
          cut(`data: ok\n\ndata: ${'x'.repeat(5000)}\n\n`, () => 512),
          1024,
        ))
          frames.push(frame);
      } catch (caught) {
        return caught;
      }
    })();
    expect(frames).toHaveLength(1);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('UPSTREAM_PROTOCOL');
  });

  it('fails with UPSTREAM_PROTOCOL on lines that are not SSE', async () => {
    await expect(
      collect(
        readSse(
          cut('garbage here\n\n', () => 100),
          1024,
        ),
      ),
    ).rejects.toMatchObject({ code: 'UPSTREAM_PROTOCOL' });
  });
});

describe('readNdjson', () => {
  const NDJSON = '{"a":"é"}\n\n{"b":"🚀"}\r\n{"c":3}';
  it('reads lines at any byte boundary, the last one without a newline too', async () => {
    const expected = [
      { kind: 'line', data: '{"a":"é"}' },
      { kind: 'line', data: '{"b":"🚀"}' },
      { kind: 'line', data: '{"c":3}' },
    ];
    expect(
      await collect(
        readNdjson(
          cut(NDJSON, () => 1),
          100,
        ),
      ),
    ).toEqual(expected);
    expect(
      await collect(
        readNdjson(
          cut(NDJSON, () => 4),
          100,
        ),
      ),
    ).toEqual(expected);
  });

  it('fails on a line over the limit before it ends', async () => {
    await expect(
      collect(
        readNdjson(
          cut(`{"x":"${'y'.repeat(300)}`, () => 50),
          100,
        ),
      ),
    ).rejects.toMatchObject({ code: 'UPSTREAM_PROTOCOL' });
  });
});

describe('retry policy', () => {
  it('backs off exponentially with jitter, bounded, and honours a longer Retry-After', () => {
    const settings = { backoffMs: 100, maxBackoffMs: 1_000 };
    expect(backoffDelay(settings, 1, null, () => 0)).toBe(50);
    expect(backoffDelay(settings, 1, null, () => 1)).toBe(100);
    expect(backoffDelay(settings, 3, null, () => 1)).toBe(400);
    expect(backoffDelay(settings, 10, null, () => 1)).toBe(1_000);
    expect(backoffDelay(settings, 1, 700, () => 0)).toBe(700);
    expect(backoffDelay(settings, 1, 60_000, () => 0)).toBe(1_000);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
  });

  it('treats 429 and 5xx as retryable, other 4xx not', () => {
    expect(UpstreamError.http(429, '', null).retryable).toBe(true);
    expect(UpstreamError.http(503, '', null).retryable).toBe(true);
    expect(UpstreamError.http(404, '', null)).toMatchObject({ code: 'UPSTREAM_HTTP_404', retryable: false });
  });
});
