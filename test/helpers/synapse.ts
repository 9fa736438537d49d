import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/config/index.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { createSynapseServer, type SynapseServer } from '../../src/server/index.js';
import { createPgTestSchema } from './postgres.js';

/**
 * Agents every integration test can use: a fast demo, a slow one to cancel mid-stream, and one
 * whose silences between words are longer than its heartbeat interval.
 */
export const TEST_AGENTS = [
  { id: 'demo', dialect: 'demo', demo: { wordDelayMs: 2 } },
  { id: 'slow', dialect: 'demo', demo: { wordDelayMs: 60 } },
  { id: 'pulse', dialect: 'demo', heartbeatMs: 20, demo: { wordDelayMs: 70 } },
];

export interface StartOptions {
  /** Reuse this data dir (for restart tests); default a new temp dir removed on stop. */
  dataDir?: string;
  /** Extra top-level config keys. */
  config?: Record<string, unknown>;
  /** Default: silent. */
  logger?: Logger;
  /** The built Studio to serve at /studio; default the package's dist/studio. */
  studioDir?: string;
}

/** A real gateway on an ephemeral loopback port, with an SQLite file in a temp dir. */
export async function startSynapse(options: StartOptions = {}): Promise<SynapseServer & { stop(): Promise<void> }> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'synapse-test-'));
  // SYNAPSE_TEST_STORE=postgres runs every gateway test that keeps no data across restarts on
  // PostgreSQL, in a throwaway schema (docs/history.md).
  const pgSchema =
    process.env.SYNAPSE_TEST_STORE === 'postgres' && !options.dataDir && options.config?.database === undefined
      ? await createPgTestSchema()
      : null;
  const config = parseConfig(
    {
      server: { port: 0, shutdownGraceMs: 2_000 },
      agents: TEST_AGENTS,
      ...(pgSchema ? { database: { url: pgSchema.url } } : {}),
      ...options.config,
    },
    { env: { SYNAPSE_DATA_DIR: dataDir }, source: 'test config' },
  );
  const server = await createSynapseServer({
    config,
    logger: options.logger ?? silentLogger,
    development: true,
    ...(options.studioDir ? { studioDir: options.studioDir } : {}),
  }).catch(async (error: unknown) => {
    await pgSchema?.drop();
    throw error;
  });
  await server.listen();
  return Object.assign(server, {
    async stop() {
      await server.close();
      await pgSchema?.drop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
