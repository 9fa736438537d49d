import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import type { AgentEvent } from '../../src/events/index.js';
import { silentLogger } from '../../src/logger.js';
import { startRetentionSweeper, type Store, type WorkflowStatus } from '../../src/store/index.js';
import { HISTORY_BACKENDS, insertWorkflow } from '../helpers/history-server.js';
import { BACKENDS, newWorkflowRecord } from '../helpers/stores.js';
import { sleep } from '../helpers/async.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12);

function events(workflowId: string, count: number): AgentEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'LogMessage',
    level: 'INFO',
    message: `line ${i}`,
    workflowId,
    sequence: i + 1,
    at: new Date(NOW).toISOString(),
  }));
}

/** A workflow that finished `ageDays` before NOW (null: still running), with 4 events. */
async function seed(store: Store, id: string, status: WorkflowStatus, ageDays: number | null, tenantId = 'acme') {
  await store.createWorkflow(newWorkflowRecord(id, { tenantId, agentId: 'a', createdAt: new Date(NOW - 400 * DAY) }));
  await store.commit(id, events(id, 4), {
    status,
    finishedAt: ageDays === null ? null : new Date(NOW - ageDays * DAY),
  });
}

describe.each(BACKENDS)('retention on $name', (backend) => {
  it('deletes exactly the finished workflows that expired, with their events and tool calls, in bounded batches', async () => {
    let deletes = 0;
    const store = await backend.open({
      log: (event) => {
        if (event.level === 'query' && /^delete from "workflows"/i.test(event.query.sql)) deletes += 1;
      },
    });
    try {
      const expired: string[] = [];
      const kept: string[] = [];
      const finished: WorkflowStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'];
      for (let i = 0; i < 10; i += 1) {
        const id = `old-${i}`;
        await seed(store, id, finished[i % 4]!, 31 + i, i % 2 ? 'acme' : 'globex');
        expired.push(id);
      }
      await seed(store, 'fresh', 'SUCCEEDED', 29);
      await seed(store, 'boundary', 'SUCCEEDED', 30); // finished exactly 30 days ago: not older
      await seed(store, 'running-old', 'RUNNING', null);
      await seed(store, 'queued-old', 'QUEUED', null);
      kept.push('fresh', 'boundary', 'running-old', 'queued-old');
      for (const id of [...expired, ...kept]) {
        await store.exec(
          `insert into tool_calls (workflow_id, tool_call_id, first_sequence, tool_name, status) values ('${id}', 'tc-${id}', 1, 'calculator', 'SUCCEEDED')`,
        );
      }

      const sweeper = startRetentionSweeper({
        store,
        days: 30,
        sweepIntervalMs: 3_600_000,
        batchSize: 3,
        logger: silentLogger,
        now: () => NOW,
      });
      await sweeper.sweep(); // waits for the start-up sweep first, then sweeps again
      await sweeper.stop();

      for (const id of expired) {
        expect(await store.getWorkflow(id), id).toBeUndefined();
        expect(await store.readEvents(id, 0, 10), id).toEqual([]);
      }
      for (const id of kept) {
        expect(await store.getWorkflow(id), id).toBeDefined();
        expect(await store.readEvents(id, 0, 10), id).toHaveLength(4);
      }
      const toolCalls = await store.exec('select workflow_id from tool_calls order by workflow_id');
      expect(toolCalls.map((row) => row.workflow_id)).toEqual([...kept].sort());
      // 10 expired in batches of 3: 4 deleting batches in the first sweep, none in the second.
      expect(deletes).toBe(4);
    } finally {
      await store.close();
    }
  });
});

describe('retention config', () => {
  it('is accepted with defaults, and validated', () => {
    const config = parseConfig({ retention: { days: 7 } }, { env: {} });
    expect(config.retention).toEqual({ days: 7, sweepIntervalMs: 3_600_000, batchSize: 500 });
    expect(parseConfig({}, { env: {} }).retention).toBeUndefined();
    expect(() => parseConfig({ retention: { days: 0 } }, { env: {} })).toThrow(/retention\.days/);
    expect(() => parseConfig({ retention: { days: 1, batchSize: 0 } }, { env: {} })).toThrow(/retention\.batchSize/);
    expect(() => parseConfig({ retention: { days: 1, every: 5 } }, { env: {} })).toThrow(
      /retention\.every: unknown key/,
    );
  });
});

describe.each(HISTORY_BACKENDS)('a gateway with retention ($name)', (backend) => {
  it('sweeps expired workflows while it serves', async () => {
    const server = await backend.start({ retention: { days: 1, sweepIntervalMs: 1_000, batchSize: 10 } });
    try {
      const store = server.services.store;
      const old = await insertWorkflow(store, { createdAt: new Date(Date.now() - 10 * DAY) });
      await store.commit(old.id, [], { status: 'SUCCEEDED', finishedAt: new Date(Date.now() - 5 * DAY) });
      const recent = await insertWorkflow(store, { createdAt: new Date() });
      await store.commit(recent.id, [], { status: 'SUCCEEDED', finishedAt: new Date() });
      const deadline = Date.now() + 15_000;
      while ((await store.getWorkflow(old.id)) !== undefined) {
        expect(Date.now()).toBeLessThan(deadline);
        await sleep(100);
      }
      expect(await store.getWorkflow(recent.id)).toBeDefined();
    } finally {
      await server.stop();
    }
  });
});
