import type { Plugin } from 'graphql-yoga';
import type { Authenticator } from './authenticator.js';
import { rememberRequestPrincipal } from './request-principal.js';

/**
 * Authenticates an HTTP or SSE request as soon as yoga starts reading it, before its body is
 * parsed or its document validated: a flood of requests without valid credentials costs a
 * header check each, and learns nothing about the schema from validation errors. The principal
 * is remembered for the request, so the context does not verify the credential twice.
 * (graphql-ws authenticates once per socket instead, in ws-guard.ts.)
 */
export function useAuthentication(authenticator: Authenticator): Plugin {
  return {
    async onRequestParse({ request }) {
      rememberRequestPrincipal(request, await authenticator.authenticate(request.headers.get('authorization')));
    },
  };
}
