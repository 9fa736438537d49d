/**
 * `synapse/client`: resumable workflow streams over graphql-ws, for browsers and Node.
 * The Apollo link is `synapse/client/apollo`, the urql exchange `synapse/client/urql`.
 */
export { createResumableClient } from './resumable-client.js';
export type { ResumableClient, ResumableClientOptions } from './resumable-client.js';
