import DataLoader from 'dataloader';
import type { Store, ToolCallRecord } from '../store/index.js';

/** One tool call of a workflow: the stored tool-call record (src/store/tool-calls.ts). */
export type ToolCallView = ToolCallRecord;

/**
 * `Workflow.toolCalls` for every workflow of one response in one query, scoped to the caller's
 * tenant. One loader per request (or graphql-ws operation), so nothing is cached across callers.
 */
export function createToolCallsLoader(store: Store, tenantId: string): DataLoader<string, ToolCallRecord[]> {
  // Not cached: a subscription's context lives as long as it does, and records change.
  return new DataLoader((workflowIds: readonly string[]) => store.listToolCalls(tenantId, workflowIds), {
    cache: false,
  });
}
