import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AgentRegistry,
  LeaseKeeper,
  LeaseSweeper,
  listenForCancelRequests,
  respondToInterrupts,
  RunManager,
  RunQueue,
  StreamTracker,
  ToolCallRunner,
  WebhookDispatcher,
  type WriterOptions,
} from '../bridge/index.js';
import type { SynapseConfig } from '../config/index.js';
import { dialects } from '../dialects/index.js';
import { createConsoleLogger, type Logger } from '../logger.js';
import { handleMetrics } from '../observability/metrics-endpoint.js';
import { SynapseMetrics } from '../observability/metrics.js';
import { observeStore } from '../observability/observe-store.js';
import { combineObservers } from '../observability/observer.js';
import { createRunLogger } from '../observability/run-logger.js';
import { createRunTracer } from '../observability/run-tracer.js';
import { isTracingConfigured } from '../observability/tracing.js';
import { useOperationTracing } from '../observability/use-operation-tracing.js';
import { assignRequestId } from '../observability/request-context.js';
import { useOperationMetrics } from '../observability/use-operation-metrics.js';
import { createInProcessPubSub, createRedisPubSub, type PubSub } from '../pubsub/index.js';
import type { SynapseServices } from '../schema/index.js';
import { openStore, startRetentionSweeper } from '../store/index.js';
import { ToolRegistry } from '../tools/index.js';
import { AgentRuntime } from '../runtime/index.js';
import { holdDispatchers } from '../transport/dispatchers.js';
import { attachGraphqlWs, type GraphqlWsServer } from './graphql-ws.js';
import { handleHealth } from './health.js';
import { handleAgUi } from './outward/ag-ui-endpoint.js';
import { handleAiSdk } from './outward/ai-sdk-endpoint.js';
import { handleA2a } from './outward/a2a-endpoint.js';
import type { RateLimiter } from './limits/rate-limiter.js';
import { createSecurity } from './security.js';
import { defaultStudioDir, handleStudio } from './studio.js';
import { hasScope } from '../schema/principal.js';
import { createSynapseYoga, type SynapseYoga } from './yoga.js';

export interface SynapseServerOptions {
  config: SynapseConfig;
  logger?: Logger;
  /** GraphiQL and unmasked error details. Default: NODE_ENV is not `production`. */
  development?: boolean;
  /** Group-commit tuning of every run's writer. */
  writer?: WriterOptions;
  /** Prometheus metrics, served at /metrics; default a new registry for this server. */
  metrics?: SynapseMetrics;
  /**
   * OpenTelemetry spans (runs, GraphQL operations) to the registered tracer provider. Default: the
   * OTEL_* environment asks for traces (observability/tracing.ts).
   */
  tracing?: boolean;
  /** Per-tenant rate limits; default token buckets in this process, or shared through Redis when configured (docs/security.md). */
  rateLimiter?: RateLimiter;
  /** The built Studio served at /studio when `server.studio` is on; default the package's dist/studio. */
  studioDir?: string;
}

export interface SynapseServer {
  readonly services: SynapseServices;
  readonly yoga: SynapseYoga;
  readonly metrics: SynapseMetrics;
  /** `http://host:port/graphql` once listening. */
  readonly url: string;
  readonly port: number;
  listen(): Promise<void>;
  /**
   * Graceful stop: no new runs, running ones get the configured grace period and are then
   * ended as INTERRUPTED, every batch is committed, sockets close with 1001, the store closes.
   */
  close(): Promise<void>;
}

const STREAM_SETTLE_MS = 2_000;

/** Assembles store, pubsub, agents, runs, yoga and graphql-ws behind one HTTP server. */
export async function createSynapseServer(options: SynapseServerOptions): Promise<SynapseServer> {
  const { config } = options;
  const logger = options.logger ?? createConsoleLogger();
  const development = options.development ?? process.env.NODE_ENV !== 'production';

  const agents = new AgentRegistry(config.agents, dialects, config.configPath ?? undefined);
  const releaseDispatchers = holdDispatchers();
  const tools = new ToolRegistry(agents, { logger, source: config.configPath ?? undefined });
  const metrics = options.metrics ?? new SynapseMetrics();
  const tracing = options.tracing ?? isTracingConfigured();
  const observer = combineObservers([metrics, createRunLogger(logger), ...(tracing ? [createRunTracer()] : [])]);
  const store = observeStore(
    await openStore({
      url: config.database.url,
      dataDir: config.dataDir,
      onCheckpointFallback: (error) => logger.warn('SQLite WAL checkpoints are back on the commit thread', { error }),
      onCommitGroup: (workflows, durationMs) => {
        metrics.commitGroupWorkflows.observe(workflows);
        metrics.commitGroupDuration.observe(durationMs / 1000);
      },
    }),
    observer,
  );
  const onListenerError = (error: unknown) => logger.error('subscriber failed', { error });
  const pubsub: PubSub = config.redis
    ? await createRedisPubSub({ ...config.redis, store, logger, onListenerError })
    : createInProcessPubSub(onListenerError);
  const leases = new LeaseKeeper(
    { store, logger },
    { leaseMs: config.server.leaseMs, ...(config.server.instanceId ? { instanceId: config.server.instanceId } : {}) },
  );
  const runtime = new AgentRuntime(tools);
  let queue: RunQueue | undefined;
  // A run that ends here lets the next queued one of its thread or agent start at once (docs/run-control.md).
  const runs = new RunManager(
    { store, pubsub, agents, logger, leases, observer, runtime, onRunSettled: () => queue?.kick() },
    options.writer,
  );
  // A subagent's child that paused is answered through the parent's interrupts (docs/runtime.md).
  runtime.useHost({ runs, store, respond: (request) => respondToInterrupts({ store, pubsub, runs }, request) });
  queue = new RunQueue(
    {
      store,
      pubsub,
      logger,
      agents,
      runs,
      leases,
      onDequeued: (agentId, waitedMs) => metrics.runDequeued(agentId, waitedMs),
    },
    { pollMs: config.server.queuePollMs ?? 500, ...(options.writer ? { writer: options.writer } : {}) },
  );
  // cancelWorkflow may reach another instance: its request arrives here through the pubsub.
  const stopCancelRequests = listenForCancelRequests({ store, pubsub, runs, logger });
  const toolCalls = new ToolCallRunner({ store, pubsub, logger, leases }, options.writer);
  const services: SynapseServices = {
    store,
    pubsub,
    runs,
    agents,
    streams: new StreamTracker(),
    tools,
    toolCalls,
    queue,
    onInterruptsAnswered: (answers, resumed) => metrics.interruptsAnswered(answers, resumed),
  };
  metrics.watch({
    activeRuns: () => runs.activeCount,
    activeSubscriptions: () => services.streams.size,
    onSubscriptionLagged: (listener) => services.streams.onLagged(listener),
    pausedWorkflows: () => store.interrupts.countPaused(),
    queuedWorkflows: () => store.queue.depth(),
  });

  const sweeper = new LeaseSweeper(
    { store, pubsub, logger, leases },
    { intervalMs: config.server.leaseSweepMs },
    options.writer,
    () => metrics.interruptsExpired.inc(),
  );
  // Webhooks from the store's outbox, on every instance (docs/run-control.md).
  const webhooks =
    config.webhooks && config.webhooks.length > 0
      ? new WebhookDispatcher(
          { store, logger },
          {
            webhooks: config.webhooks,
            instanceId: leases.instanceId,
            ...(config.webhookDelivery?.retryDelaysMs ? { retryDelaysMs: config.webhookDelivery.retryDelaysMs } : {}),
            ...(config.webhookDelivery?.pollMs ? { pollMs: config.webhookDelivery.pollMs } : {}),
            ...(config.webhookDelivery?.timeoutMs ? { timeoutMs: config.webhookDelivery.timeoutMs } : {}),
            onAttempt: (outcome) => metrics.webhookAttempts.inc({ outcome }),
          },
        )
      : null;
  // With Redis, every instance counts against the same per-tenant rates (docs/scaling.md).
  const sharedLimiter =
    config.redis && !options.rateLimiter
      ? (await import('./limits/redis-rate-limiter.js')).createRedisRateLimiter(
          config.redis.url,
          config.redis.keyPrefix,
        )
      : null;
  const rateLimiter = options.rateLimiter ?? sharedLimiter?.limiter;
  let security: Awaited<ReturnType<typeof createSecurity>>;
  try {
    // SQLite is one instance's store: whatever a previous process left unfinished is closed at once.
    // On PostgreSQL other instances may be running: only expired leases are swept (docs/scaling.md).
    await sweeper.sweep({ everyLease: store.dialect === 'sqlite' });
    sweeper.start();
    queue.start();
    queue.kick();
    webhooks?.start();
    await tools.start();
    security = await createSecurity({ config, services, logger, development, ...(rateLimiter ? { rateLimiter } : {}) });
  } catch (error) {
    // Redis connections and timers would keep a process that failed to start alive.
    await Promise.all([sweeper.stop(), leases.stop(), queue.stop(), webhooks?.stop()]);
    stopCancelRequests();
    await pubsub.close();
    await sharedLimiter?.close();
    await releaseDispatchers();
    throw error;
  }

  const retention = config.retention ? startRetentionSweeper({ store, logger, ...config.retention }) : null;
  // A tool call whose commit fails ends like a run's, and is refused alike while the store is down.
  toolCalls.useCommitFailureHandler(runs.commitFailures);
  const yoga = createSynapseYoga({
    services,
    logger,
    development,
    authenticator: security.authenticator,
    plugins: [...security.plugins, useOperationMetrics(metrics), ...(tracing ? [useOperationTracing()] : [])],
    allowedOrigins: config.auth.allowedOrigins,
    studio: config.server.studio,
  });
  // With authentication on, /metrics is for admin principals only (they may reveal agent ids
  // and traffic); with it off, it is open like the rest of the local gateway.
  const scrapeAuthorization = security.authenticator.required
    ? async (request: IncomingMessage): Promise<401 | 403 | null> => {
        try {
          const principal = await security.authenticator.authenticate(request.headers.authorization);
          return hasScope(principal, 'admin') ? null : 403;
        } catch {
          return 401;
        }
      }
    : undefined;
  const studioDir = config.server.studio ? (options.studioDir ?? defaultStudioDir()) : null;
  const outward = {
    services,
    yoga,
    maxBodyBytes: config.limits.maxBodyBytes,
    ...(config.auth.allowedOrigins ? { allowedOrigins: config.auth.allowedOrigins } : {}),
  };
  const httpServer: Server = createServer((request, response) => {
    const requestId = assignRequestId(request, response);
    logger.debug('request', { requestId, method: request.method, path: request.url?.split('?', 1)[0] });
    handleMetrics(request, response, metrics.registry, scrapeAuthorization)
      .then((handled) => handled || handleHealth(request, response, services))
      .then((handled) => handled || (studioDir !== null && handleStudio(request, response, studioDir)))
      .then((handled) => handled || handleAgUi(request, response, outward))
      .then((handled) => handled || handleAiSdk(request, response, outward))
      .then(
        (handled) =>
          handled || handleA2a(request, response, { ...outward, authRequired: security.authenticator.required }),
      )
      .then((handled) => (handled ? undefined : yoga.handle(request, response)))
      .catch((error) => {
        logger.error('request failed', { requestId, error });
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
  });
  const graphqlWs: GraphqlWsServer = attachGraphqlWs(httpServer, yoga, security.ws);

  let closing: Promise<void> | null = null;
  const server: SynapseServer = {
    services,
    yoga,
    metrics,
    get port() {
      return (httpServer.address() as AddressInfo | null)?.port ?? config.server.port;
    },
    get url() {
      const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
      return `http://${host}:${server.port}${yoga.graphqlEndpoint}`;
    },
    listen: () =>
      new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.server.port, config.server.host, () => {
          httpServer.off('error', reject);
          resolve();
        });
      }),
    close: () => {
      closing ??= (async () => {
        await queue.stop();
        await Promise.all([runs.drain(config.server.shutdownGraceMs), toolCalls.drain(config.server.shutdownGraceMs)]);
        await Promise.all([sweeper.stop(), leases.stop()]);
        // Deliveries in flight finish (bounded by their timeout); the rest wait in the outbox.
        await webhooks?.stop();
        // Every workflow has its terminal event now: let subscribers read it before sockets close.
        await services.streams.settled(STREAM_SETTLE_MS);
        await graphqlWs.dispose();
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        // Streams still open (SSE on a finished workflow) have had their terminal event.
        setTimeout(() => httpServer.closeAllConnections(), 1_000).unref();
        await stopped;
        await yoga.dispose();
        stopCancelRequests();
        await pubsub.close();
        await sharedLimiter?.close();
        await retention?.stop();
        await tools.close();
        await releaseDispatchers();
        await store.close();
      })();
      return closing;
    },
  };
  return server;
}
