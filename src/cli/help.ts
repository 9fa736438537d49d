/**
 * Help of each command (`synapse <command> --help`, `synapse help <command>`). A command that is
 * not listed here shows the general help.
 */
export const COMMAND_HELP: Record<string, string> = {
  serve: `Usage: synapse serve [--config <path>] [--port <n>]

Starts the gateway: GraphQL over HTTP, SSE and graphql-ws on /graphql, /healthz, /readyz and
/metrics. Stops gracefully on SIGTERM or SIGINT.

Options:
  --config <path>  Config file (or SYNAPSE_CONFIG; default ./synapse.config.{json,yaml,yml},
                   and without one the built-in demo agent)
  --port <n>       Port (or PORT; default 4000)

Environment: LOG_LEVEL (debug|info|warn|error|silent), NODE_ENV=development for pretty logs,
OTEL_* to export traces (docs/observability.md).
`,
  run: `Usage: synapse run <agentId> "<prompt>" [--url <url>] [--json] [--thread <id>]

Starts a run on a running gateway and streams it: the answer text on stdout as it arrives,
reasoning, tool calls, status and the usage on stderr as they happen, and a spinner while the
upstream is silent (on a terminal). The stream resumes by itself after a dropped connection.
Ctrl-C cancels the workflow. When the run waits for a person (an interrupt) and stdin is a
terminal, it asks you: approve or reject a tool call, or type an answer (JSON or text).

Options:
  --url <url>      The gateway's GraphQL endpoint (or SYNAPSE_URL; default
                   http://localhost:4000/graphql)
  --json           Print every event as one JSON line (NDJSON) on stdout, nothing else
  --thread <id>    Continue this conversation thread

Exit codes:
  0    the run completed (RunCompleted)
  1    the run failed or was cancelled (RunFailed, RunCancelled)
  2    bad arguments
  3    the gateway could not be reached, or the stream was lost
  4    the gateway refused the run (unknown agent, invalid input)
  130  interrupted with Ctrl-C (the workflow was cancelled)
`,
  migrate: `Usage: synapse migrate [--config <path>]

Applies the store's pending migrations and exits: the PostgreSQL server of DATABASE_URL (or
database.url), else the embedded SQLite file under SYNAPSE_DATA_DIR. Idempotent. Also
\`npm run migrate\`.
`,
  'mock-upstream': `Usage: synapse mock-upstream --dialect <name> [--port <n>] [--scenario <name>] [--frame-delay <ms>]

Serves a realistic fake upstream of one dialect on 127.0.0.1: the recorded streams the dialect
tests replay (text, reasoning, parallel tool calls, usage), at a human pace. It prints the agent
config that points at it; run \`synapse serve\` with that agent and build your frontend with no
API keys. Stops on Ctrl-C.

Options:
  --dialect <name>   openai-chat, openai-responses, anthropic-messages, ag-ui, ai-sdk, langgraph,
                     synapse-ws, workflow-sse, chat-ws
  --port <n>         Port (default: any free port)
  --scenario <name>  Which recorded stream (default full; the error lists the others)
  --frame-delay <ms> Pause between frames (default 30)
`,
  schema: `Usage: synapse schema

Prints the GraphQL schema (SDL) to stdout, as in schema.graphql.
`,
};
