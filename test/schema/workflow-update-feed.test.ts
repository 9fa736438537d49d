import { describe, expect, it } from 'vitest';
import { createInProcessPubSub } from '../../src/pubsub/index.js';
import { WorkflowUpdateFeed } from '../../src/schema/workflow-update-feed.js';
import type { WorkflowRecord, WorkflowStatus } from '../../src/store/index.js';

function workflow(id: string, status: WorkflowStatus, overrides: Partial<WorkflowRecord> = {}): WorkflowRecord {
  return {
    id,
    tenantId: 'default',
    kind: 'AGENT_RUN',
    status,
    agentId: 'demo',
    threadId: null,
    input: {},
    output: null,
    text: null,
    error: null,
    usage: null,
    metadata: { board: 'a' },
    createdAt: new Date(0),
    startedAt: null,
    finishedAt: null,
    lastSequence: 0,
    ...overrides,
  };
}

describe('WorkflowUpdateFeed', () => {
  it('delivers matching updates in order, scoped to the tenant and the filter', async () => {
    const pubsub = createInProcessPubSub();
    const feed = new WorkflowUpdateFeed(pubsub, { tenantId: 'default', metadata: { board: 'a' } });
    pubsub.publishWorkflowUpdate(workflow('x', 'RUNNING', { tenantId: 'other' }));
    pubsub.publishWorkflowUpdate(workflow('y', 'RUNNING', { metadata: { board: 'b' } }));
    pubsub.publishWorkflowUpdate(workflow('a', 'RUNNING'));
    pubsub.publishWorkflowUpdate(workflow('b', 'RUNNING'));
    expect((await feed.next()).value).toMatchObject({ id: 'a', status: 'RUNNING' });
    expect((await feed.next()).value).toMatchObject({ id: 'b', status: 'RUNNING' });
    const waiting = feed.next();
    pubsub.publishWorkflowUpdate(workflow('a', 'SUCCEEDED'));
    expect((await waiting).value).toMatchObject({ id: 'a', status: 'SUCCEEDED' });
    await feed.return();
  });

  it('keeps one entry per workflow for a slow reader: the latest state, in first-queued order', async () => {
    const pubsub = createInProcessPubSub();
    const feed = new WorkflowUpdateFeed(pubsub, { tenantId: 'default' }, 3);
    pubsub.publishWorkflowUpdate(workflow('a', 'RUNNING'));
    pubsub.publishWorkflowUpdate(workflow('b', 'RUNNING'));
    pubsub.publishWorkflowUpdate(workflow('a', 'FAILED'));
    const read = [(await feed.next()).value, (await feed.next()).value];
    expect(read.map((w) => `${w.id}:${w.status}`)).toEqual(['a:FAILED', 'b:RUNNING']);
    await feed.return();
  });

  it('ends with LAGGED when more distinct workflows wait than it may hold, and unsubscribes', async () => {
    const pubsub = createInProcessPubSub();
    const feed = new WorkflowUpdateFeed(pubsub, { tenantId: 'default' }, 2);
    for (const id of ['a', 'b', 'c', 'd']) pubsub.publishWorkflowUpdate(workflow(id, 'RUNNING'));
    const error = (await feed.next().catch((e: unknown) => e)) as { extensions?: Record<string, unknown> };
    expect(error.extensions).toEqual({ code: 'LAGGED' });
    expect(await feed.next()).toEqual({ value: undefined, done: true });
  });

  it('return() ends a pending next() at once and stops listening', async () => {
    const pubsub = createInProcessPubSub();
    const feed = new WorkflowUpdateFeed(pubsub, { tenantId: 'default' });
    const pending = feed.next();
    await feed.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    pubsub.publishWorkflowUpdate(workflow('a', 'RUNNING'));
    expect(await feed.next()).toEqual({ value: undefined, done: true });
  });
});
