import { describe, expect, it } from 'vitest';
import type { AgentEventBody } from '../../src/events/index.js';
import type { FrameSource, UpstreamFrame } from '../../src/transport/frames.js';
import { readNdjsonBatches } from '../../src/transport/ndjson-reader.js';
import { runUpstreamBatches, type FrameMapper, type UpstreamProtocol } from '../../src/transport/run-upstream.js';
import { TRANSPORT_DEFAULTS, type TransportSettings } from '../../src/transport/settings.js';
import { readSseBatches } from '../../src/transport/sse-reader.js';
import { UpstreamError } from '../../src/transport/upstream-error.js';
import { collect } from '../helpers/async.js';
import { eachOfBatches } from '../helpers/batches.js';

async function* chunks(...texts: string[]): AsyncGenerator<Uint8Array> {
  for (const text of texts) yield Buffer.from(text, 'utf8');
}

const settings: TransportSettings = {
  ...TRANSPORT_DEFAULTS,
  attempts: 1,
  backoffMs: 10,
  headers: {},
  maxFrameBytes: 1024,
} as TransportSettings;

/**
 * A protocol whose one attempt delivers these frame batches; `data` "bad" is malformed, "end"
 * terminal. `pushFirst`: the mapper pushes a body before it looks at the frame (and throws).
 */
function protocolOf(batches: string[][], mapper: 'map' | 'pushFirst' = 'map'): UpstreamProtocol {
  const bodiesOf = (frame: UpstreamFrame): AgentEventBody[] => {
    if (frame.data === 'bad') throw UpstreamError.protocol('a malformed frame');
    if (frame.data === 'end') return [{ type: 'RunCompleted', output: null, text: '', usage: null }];
    return [{ type: 'TextDelta', messageId: 'm', delta: frame.data }];
  };
  const frameMapper: FrameMapper = {
    mapInto(frame, out) {
      if (mapper === 'pushFirst') out.push({ type: 'ReasoningDelta', delta: 'pushed before the throw' });
      for (const body of bodiesOf(frame)) out.push(body);
    },
  };
  return {
    async open(): Promise<FrameSource> {
      return {
        batches: (async function* () {
          for (const batch of batches) yield batch.map((data): UpstreamFrame => ({ kind: 'line', data }));
        })(),
        close() {},
      };
    },
    createMapper: () => frameMapper,
  };
}

const texts = (bodies: readonly AgentEventBody[]) =>
  bodies.map((body) =>
    body.type === 'TextDelta' ? body.delta : body.type === 'RunFailed' ? `failed:${body.code}` : body.type,
  );

describe('frames in batches', () => {
  it('readSseBatches gives one array per chunk, every frame once and in order', async () => {
    const body = ['data: 1\n\ndata: 2\n\ndata: 3\n\n', 'data: 4\n', '\ndata: 5\n\n'];
    const batches = await collect(readSseBatches(chunks(...body), 1024));
    expect(batches.map((batch) => batch.map((frame) => frame.data))).toEqual([
      ['1', '2', '3'],
      ['4', '5'],
    ]); // the third chunk completes both
    expect((await collect(eachOfBatches(readSseBatches(chunks(...body), 1024)))).map((frame) => frame.data)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
  });

  it('readNdjsonBatches gives the lines of a chunk together, and the frames before a failure first', async () => {
    const batches: UpstreamFrame[][] = [];
    await expect(
      (async () => {
        for await (const batch of readNdjsonBatches(chunks('{"a":1}\n{"b":2}\n', `{"c":3}\n${'x'.repeat(2000)}`), 1024))
          batches.push(batch);
      })(),
    ).rejects.toMatchObject({ code: 'UPSTREAM_PROTOCOL' });
    expect(batches.map((batch) => batch.map((frame) => frame.data))).toEqual([['{"a":1}', '{"b":2}'], ['{"c":3}']]);
  });

  it('runUpstreamBatches maps a whole batch and stops at its terminal body', async () => {
    const signal = new AbortController().signal;
    const batches = await collect(
      runUpstreamBatches(
        protocolOf([
          ['a', 'b'],
          ['c', 'end', 'after'],
        ]),
        { settings, signal },
      ),
    );
    expect(batches.map(texts)).toEqual([
      ['a', 'b'],
      ['c', 'RunCompleted'],
    ]);
    expect(
      texts(
        await collect(
          eachOfBatches(
            runUpstreamBatches(
              protocolOf([
                ['a', 'b'],
                ['c', 'end', 'after'],
              ]),
              { settings, signal },
            ),
          ),
        ),
      ),
    ).toEqual(['a', 'b', 'c', 'RunCompleted']);
  });

  it('a malformed frame inside a batch: the bodies before it, then RunFailed (what its mapInto pushed is dropped)', async () => {
    const signal = new AbortController().signal;
    const viaMap = await collect(runUpstreamBatches(protocolOf([['a', 'bad', 'c']]), { settings, signal }));
    expect(viaMap.map(texts)).toEqual([['a'], ['failed:UPSTREAM_PROTOCOL']]);
    const viaMapInto = await collect(
      runUpstreamBatches(protocolOf([['a', 'bad', 'c']], 'pushFirst'), { settings, signal }),
    );
    expect(viaMapInto.map(texts)).toEqual([['ReasoningDelta', 'a'], ['failed:UPSTREAM_PROTOCOL']]);
  });
});
