/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` every 20 ms until it holds; throws once `timeoutMs` has passed without it
 * (`what` names the condition in that error).
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'a condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Reads a workflow (`read`) until its `status` is `status` and returns it; throws with the last
 * status seen once `timeoutMs` has passed.
 */
export async function untilStatus<W extends { status?: unknown }>(
  read: () => Promise<W>,
  status: string,
  timeoutMs = 10_000,
): Promise<W> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const workflow = await read();
    if (workflow.status === status) return workflow;
    if (Date.now() > deadline) throw new Error(`workflow is ${String(workflow.status)}, not ${status}`);
    await sleep(25);
  }
}

/** Every item of an async iterable, in order. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}
