const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface SpinnerOptions {
  /** Silence longer than this shows the spinner. */
  afterMs?: number;
  /** Time between frames. */
  frameMs?: number;
}

/**
 * A one-character spinner drawn one column after the cursor (space, frame, then two backspaces),
 * so it works mid-line while text streams in without touching the text, and leaves no trace once
 * cleared. Only for a TTY: on a pipe or a file it does nothing.
 */
export class Spinner {
  private timer: NodeJS.Timeout | null = null;
  private frame = 0;
  private visible = false;
  private readonly afterMs: number;
  private readonly frameMs: number;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
    options: SpinnerOptions = {},
  ) {
    this.afterMs = options.afterMs ?? 250;
    this.frameMs = options.frameMs ?? 80;
  }

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  get isVisible(): boolean {
    return this.visible;
  }

  /** Something arrived: hide the spinner and start waiting for the next silence. */
  activity(): void {
    if (!this.enabled) return;
    this.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), this.afterMs);
    this.timer.unref();
  }

  /** Hides the spinner before anything else is written. */
  clear(): void {
    if (!this.visible) return;
    this.visible = false;
    this.stream.write('  \b\b');
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.clear();
  }

  private tick(): void {
    this.visible = true;
    this.stream.write(` ${FRAMES[this.frame++ % FRAMES.length]}\b\b`);
    this.timer = setTimeout(() => this.tick(), this.frameMs);
    this.timer.unref();
  }
}
