import type { Usage } from '../events/index.js';

const KEYS = ['inputTokens', 'outputTokens', 'totalTokens', 'reasoningTokens', 'cachedInputTokens'] as const;

/**
 * The usage of a run that made several model requests: each count summed over the turns (a
 * count no turn reported stays null). Each turn's own usage is final for that turn.
 */
export function addUsage(sum: Usage | null, turn: Usage | null): Usage | null {
  if (!turn) return sum;
  if (!sum) return { ...turn };
  const result = { ...sum };
  for (const key of KEYS) {
    const left = sum[key];
    const right = turn[key];
    result[key] = left === null && right === null ? null : (left ?? 0) + (right ?? 0);
  }
  return result;
}
