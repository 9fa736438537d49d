import { z } from 'zod';

/**
 * Token counts of one run, cumulative for the whole run. Dialects translate every upstream's
 * accounting into this shape; a count the upstream does not report stays `null`.
 */
export const UsageSchema = z.object({
  inputTokens: z.number().int().nonnegative().nullable(),
  outputTokens: z.number().int().nonnegative().nullable(),
  totalTokens: z.number().int().nonnegative().nullable(),
  reasoningTokens: z.number().int().nonnegative().nullable(),
  cachedInputTokens: z.number().int().nonnegative().nullable(),
});
export type Usage = z.infer<typeof UsageSchema>;

/** Builds a Usage from partial counts; `totalTokens` is derived when both sides are known. */
export function makeUsage(counts: Partial<Usage>): Usage {
  const inputTokens = counts.inputTokens ?? null;
  const outputTokens = counts.outputTokens ?? null;
  const derivedTotal = inputTokens !== null && outputTokens !== null ? inputTokens + outputTokens : null;
  return {
    inputTokens,
    outputTokens,
    totalTokens: counts.totalTokens ?? derivedTotal,
    reasoningTokens: counts.reasoningTokens ?? null,
    cachedInputTokens: counts.cachedInputTokens ?? null,
  };
}
