import { describe, expect, it } from 'vitest';
import { Transcript } from '../../../src/dialects/shared/transcript.js';

describe('Transcript', () => {
  it('keeps every delta of long interleaved messages in order (blocks of joined deltas)', () => {
    const transcript = new Transcript();
    const expected = { a: '', b: '' };
    let all = '';
    for (let index = 0; index < 2_500; index++) {
      const id = index % 3 === 0 ? 'b' : 'a';
      const delta = `${index};`;
      expect(transcript.delta(id, delta)).toEqual([{ type: 'TextDelta', messageId: id, delta }]);
      expected[id] += delta;
      all += delta;
    }
    expect(transcript.delta('a', '')).toEqual([]);
    expect(transcript.text).toBe(all);
    expect(transcript.complete('b')).toEqual([
      { type: 'MessageCompleted', messageId: 'b', role: 'assistant', text: expected.b },
    ]);
    transcript.delta('a', 'end');
    expect(transcript.completeAll()).toEqual([
      { type: 'MessageCompleted', messageId: 'a', role: 'assistant', text: `${expected.a}end` },
    ]);
    expect(transcript.text).toBe(`${all}end`);
    expect(transcript.text).toBe(`${all}end`);
  });
});
