import type { TypePolicies } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createResumableClient, type ResumableClient, type ResumableClientOptions } from './resumable-client.js';

/**
 * `synapse/client/apollo`: Apollo Client's `GraphQLWsLink` over a resumable client, so an
 * `agentStream` subscription (`useSubscription`, `client.subscribe`) resumes after a reconnect
 * from the last event it delivered instead of re-sending its original `afterSequence`.
 * Pass the options of `createResumableClient`, or a client you made (to share its socket).
 */
export function createResumableLink(clientOrOptions: ResumableClient | ResumableClientOptions): GraphQLWsLink {
  const client = 'lastSequence' in clientOrOptions ? clientOrOptions : createResumableClient(clientOrOptions);
  return new GraphQLWsLink(client);
}

/**
 * Type policies for `new InMemoryCache({ possibleTypes, typePolicies: synapseTypePolicies })`:
 * each `agentStream` result replaces the previous one (events have no cache id; without this
 * Apollo warns that cache data may be lost on every event).
 */
export const synapseTypePolicies: TypePolicies = {
  Subscription: { fields: { agentStream: { merge: false } } },
};
