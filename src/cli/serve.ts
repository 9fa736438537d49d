import { loadConfig } from '../config/index.js';
import { createPinoLogger, logLevelFromEnv } from '../observability/pino-logger.js';
import { startTracingFromEnv } from '../observability/tracing.js';
import { createSynapseServer } from '../server/index.js';

export interface ServeOptions {
  configPath?: string;
  port?: number;
}

/** `synapse serve`: starts the gateway and stops it gracefully on SIGTERM or SIGINT. */
export async function serve(options: ServeOptions): Promise<void> {
  const logger = createPinoLogger({ level: logLevelFromEnv() });
  const env = options.port === undefined ? process.env : { ...process.env, PORT: String(options.port) };
  const config = await loadConfig({ configPath: options.configPath, env });
  const tracing = await startTracingFromEnv(process.env, logger);
  const server = await createSynapseServer({ config, logger });
  await server.listen();
  logger.info('Synapse is ready', {
    url: server.url,
    agents: config.agents.map((agent) => agent.id),
    config: config.configPath ?? '(none: built-in demo agent)',
    dataDir: config.database.url ? undefined : config.dataDir,
  });
  process.stdout.write(`Synapse listening on ${server.url}\n`);
  if (config.server.studio) process.stdout.write(`Synapse Studio: ${new URL('/studio', server.url).href}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server
      .close()
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (error) => {
          logger.error('shutdown failed', { error });
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
