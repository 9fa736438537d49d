import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createSseDecoder } from '../../src/transport/sse-reader.js';
import { streamBatches } from '../../src/transport/stream-batches.js';

/** A body stream, the batches over it, and what `settle` was told. */
function setUp(maxFrameBytes = 1024) {
  const body = new PassThrough();
  const settled: boolean[] = [];
  const batches = streamBatches(body, createSseDecoder(maxFrameBytes), {
    mapError: (error) => new Error(`mapped: ${(error as Error).message}`),
    settle: (clean) => settled.push(clean),
  });
  return { body, batches, settled };
}

const data = (batch: IteratorResult<{ data: string }[]>) =>
  batch.done ? null : batch.value.map((frame) => frame.data);

describe('streamBatches: SSE frames of a body read on its data events', () => {
  it('yields one array per chunk that completes frames, in order, then the end, settling clean once', async () => {
    const { body, batches, settled } = setUp();
    body.write('data: a\n\ndata: b\n\n');
    body.write('data: c'); // not complete yet
    body.write('\n\n');
    body.end();
    expect(data(await batches.next())).toEqual(['a', 'b']);
    expect(data(await batches.next())).toEqual(['c']);
    expect((await batches.next()).done).toBe(true);
    expect((await batches.next()).done).toBe(true);
    expect(settled).toEqual([true]);
  });

  it('a reader that waits gets the next chunk as it arrives', async () => {
    const { body, batches } = setUp();
    const next = batches.next();
    body.write('data: late\n\n');
    expect(data(await next)).toEqual(['late']);
  });

  it('pauses the body while 16 arrays wait for the reader, and resumes it as the reader catches up', async () => {
    const { body, batches } = setUp();
    for (let index = 0; index < 16; index++) body.write(`data: ${index}\n\n`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.isPaused()).toBe(true);
    for (let index = 0; index < 9; index++) expect(data(await batches.next())).toEqual([String(index)]);
    expect(body.isPaused()).toBe(false);
    body.end();
    let rest = 0;
    for (let batch = await batches.next(); !batch.done; batch = await batches.next()) rest++;
    expect(rest).toBe(7);
  });

  it('an error comes after the frames before it, mapped, once; settle is told it was not clean', async () => {
    const { body, batches, settled } = setUp(16);
    body.write('data: ok\n\n');
    body.write(`data: ${'x'.repeat(64)}\n\n`); // over maxFrameBytes
    expect(data(await batches.next())).toEqual(['ok']);
    await expect(batches.next()).rejects.toThrow(/^mapped: an upstream frame is larger than maxFrameBytes/);
    expect((await batches.next()).done).toBe(true);
    expect(settled).toEqual([false]);
  });

  it('a body closed before its end is an error (the connection went away)', async () => {
    const { body, batches } = setUp();
    const next = batches.next();
    body.destroy();
    await expect(next).rejects.toThrow('mapped: premature close');
  });

  it('a reader that stops early settles clean and hears nothing more', async () => {
    const { body, batches, settled } = setUp();
    body.write('data: a\n\n');
    expect(data(await batches.next())).toEqual(['a']);
    await batches.return!();
    body.write('data: b\n\n');
    expect((await batches.next()).done).toBe(true);
    expect(settled).toEqual([true]);
  });
});
