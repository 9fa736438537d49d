export { createSynapseServer } from './synapse-server.js';
export type { SynapseServer, SynapseServerOptions } from './synapse-server.js';
