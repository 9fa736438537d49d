import { z } from 'zod';
import { checkAgentRules, checkAgentList, isRecord } from './agent-rules.js';
import { AuthConfigSchema, LimitsConfigSchema } from './auth-schema.js';
import { DIALECT_NAMES } from './dialect-names.js';
import { integer } from './integer.js';
import { ToolSourceConfigSchema } from './tool-sources.js';

/**
 * The zod schema of `synapse.config.json` / `.yaml`. Key names are the contract of DESIGN.md
 * section 3. Every object is strict: a typo, or a section this version does not implement, is an
 * error naming the key instead of a setting that silently does nothing.
 */

/** Top-level sections the design announces but this version does not implement yet. */
export const PLANNED_SECTIONS: readonly string[] = ['redis'];

const positiveInt = () => integer(1);
// Refinements that relate several keys run only on objects; on anything else the type error suffices.
const whenObject = { when: (payload: { value: unknown }) => isRecord(payload.value) };

/** Bounds of `server.port` and `PORT`. 0 asks the OS for any free port (tests, side-by-side instances). */
export const PORT_RANGE = { min: 0, max: 65_535 } as const;

export const ServerConfigSchema = z.strictObject({
  port: integer(PORT_RANGE.min, PORT_RANGE.max).default(4000),
  host: z.string().min(1).default('127.0.0.1'),
  /** How long shutdown waits for in-flight runs before interrupting them. */
  shutdownGraceMs: integer(0).default(10_000),
});

export const DatabaseConfigSchema = z.strictObject({
  /** Absent: embedded SQLite in `<dataDir>/synapse.db`. */
  url: z.string().min(1).optional(),
});

/** `retention`: finished workflows older than `days` are deleted by a periodic sweep. */
export const RetentionConfigSchema = z.strictObject({
  /** Age, counted from when a workflow finished, after which it is deleted with its events. */
  days: positiveInt(),
  /** Pause between sweeps. */
  sweepIntervalMs: integer(1_000).default(3_600_000),
  /** Workflows deleted per transaction (with all their events and tool calls). */
  batchSize: integer(1, 10_000).default(500),
});

export const TimeoutsConfigSchema = z.strictObject({
  connectMs: positiveInt().optional(),
  /** undici: how long to wait for the response headers. */
  headersMs: positiveInt().optional(),
  /** undici: longest pause between two chunks of the response body. */
  bodyMs: positiveInt().optional(),
  firstEventMs: positiveInt().optional(),
  idleMs: positiveInt().optional(),
  totalMs: positiveInt().optional(),
});

export const RetryConfigSchema = z.strictObject({
  /** Total connection attempts, the first included: 1 means never retry. */
  attempts: positiveInt().default(3),
  /** Delay before the first retry; the bridge decides how it grows. */
  backoffMs: integer(0).default(250),
});

/** The shared connection pool of an agent's upstream origin. */
export const PoolConfigSchema = z.strictObject({
  /** Most concurrent connections to the origin. */
  connections: positiveInt().optional(),
  /** How long an idle keep-alive connection stays open. */
  keepAliveMs: positiveInt().optional(),
});

export const DemoOptionsSchema = z.strictObject({
  /** Pause between streamed words, so a UI shows real streaming. */
  wordDelayMs: integer(0).default(40),
});

export const TOOL_SOURCE_TYPES = ['agent', 'http', 'mcp'] as const;

/** One source of an agent's tools: `agent`, `http` or `mcp` (src/config/tool-sources.ts). */
export { ToolSourceConfigSchema };

const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const AgentConfigSchema = z
  .strictObject({
    id: z.string().regex(AGENT_ID, {
      error: 'must start with a letter or digit and contain only letters, digits, "_", "." and "-"',
    }),
    dialect: z.enum(DIALECT_NAMES),
    description: z.string().optional(),
    url: z.string().optional(),
    model: z.string().min(1).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    timeouts: TimeoutsConfigSchema.optional(),
    heartbeatMs: positiveInt().default(15_000),
    maxFrameBytes: positiveInt().default(1_048_576),
    retry: RetryConfigSchema.prefault({}),
    pool: PoolConfigSchema.optional(),
    outputSchema: z.record(z.string(), z.unknown()).optional(),
    assistantId: z.string().min(1).optional(),
    tools: z.array(ToolSourceConfigSchema).optional(),
    demo: DemoOptionsSchema.optional(),
  })
  .superRefine(checkAgentRules, whenObject)
  // A demo agent always carries its options, so the demo dialect never restates the defaults.
  .transform((agent) =>
    agent.dialect === 'demo' && agent.demo === undefined
      ? { ...agent, demo: DemoOptionsSchema.parse({}) }
      : agent,
  );

/** The agent a server gets when its config names none: it needs no keys and no network. */
export const BUILT_IN_DEMO_AGENT = {
  id: 'demo',
  dialect: 'demo',
  description:
    'Built-in scripted agent: streams its answer word by word, reasons, and calls a calculator tool. Needs no keys.',
} as const satisfies z.input<typeof AgentConfigSchema>;

export const AgentsConfigSchema = z
  .array(AgentConfigSchema)
  .superRefine(checkAgentList, { when: (payload) => Array.isArray(payload.value) });

/** The file as written, before environment overrides; `dataDir` and `configPath` are added later. */
export const ConfigFileSchema = z.strictObject({
  server: ServerConfigSchema.prefault({}),
  database: DatabaseConfigSchema.prefault({}),
  // prefault (not default) so the built-in agent goes through the schema and gets its defaults.
  agents: AgentsConfigSchema.prefault(() => [{ ...BUILT_IN_DEMO_AGENT }]),
  retention: RetentionConfigSchema.optional(),
  auth: AuthConfigSchema.prefault({}),
  limits: LimitsConfigSchema.prefault({}),
});
