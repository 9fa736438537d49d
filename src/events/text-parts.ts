/**
 * Deltas joined in blocks of this many: the small strings die young instead of each surviving.
 * 64, not 512: a run at model pace (a few hundred tokens) held its whole text as a parts array
 * of a few KB, three times (the writer, the transcript, the message), for as long as it ran
 * (docs/performance.md, "Many runs at model pace").
 */
const BLOCK = 64;

/**
 * A run's text kept as it grows (the dialects' transcripts, the writer). Every delta is needed
 * again at the run's end, but holding each small string until then (a `+=` rope, or an array of
 * them) made every one survive the young-generation collections, which copy what survives: at
 * 100k deltas/s scavenges reached 47 ms with ~100 MB of deltas alive. Joined in blocks, a delta
 * is garbage soon after it arrives and only the blocks live on.
 */
export class TextParts {
  private blocks: string[] = [];
  private parts: string[] = [];

  push(delta: string): void {
    this.parts.push(delta);
    if (this.parts.length >= BLOCK) {
      this.blocks.push(this.parts.join(''));
      this.parts = [];
    }
  }

  join(): string {
    if (this.parts.length > 0) {
      this.blocks.push(this.parts.join(''));
      this.parts = [];
    }
    if (this.blocks.length > 1) this.blocks = [this.blocks.join('')];
    return this.blocks[0] ?? '';
  }
}
