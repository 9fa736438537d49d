import { AgentRegistry, LeaseKeeper, RunManager, RunQueue, StreamTracker } from '../../src/bridge/index.js';
import { parseConfig } from '../../src/config/index.js';
import { dialects } from '../../src/dialects/index.js';
import { silentLogger } from '../../src/logger.js';
import { createInProcessPubSub, type PubSub } from '../../src/pubsub/index.js';
import type { SynapseServices } from '../../src/schema/index.js';
import type { Store, WorkflowRecord } from '../../src/store/index.js';
import { ToolCallRunner } from '../../src/bridge/index.js';
import { ToolRegistry } from '../../src/tools/index.js';
import { sleep } from './async.js';

/**
 * One gateway instance's services over `store` (another instance: another connection, another
 * call), with the run queue (docs/run-control.md) polling every `pollMs`.
 */
export function instanceServices(
  store: Store,
  agentConfigs: unknown[],
  options: { pollMs?: number; pubsub?: PubSub } = {},
): SynapseServices & { queue: RunQueue; stop(): Promise<void> } {
  const config = parseConfig({ agents: agentConfigs }, { env: {} });
  const agents = new AgentRegistry(config.agents, dialects);
  const pubsub = options.pubsub ?? createInProcessPubSub();
  const leases = new LeaseKeeper({ store, logger: silentLogger }, { leaseMs: 5_000 });
  let queue: RunQueue | undefined;
  const runs = new RunManager({
    store,
    pubsub,
    agents,
    logger: silentLogger,
    leases,
    onRunSettled: () => queue?.kick(),
  });
  queue = new RunQueue({ store, pubsub, logger: silentLogger, agents, runs, leases }, { pollMs: options.pollMs ?? 50 });
  queue.start();
  const tools = new ToolRegistry(agents, { logger: silentLogger });
  const toolCalls = new ToolCallRunner({ store, pubsub, logger: silentLogger, leases });
  const started = queue;
  return {
    store,
    pubsub,
    runs,
    agents,
    streams: new StreamTracker(),
    tools,
    toolCalls,
    queue: started,
    async stop() {
      await started.stop();
      await runs.drain(1_000);
      await leases.stop();
    },
  };
}

/** Polls until the workflow has finished (or `status` when given). */
export async function settleWorkflow(
  store: Store,
  id: string,
  status?: string,
  timeoutMs = 20_000,
): Promise<WorkflowRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const workflow = await store.getWorkflow(id);
    if (
      workflow &&
      (status ? workflow.status === status : !['QUEUED', 'RUNNING', 'INPUT_REQUIRED'].includes(workflow.status))
    )
      return workflow;
    if (Date.now() > deadline) throw new Error(`workflow ${id} is ${workflow?.status}, not ${status ?? 'finished'}`);
    await sleep(20);
  }
}
