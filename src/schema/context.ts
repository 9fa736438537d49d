import type DataLoader from 'dataloader';
import type { AgentRegistry, RunManager, StreamTracker } from '../bridge/index.js';
import type { PubSub } from '../pubsub/index.js';
import type { Principal } from '../server/auth/principal.js';
import type { Store, WorkflowRecord } from '../store/index.js';

/** The services every resolver may use; built once per server. */
export interface SynapseServices {
  store: Store;
  pubsub: PubSub;
  runs: RunManager;
  agents: AgentRegistry;
  /** The event streams being read, so shutdown can wait for their terminal events. */
  streams: StreamTracker;
}

/** The GraphQL context: the services plus what belongs to one request or one socket. */
export interface SynapseContext extends SynapseServices {
  /** The caller's tenant; every read and write is scoped to it. */
  tenantId: string;
  /** Who is calling (docs/security.md); `tenantId` is theirs. */
  principal: Principal;
  loaders: {
    workflow: DataLoader<string, WorkflowRecord | undefined>;
  };
}
