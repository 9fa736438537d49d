import { execute, parse } from 'graphql';
import { AgentRegistry, RunManager, StreamTracker } from '../../src/bridge/index.js';
import { parseConfig } from '../../src/config/index.js';
import { dialects } from '../../src/dialects/index.js';
import { silentLogger } from '../../src/logger.js';
import { createInProcessPubSub } from '../../src/pubsub/index.js';
import { schema, type SynapseServices } from '../../src/schema/index.js';
import { createContext } from '../../src/server/context.js';
import type { Store } from '../../src/store/index.js';
import { ToolCallRunner } from '../../src/bridge/index.js';
import { ToolRegistry } from '../../src/tools/index.js';
import { TEST_AGENTS } from './synapse.js';

/** The services of a gateway over `store`, without the HTTP server: for schema-level tests. */
export function servicesFor(store: Store): SynapseServices {
  const config = parseConfig({ agents: TEST_AGENTS }, { env: {} });
  const agents = new AgentRegistry(config.agents, dialects);
  const pubsub = createInProcessPubSub();
  const runs = new RunManager({ store, pubsub, agents, logger: silentLogger });
  // No tool sources start: the test agents only have the demo's built-in calculator.
  const tools = new ToolRegistry(agents, { logger: silentLogger });
  const toolCalls = new ToolCallRunner({ store, pubsub, logger: silentLogger });
  return { store, pubsub, runs, agents, streams: new StreamTracker(), tools, toolCalls };
}

/** Executes one query in-process with a fresh request context, as yoga would. */
export async function executeQuery(services: SynapseServices, query: string, variables?: Record<string, unknown>) {
  return execute({ schema, document: parse(query), variableValues: variables, contextValue: createContext(services) });
}
