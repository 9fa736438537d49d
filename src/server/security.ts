import type { Plugin } from 'graphql-yoga';
import { exposureProblem, type SynapseConfig } from '../config/index.js';
import { ConfigError } from '../errors/index.js';
import type { Logger } from '../logger.js';
import type { SynapseServices } from '../schema/index.js';
import { Authenticator } from './auth/authenticator.js';
import { useAuthentication } from './auth/use-authentication.js';
import { useCsrfPrevention } from './auth/use-csrf-prevention.js';
import { useScopeCheck } from './auth/use-scope-check.js';
import { WsGuard } from './auth/ws-guard.js';
import { InMemoryRateLimiter, type RateLimiter } from './limits/rate-limiter.js';
import { useBodyLimit } from './limits/use-body-limit.js';
import { useOperationLimits } from './limits/use-operation-limits.js';
import { useRunLimits } from './limits/use-run-limits.js';
import { useSubscriptionCap } from './limits/use-subscription-cap.js';
import { useNoSuggestions } from './use-no-suggestions.js';
import type { GraphqlWsSecurity } from './graphql-ws.js';

export interface Security {
  authenticator: Authenticator;
  /** yoga plugins; the envelop ones among them also run on graphql-ws. */
  plugins: Plugin[];
  ws: GraphqlWsSecurity;
}

export interface SecurityOptions {
  config: SynapseConfig;
  services: SynapseServices;
  logger: Logger;
  development: boolean;
  /** Default: token buckets in this process. */
  rateLimiter?: RateLimiter;
}

/**
 * Everything docs/security.md describes, assembled once per server: authentication, the scope
 * check, CSRF prevention, and the graphql-ws guard. Refuses (ConfigError) a configuration that
 * would serve everyone on a non-loopback address.
 */
export async function createSecurity(options: SecurityOptions): Promise<Security> {
  const { config, logger } = options;
  const exposure = exposureProblem(config.server.host, config.auth);
  if (exposure !== undefined) {
    throw new ConfigError(config.configPath ?? '(configuration)', [{ path: 'auth.required', message: exposure }]);
  }
  if (!config.auth.required) {
    logger.warn(
      'authentication is off: every caller is served as tenant "default" with every scope; set auth.apiKeys or auth.jwt before exposing the gateway',
      {
        host: config.server.host,
      },
    );
  }
  const authenticator = await Authenticator.create(config.auth);
  const { limits } = config;
  // Order: refuse cheaply first (credentials, body, CSRF), then the document's shape, then who
  // may run it, and only then what it would cost the tenant.
  const plugins: Plugin[] = [
    useAuthentication(authenticator),
    useBodyLimit(limits.maxBodyBytes),
    useCsrfPrevention(),
    useOperationLimits(limits, { introspection: options.development }),
    useScopeCheck(),
    useRunLimits(limits, options.rateLimiter ?? new InMemoryRateLimiter()),
    useSubscriptionCap(limits.subscriptionsPerTenant),
    ...(options.development ? [] : [useNoSuggestions()]),
  ];
  const guard = new WsGuard({
    authenticator,
    subscriptionsPerConnection: limits.subscriptionsPerConnection,
    ...(config.auth.allowedOrigins ? { allowedOrigins: config.auth.allowedOrigins } : {}),
    logger,
  });
  return {
    authenticator,
    plugins,
    ws: { guard, connectionInitWaitMs: limits.connectionInitWaitMs, maxPayloadBytes: limits.maxBodyBytes, logger },
  };
}
