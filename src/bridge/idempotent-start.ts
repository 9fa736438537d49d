import { createHash, randomUUID } from 'node:crypto';
import { IdempotencyConflict } from '../errors/index.js';
import type { Store, WorkflowRecord } from '../store/index.js';

/** How long a key answers with the same workflow (docs/run-control.md). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a request whose key another request just claimed waits for that workflow to appear. */
const CLAIM_WAIT_MS = 10_000;

/** A stable hash of a request: JSON with sorted object keys, so key order never matters. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface IdempotentStart<T> {
  /** The new workflow's result, or null when the key answered an existing workflow. */
  started: T | null;
  workflow: WorkflowRecord;
}

/**
 * Starts at most one workflow per (tenant, key) within 24 hours (docs/run-control.md): claims the
 * key in the store for a fresh workflow id, then calls `start(workflowId)`. When the key is
 * already claimed with the same fingerprint it answers the claimed workflow (waiting briefly
 * for a racing request to create it); with another fingerprint it throws IdempotencyConflict.
 * A start that fails gives the key up again, so a retry can claim it.
 */
export async function startIdempotent<T>(
  store: Store,
  request: { tenantId: string; key: string; fingerprint: string },
  start: (workflowId: string) => Promise<T>,
  workflowOf: (result: T) => WorkflowRecord,
): Promise<IdempotentStart<T>> {
  let replace: string | undefined;
  const deadline = Date.now() + CLAIM_WAIT_MS;
  for (;;) {
    const workflowId = randomUUID();
    const now = new Date();
    const outcome = await store.idempotency.claim({
      ...request,
      workflowId,
      now,
      expiredBefore: new Date(now.getTime() - IDEMPOTENCY_TTL_MS),
      ...(replace ? { replace } : {}),
    });
    if (outcome.claimed) {
      try {
        const started = await start(workflowId);
        return { started, workflow: workflowOf(started) };
      } catch (error) {
        // Nothing was created when the start throws before its workflow exists; when it exists
        // (its first commit failed) the key keeps answering it.
        if (!(await store.getWorkflow(workflowId).catch(() => undefined))) {
          await store.idempotency.release(request.tenantId, request.key, workflowId).catch(() => {});
        }
        throw error;
      }
    }
    const { existing } = outcome;
    if (existing.fingerprint !== request.fingerprint) throw new IdempotencyConflict(request.key, existing.workflowId);
    const workflow = await store.getWorkflow(existing.workflowId);
    if (workflow) return { started: null, workflow };
    // Claimed by a racing request that has not created its workflow yet (or died before it did).
    if (Date.now() > deadline) {
      replace = existing.workflowId;
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
