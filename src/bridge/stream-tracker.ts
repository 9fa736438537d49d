/**
 * Counts the event streams being consumed, so shutdown can let every subscriber read its
 * workflow's terminal event before the sockets close.
 */
export class StreamTracker {
  private openCount = 0;
  private waiters: (() => void)[] = [];
  private readonly lagListeners = new Set<() => void>();

  /** A reader fell behind and catches up from the store (the `synapse_subscriptions_lagged_total` metric). */
  readonly lagged = (): void => {
    for (const listener of this.lagListeners) listener();
  };

  /** Returns the function that removes the listener. */
  onLagged(listener: () => void): () => void {
    this.lagListeners.add(listener);
    return () => void this.lagListeners.delete(listener);
  }

  get size(): number {
    return this.openCount;
  }

  /** Registers one stream; call the returned function (any number of times) when it ends. */
  open(): () => void {
    this.openCount++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.openCount--;
      if (this.openCount === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  /** Resolves once no stream is open, or after `timeoutMs`, whichever comes first. */
  async settled(timeoutMs: number): Promise<void> {
    if (this.openCount === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.waiters.push(resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }
}
