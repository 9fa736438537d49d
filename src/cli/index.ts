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
`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      url: { type: 'string' },
      json: { type: 'boolean' },
      thread: { type: 'string' },
      dialect: { type: 'string' },
      scenario: { type: 'string' },
      'frame-delay': { type: 'string' },
    },
  });
  const [command] = positionals;
  if (command === 'help' || (values.help && command)) {
    const topic = command === 'help' ? positionals[1] : command;
    process.stdout.write((topic && COMMAND_HELP[topic]) || HELP);
    return 0;
  }
  if (values.help || !command) {
    process.stdout.write(HELP);
    return values.help ? 0 : 1;
  }
  switch (command) {
    case 'serve': {
      const port = values.port === undefined ? undefined : parsePort(values.port);
      if (port === null) throw new Error(`--port must be ${PORT_RULE}, got "${values.port}"`);
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
          { dialect: values.dialect, port: values.port, scenario: values.scenario, frameDelayMs: values['frame-delay'] },
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
      return 1;
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
  try {
    return await runCommand({
      url: values.url ?? process.env.SYNAPSE_URL ?? 'http://localhost:4000/graphql',
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
