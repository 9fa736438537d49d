import { z } from 'zod';

/**
 * A safe integer from `min` to `max` (inclusive), reported in one sentence however it misses
 * (`expected an integer from 1 to 65535, received 70000`).
 *
 * Why not `z.int().min()`: zod's integer check aborts the whole parse, which silently skips the
 * cross-key rules (missing url, duplicate id) and hides those problems until the next attempt.
 */
export function integer(min: number, max?: number): z.ZodNumber {
  const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
  return (
    z
      .number()
      .superRefine((value, ctx) => {
        if (Number.isSafeInteger(value) && value >= min && (max === undefined || value <= max)) return;
        ctx.addIssue({ code: 'custom', message: `expected an integer ${range}, received ${value}`, input: value });
      })
      // Metadata only (parsing ignores it): lets z.toJSONSchema, and so docs/config-reference.md, show the range.
      .meta({ type: 'integer', minimum: min, ...(max === undefined ? {} : { maximum: max }) })
  );
}
