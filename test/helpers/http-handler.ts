import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Wraps an async request handler for `createServer`: a rejection is logged and ends the response
 * with that error, so the test whose request it was sees it fail.
 */
export function handled(
  handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handler(request, response).catch((error: unknown) => {
      console.error('test HTTP handler failed', error);
      response.destroy(error instanceof Error ? error : new Error('test HTTP handler failed', { cause: error }));
    });
  };
}
