import { subscriptionExchange, type Exchange } from '@urql/core';
import { createResumableClient, type ResumableClient, type ResumableClientOptions } from './resumable-client.js';

/**
 * `synapse/client/urql`: urql's `subscriptionExchange` forwarding to a resumable client, so an
 * `agentStream` subscription resumes after a reconnect from the last event it delivered.
 * Pass the options of `createResumableClient`, or a client you made (to share its socket).
 */
export function resumableSubscriptionExchange(clientOrOptions: ResumableClient | ResumableClientOptions): Exchange {
  const client = 'lastSequence' in clientOrOptions ? clientOrOptions : createResumableClient(clientOrOptions);
  return subscriptionExchange({
    forwardSubscription(request) {
      const payload = { ...request, query: request.query ?? '' };
      return {
        subscribe: (sink) => ({ unsubscribe: client.subscribe(payload, sink) }),
      };
    },
  });
}
