#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { printSynapseSchema } from '../schema/index.js';
import { serve } from './serve.js';
import { migrate } from './migrate.js';

const HELP = `Usage: synapse <command> [options]

Commands:
  serve              Start the gateway (default port 4000)
    --config <path>  Config file (or SYNAPSE_CONFIG; default ./synapse.config.{json,yaml,yml})
    --port <n>       Port (or PORT)
  schema             Print the GraphQL schema (SDL) to stdout
  migrate            Apply pending store migrations (DATABASE_URL or database.url) and exit
    --config <path>  Config file

Options:
  -h, --help         Show this help
`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    process.stdout.write(HELP);
    return values.help ? 0 : 1;
  }
  switch (command) {
    case 'serve': {
      const port = values.port === undefined ? undefined : /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN;
      if (port !== undefined && !(port >= 0 && port <= 65535)) {
        throw new Error(`--port must be a whole number from 0 to 65535, got "${values.port}"`);
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
    default:
      process.stderr.write(`synapse: unknown command "${command}"\n\n${HELP}`);
      return 1;
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
