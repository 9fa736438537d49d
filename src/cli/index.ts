#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { parsePort, PORT_RULE } from '../config/index.js';
import { printSynapseSchema } from '../schema/index.js';
import { COMMAND_HELP } from './help.js';
import { CliError, ExitCode, runCommand } from './run.js';
import { serve } from './serve.js';
import { migrate } from './migrate.js';
import { mockUpstream, MockUsageError } from './mock-upstream.js';

const HELP = `Usage: synapse <command> [options]

Commands:
  serve              Start the gateway (default port 4000)
    --config <path>  Config file (or SYNAPSE_CONFIG; default ./synapse.config.{json,yaml,yml})
    --port <n>       Port (or PORT)
  schema             Print the GraphQL schema (SDL) to stdout
  migrate            Apply pending store migrations (DATABASE_URL or database.url) and exit
    --config <path>  Config file
  run <agentId> "<prompt>"
                     Run an agent on a running gateway and stream the run live
    --url <url>      Gateway endpoint (or SYNAPSE_URL; default http://localhost:4000/graphql)
    --json           Print the events as NDJSON
    --thread <id>    Continue a conversation thread
  mock-upstream      Serve a fake upstream of one dialect, for frontend work without API keys
    --dialect <name> openai-chat, anthropic-messages, ag-ui, ... (see synapse help mock-upstream)
    --port <n>       Port (default: any free port)
  help <command>     Show the help of one command

Options:
  -h, --help         Show this help (after a command: that command's help)

Exit codes:
  0    success
  1    failure (an invalid config, a run that failed; see synapse help <command>)
  2    bad arguments: an unknown command or option, a missing or malformed value
`;

const OPTIONS = {
  config: { type: 'string' },
  port: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  url: { type: 'string' },
  json: { type: 'boolean' },
  thread: { type: 'string' },
  dialect: { type: 'string' },
  scenario: { type: 'string' },
  'frame-delay': { type: 'string' },
} as const;

/** Thrown for arguments the CLI cannot take: exit 2 with a message and the help. */
class UsageError extends Error {}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    // node:util's messages name Node's API ("To specify a positional argument starting with a '-'…");
    // say it in the CLI's own words.
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    const option = /'(-{1,2}[\w-]+)/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${option}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new UsageError(
        message.includes('does not take') ? `option ${option} takes no value` : `option ${option} needs a value`,
      );
    }
    throw new UsageError(message);
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`synapse: ${error.message} (synapse --help lists the commands and options)\n`);
    return ExitCode.USAGE;
  }
  const { positionals, values } = parsed;
  const [command] = positionals;
  if (command === 'help' || (values.help && command)) {
    const topic = command === 'help' ? positionals[1] : command;
    process.stdout.write((topic && COMMAND_HELP[topic]) || HELP);
    return 0;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!command) {
    process.stderr.write(HELP);
    return ExitCode.USAGE;
  }
  switch (command) {
    case 'serve': {
      const port = values.port === undefined ? undefined : parsePort(values.port);
      if (port === null) {
        process.stderr.write(`synapse serve: --port must be ${PORT_RULE}, got "${values.port}"\n`);
        return ExitCode.USAGE;
      }
      await serve({ configPath: values.config, port });
      return -1;
    }
    case 'schema':
      process.stdout.write(printSynapseSchema());
      return 0;
    case 'migrate':
      process.stdout.write(`${await migrate({ configPath: values.config })}\n`);
      return 0;
    case 'run':
      return run(positionals.slice(1), values);
    case 'mock-upstream': {
      try {
        const mock = await mockUpstream(
          {
            dialect: values.dialect,
            port: values.port,
            scenario: values.scenario,
            frameDelayMs: values['frame-delay'],
          },
          process.stdout,
        );
        const stop = () => void mock.close().then(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        return -1;
      } catch (error) {
        if (!(error instanceof MockUsageError)) throw error;
        process.stderr.write(`synapse mock-upstream: ${error.message}\n\n${COMMAND_HELP['mock-upstream']}`);
        return ExitCode.USAGE;
      }
    }
    default:
      process.stderr.write(`synapse: unknown command "${command}"\n\n${HELP}`);
      return ExitCode.USAGE;
  }
}

async function run(args: string[], values: { url?: string; json?: boolean; thread?: string }): Promise<number> {
  const [agentId, ...words] = args;
  const prompt = words.join(' ');
  if (!agentId || !prompt) {
    process.stderr.write(`synapse run: expected an agent id and a prompt\n\n${COMMAND_HELP.run}`);
    return ExitCode.USAGE;
  }
  // The first Ctrl-C cancels the workflow and waits for its RunCancelled; the second quits.
  const interrupt = new AbortController();
  const onSigint = () => {
    if (interrupt.signal.aborted) process.exit(ExitCode.INTERRUPTED);
    interrupt.abort();
  };
  process.on('SIGINT', onSigint);
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const url = values.url ?? process.env.SYNAPSE_URL ?? 'http://localhost:4000/graphql';
  const urlProblem = checkGatewayUrl(url);
  if (urlProblem) {
    process.stderr.write(`synapse run: ${values.url === undefined ? 'SYNAPSE_URL' : '--url'} ${urlProblem}\n`);
    return ExitCode.USAGE;
  }
  try {
    return await runCommand({
      url,
      agentId,
      prompt,
      threadId: values.thread,
      json: values.json ?? false,
      stdout: process.stdout,
      stderr: process.stderr,
      signal: interrupt.signal,
      // a person at a terminal answers the run's interrupts (docs/human-in-the-loop.md)
      ...(process.stdin.isTTY && !values.json ? { ask: terminalAsk() } : {}),
    });
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`synapse run: ${error.message}\n`);
    return error.exitCode;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Why `url` cannot be a gateway endpoint, or null when it can. */
function checkGatewayUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `is not a URL: "${url}" (expected e.g. http://localhost:4000/graphql)`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `must be an http:// or https:// URL, got "${url}"`;
  }
  return null;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`synapse: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

/** Reads one line from the terminal after printing the question on stderr. */
function terminalAsk(): (question: string) => Promise<string> {
  return async (question) => {
    const { createInterface } = await import('node:readline/promises');
    const terminal = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await terminal.question(question);
    } finally {
      terminal.close();
    }
  };
}
