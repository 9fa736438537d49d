import { z } from 'zod';
import { checkAgentRules, checkAgentList, isRecord } from './agent-rules.js';
import { AuthConfigSchema, LimitsConfigSchema } from './auth-schema.js';
import { DIALECT_NAMES } from './dialect-names.js';
import { integer } from './integer.js';
import { ToolSourceConfigSchema } from './tool-sources.js';

/**
 * The zod schema of `synapse.config.json` / `.yaml`. Key names are a contract users'
 * config files rely on (docs/configuration.md). Every object is strict: a typo, or a section this version does not implement, is an
 * error naming the key instead of a setting that silently does nothing.
 */

/** Top-level sections the design announces but this version does not implement yet. */
export const PLANNED_SECTIONS: readonly string[] = [];

const positiveInt = () => integer(1);
// Refinements that relate several keys run only on objects; on anything else the type error suffices.
const whenObject = { when: (payload: { value: unknown }) => isRecord(payload.value) };

/** Bounds of `server.port` and `PORT`. 0 asks the OS for any free port (tests, side-by-side instances). */
export const PORT_RANGE = { min: 0, max: 65_535 } as const;

export const ServerConfigSchema = z.strictObject({
  port: integer(PORT_RANGE.min, PORT_RANGE.max)
    .default(4000)
    .describe(
      'Port of the HTTP server (GraphQL, SSE, graphql-ws, GraphiQL, /healthz, /readyz); 0 asks the OS for a free port. Overridden by PORT and --port.',
    ),
  host: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe(
      'Interface to listen on; with authentication off, a non-loopback address refuses to start unless auth.allowUnauthenticatedRemote is true.',
    ),
  /** How long shutdown waits for in-flight runs before interrupting them. */
  shutdownGraceMs: integer(0)
    .default(10_000)
    .describe(
      'On SIGTERM/SIGINT, how long running workflows may still finish before they end with RunFailed INTERRUPTED.',
    ),
  instanceId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      "This instance's id, the owner of the workflows it runs (docs/scaling.md); absent: a random id at every start.",
    ),
  leaseMs: integer(100, 3_600_000)
    .default(10_000)
    .describe(
      'Lease of a running workflow: renewed every third of it; a workflow whose owner stopped renewing for this long is swept as INTERRUPTED by any instance.',
    ),
  leaseSweepMs: integer(50, 3_600_000)
    .optional()
    .describe('Pause between lease sweeps on every instance; absent: half of leaseMs.'),
  queuePollMs: integer(10, 60_000)
    .optional()
    .describe(
      'How often every instance looks for QUEUED workflows it may start (docs/run-control.md); absent: 500. A run that ends on this instance starts the next at once.',
    ),
  studio: z
    .boolean()
    .default(true)
    .describe(
      "Serve the Studio at /studio (a static page; its data comes from /graphql with the user's credentials, so auth and scopes apply as usual; docs/studio.md), in production too; false: /studio is not served.",
    ),
});

export const DatabaseConfigSchema = z.strictObject({
  /** Absent: embedded SQLite in `<dataDir>/synapse.db`. */
  url: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The store: absent is SQLite in <dataDir>/synapse.db; sqlite:<path>, file:<path>, sqlite::memory: or postgres://…. Overridden by DATABASE_URL.',
    ),
});

/** `redis`: live fan-out (and remote cancel) across gateway instances; absent: in-process. */
export const RedisConfigSchema = z.strictObject({
  url: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'must be a redis:// or rediss:// URL' })
    .optional()
    .describe(
      'The Redis server, redis://[user:password@]host:port[/db] or rediss://…; absent with the section present, REDIS_URL must give it. Overridden by REDIS_URL. Needs a PostgreSQL database.url (docs/scaling.md).',
    ),
  keyPrefix: z
    .string()
    .min(1)
    .max(64)
    .default('synapse:')
    .describe('Prefix of every Redis channel name, so several deployments (or test runs) can share one Redis.'),
  fallbackPollMs: integer(10, 60_000)
    .default(250)
    .describe('While Redis is unreachable, how often live subscribers read new events from the store instead.'),
});

/** `retention`: finished workflows older than `days` are deleted by a periodic sweep. */
export const RetentionConfigSchema = z.strictObject({
  /** Age, counted from when a workflow finished, after which it is deleted with its events. */
  days: positiveInt().describe(
    'A workflow that finished more than this many days ago is deleted with its events and tool calls.',
  ),
  /** Pause between sweeps. */
  sweepIntervalMs: integer(1_000)
    .default(3_600_000)
    .describe('Pause between sweeps; the first sweep runs at start-up.'),
  /** Workflows deleted per transaction (with all their events and tool calls). */
  batchSize: integer(1, 10_000)
    .default(500)
    .describe('Workflows deleted per transaction (with all their events and tool calls).'),
});

export const TimeoutsConfigSchema = z.strictObject({
  connectMs: positiveInt().optional().describe('Time to open the upstream connection (default 10000).'),
  /** undici: how long to wait for the response headers. */
  headersMs: positiveInt().optional().describe('Time to wait for the response headers (default 60000).'),
  /** undici: longest pause between two chunks of the response body. */
  bodyMs: positiveInt().optional().describe('Longest pause between two chunks of the response body (default 300000).'),
  firstEventMs: positiveInt().optional().describe('Run start to the first upstream frame (default 60000).'),
  idleMs: positiveInt().optional().describe('Longest pause between upstream frames (default 120000).'),
  totalMs: positiveInt()
    .optional()
    .describe('Whole run (default 1800000); an expired timeout ends the run with UPSTREAM_TIMEOUT.'),
});

export const RetryConfigSchema = z.strictObject({
  /** Total connection attempts, the first included: 1 means never retry. */
  attempts: positiveInt().default(3).describe('Total connection attempts, the first included: 1 means never retry.'),
  /** Delay before the first retry; the bridge decides how it grows. */
  backoffMs: integer(0)
    .default(250)
    .describe('Delay before the first retry; it doubles, with jitter, up to 30 s (a longer Retry-After wins).'),
});

/** The shared connection pool of an agent's upstream origin. */
export const PoolConfigSchema = z.strictObject({
  /** Most concurrent connections to the origin. */
  connections: positiveInt()
    .optional()
    .describe(
      'Most concurrent connections to the origin (default 1024). Each streaming run holds one for its whole length, so this caps the runs streaming at once from the origin; a run that finds it full waits (a LogMessage on the run, and synapse_upstream_pool_waits_total).',
    ),
  /** How long an idle keep-alive connection stays open. */
  keepAliveMs: positiveInt().optional().describe('How long an idle keep-alive connection stays open (default 30000).'),
});

export const DemoOptionsSchema = z.strictObject({
  /** Pause between streamed words, so a UI shows real streaming. */
  wordDelayMs: integer(0)
    .default(40)
    .describe('Pause before each streamed word of the answer; 0 streams as fast as possible.'),
  askHuman: z
    .boolean()
    .optional()
    .describe(
      'Pause for a person (docs/human-in-the-loop.md): ask approval of the calculator call, or, without arithmetic in the prompt, ask for the expression.',
    ),
});

export const TOOL_SOURCE_TYPES = ['agent', 'http', 'mcp', 'subagent'] as const;

/** One source of an agent's tools: `agent`, `http` or `mcp` (src/config/tool-sources.ts). */
export { ToolSourceConfigSchema };

const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const AgentConfigSchema = z
  .strictObject({
    id: z
      .string()
      .regex(AGENT_ID, {
        error: 'must start with a letter or digit and contain only letters, digits, "_", "." and "-"',
      })
      .describe('Agent id clients pass as agentId; unique within the list.'),
    dialect: z.enum(DIALECT_NAMES).describe('The upstream protocol (docs/dialects.md).'),
    description: z.string().optional().describe('Shown as Agent.description.'),
    url: z
      .string()
      .optional()
      .describe(
        'The upstream endpoint: required except for demo; http(s):// URL, or ws(s):// for synapse-ws and chat-ws.',
      ),
    model: z
      .string()
      .min(1)
      .optional()
      .describe('Model name sent upstream (openai-chat, openai-responses, anthropic-messages, synapse-ws).'),
    headers: z
      .record(z.string(), z.string())
      .optional()
      .describe('Extra request headers (also on WebSocket handshakes).'),
    timeouts: TimeoutsConfigSchema.optional().describe(
      'Upstream timeouts in milliseconds; an expired one ends the run with UPSTREAM_TIMEOUT.',
    ),
    heartbeatMs: positiveInt()
      .default(15_000)
      .describe('While the upstream is silent this long, a Heartbeat event is sent to live subscribers.'),
    concurrency: z
      .strictObject({
        maxRunning: integer(1, 100_000).describe(
          'Runs of this agent running at once in the whole deployment; more wait QUEUED, first in first out (docs/run-control.md).',
        ),
      })
      .optional()
      .describe(
        'Queue runs of this agent beyond a cap instead of starting them (docs/run-control.md); absent: no cap.',
      ),
    interruptTimeoutMs: positiveInt()
      .optional()
      .describe(
        'How long a run paused for a person (INPUT_REQUIRED) waits for its answers; past it the run fails with INTERRUPT_EXPIRED. Absent: it waits for ever.',
      ),
    maxFrameBytes: positiveInt()
      .default(1_048_576)
      .describe(
        'Largest upstream frame (SSE data, NDJSON line, WebSocket message); a larger one ends the run with UPSTREAM_PROTOCOL.',
      ),
    maxJsonDepth: positiveInt()
      .optional()
      .describe(
        'Deepest nesting of objects and arrays in a value an upstream frame carries into an event (tool arguments and results, output, state, custom values); deeper ends the run with UPSTREAM_PROTOCOL (default 128).',
      ),
    maxToolCallArgumentsBytes: positiveInt()
      .optional()
      .describe(
        "UTF-8 bytes of one tool call's streamed arguments; more ends the run with UPSTREAM_PROTOCOL (default 1048576).",
      ),
    maxRunToolArgumentsBytes: positiveInt()
      .optional()
      .describe(
        'UTF-8 bytes of all tool-call arguments one run streams, together; more ends the run with UPSTREAM_PROTOCOL (default 8388608).',
      ),
    retry: RetryConfigSchema.prefault({}).describe(
      'Retries of connect errors, 429, 5xx and drops before any upstream event.',
    ),
    pool: PoolConfigSchema.optional().describe("The shared connection pool of the agent's upstream origin."),
    outputSchema: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        "JSON Schema the run's final output is validated against; a violation ends the run with OUTPUT_VALIDATION.",
      ),
    outputRetries: integer(0)
      .optional()
      .describe(
        'Agent runtime: model turns spent fixing an answer that fails outputSchema (default 2); then the run fails with OUTPUT_VALIDATION (docs/runtime.md).',
      ),
    instructions: z
      .string()
      .optional()
      .describe(
        'Agent runtime (openai-chat, openai-responses, anthropic-messages): the system prompt of every model request (docs/runtime.md).',
      ),
    modelSettings: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'Agent runtime: keys merged into every model request body, such as temperature or max_tokens (docs/runtime.md).',
      ),
    maxSteps: positiveInt()
      .optional()
      .describe(
        'Agent runtime: model requests one run may make (default 10); a last one that still asks for tools ends the run with MAX_STEPS (docs/runtime.md).',
      ),
    assistantId: z
      .string()
      .min(1)
      .optional()
      .describe('The graph or assistant to run: required for langgraph, an error on any other dialect.'),
    tools: z
      .array(ToolSourceConfigSchema)
      .optional()
      .describe('Tool sources of the agent, listed by Agent.tools and called by callTool (docs/tools.md).'),
    demo: DemoOptionsSchema.optional().describe(
      'Options of the demo dialect (filled in on demo agents); an error on any other dialect.',
    ),
  })
  .superRefine(checkAgentRules, whenObject)
  // A demo agent always carries its options, so the demo dialect never restates the defaults.
  .transform((agent) =>
    agent.dialect === 'demo' && agent.demo === undefined ? { ...agent, demo: DemoOptionsSchema.parse({}) } : agent,
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

export const WEBHOOK_EVENTS = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED', 'INPUT_REQUIRED'] as const;

/** One `webhooks` entry: a signed POST per workflow status change (docs/run-control.md). */
export const WebhookConfigSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).describe('Where the POSTs go.'),
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, { error: 'must be a Standard Webhooks secret: whsec_ followed by base64' })
    .describe('The signing secret in the Standard Webhooks form whsec_<base64>; never logged.'),
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1)
    .default([...WEBHOOK_EVENTS])
    .describe('Workflow statuses to report; absent: all of SUCCEEDED, FAILED, CANCELLED, INTERRUPTED, INPUT_REQUIRED.'),
  agents: z.array(z.string().min(1)).optional().describe('Only workflows of these agents; absent: every agent.'),
});

/** `webhookDelivery`: retry timing of webhook deliveries (docs/run-control.md). */
export const WebhookDeliveryConfigSchema = z.strictObject({
  retryDelaysMs: z
    .array(integer(1, 86_400_000))
    .min(1)
    .optional()
    .describe(
      'Delay before each retry of a failed delivery; after the last, the delivery is FAILED. Absent: 1 s, 5 s, 30 s, 2 min, 5 min, 10 min, 20 min, 30 min, 1 h (about 2 h 9 min in all).',
    ),
  pollMs: integer(10, 60_000).optional().describe('How often every instance looks for due deliveries; absent: 500.'),
  timeoutMs: integer(100, 120_000).optional().describe('How long one POST may take; absent: 10000.'),
});

/** The file as written, before environment overrides; `dataDir` and `configPath` are added later. */
export const ConfigFileSchema = z.strictObject({
  server: ServerConfigSchema.prefault({}).describe('The HTTP listener.'),
  database: DatabaseConfigSchema.prefault({}).describe('Where workflows and events are stored.'),
  // prefault (not default) so the built-in agent goes through the schema and gets its defaults.
  agents: AgentsConfigSchema.prefault(() => [{ ...BUILT_IN_DEMO_AGENT }]).describe(
    'The upstream agents clients can run; absent: the built-in demo agent alone.',
  ),
  redis: RedisConfigSchema.optional().describe(
    'Redis as the live fan-out between gateway instances (docs/scaling.md); absent: in-process pubsub, one instance. REDIS_URL alone also turns it on.',
  ),
  retention: RetentionConfigSchema.optional().describe(
    'Deletes finished workflows after a number of days; absent: history is kept forever.',
  ),
  auth: AuthConfigSchema.prefault({}).describe('Who may call, as which tenant, with which scopes (docs/security.md).'),
  limits: LimitsConfigSchema.prefault({}).describe(
    'Bounds on operations, requests, inputs, rates and sockets (docs/security.md).',
  ),
  webhooks: z
    .array(WebhookConfigSchema)
    .optional()
    .describe(
      'Signed POSTs (Standard Webhooks) for workflow status changes, from a durable outbox (docs/run-control.md).',
    ),
  webhookDelivery: WebhookDeliveryConfigSchema.optional().describe(
    'Retry timing of webhook deliveries (docs/run-control.md).',
  ),
});
