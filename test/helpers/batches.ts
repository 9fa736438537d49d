/**
 * One item at a time out of a batch API (the readers' `read*Batches`, `runUpstreamBatches`, a
 * dialect's `runBatches`): for tests that assert on the items regardless of how they were batched.
 */
export async function* eachOfBatches<T>(batches: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}
