/**
 * `npx tsx bench/hostile.ts`: the hostile inputs of issue 15 against a real gateway process, each
 * measured from outside: how long the event loop was held (the slowest `/healthz` probe, sent
 * every 20 ms while the attack runs), the probes' p99, and the gateway's RSS growth (peak
 * `VmHWM` of the child process minus its RSS before). Loopback only; every load is bounded.
 *
 *   npx tsx bench/hostile.ts                       # this checkout
 *   npx tsx bench/hostile.ts --root /path/to/other # another checkout's CLI (e.g. the code before)
 *   npx tsx bench/hostile.ts --only cost,introspection,args,deep
 *
 * The data is seeded through this checkout's store API before the gateway starts (the schema is
 * the same in both). Scaled down from the issue's reports so that the code before finishes in
 * seconds on a shared machine: 100 workflows of 500 events (50,000), not 100 × 10,000.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { AgentEvent } from '../src/events/index.js';
import { openStore } from '../src/store/index.js';

const { values: flags } = parseArgs({ options: { root: { type: 'string' }, only: { type: 'string' } } });
const ROOT = path.resolve(flags.root ?? fileURLToPath(new URL('..', import.meta.url)));
const ONLY = new Set((flags.only ?? 'cost,introspection,args,deep').split(','));
const WORKFLOWS = 100;
const EVENTS_PER_WORKFLOW = 500;

// --- a hostile openai-chat upstream -------------------------------------------------------------
const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const toolDelta = (args: string, start = false) =>
  chunk({
    tool_calls: [
      {
        index: 0,
        ...(start
          ? { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: args } }
          : { function: { arguments: args } }),
      },
    ],
  });
const SCENARIOS: Record<string, () => Iterable<string>> = {
  // 20 MB of tool-call argument deltas, 64 KB a frame.
  *args() {
    yield chunk({ role: 'assistant', content: 'before ' });
    yield toolDelta('{"blob": "', true);
    const piece = toolDelta('x'.repeat(65_536));
    for (let index = 0; index < 320; index++) yield piece;
    yield toolDelta('"}');
    yield chunk({}, 'tool_calls');
    yield 'data: [DONE]\n\n';
  },
  // Tool-call arguments nested 6,000 levels (12 KB).
  *deep() {
    yield chunk({ role: 'assistant', content: 'before ' });
    yield toolDelta(`${'['.repeat(6_000)}${']'.repeat(6_000)}`, true);
    yield chunk({}, 'tool_calls');
    yield 'data: [DONE]\n\n';
  },
};

async function startUpstream(): Promise<Server> {
  // A failed replay rejects unhandled and ends the bench, as it did when the handler itself was async.
  const server = createServer((request, response) => void replay(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function replay(request: IncomingMessage, response: ServerResponse): Promise<void> {
  request.resume();
  const scenario = new URL(request.url!, 'http://x').pathname.split('/')[1]!;
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  let closed = false;
  response.once('close', () => (closed = true));
  for (const frame of SCENARIOS[scenario]!()) {
    if (closed || response.destroyed) return;
    if (!response.write(frame)) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  response.end();
}

// --- the gateway under test ---------------------------------------------------------------------
async function seed(dataDir: string): Promise<void> {
  const store = await openStore({ dataDir });
  await store.migrate();
  const at = new Date().toISOString();
  for (let index = 0; index < WORKFLOWS; index++) {
    const id = randomUUID();
    await store.createWorkflow({
      id,
      tenantId: 'default',
      kind: 'AGENT_RUN',
      status: 'RUNNING',
      agentId: 'demo',
      threadId: randomUUID(),
      input: { prompt: 'seeded' },
      metadata: null,
      createdAt: new Date(Date.now() - index),
    });
    const events: AgentEvent[] = [];
    for (let sequence = 1; sequence <= EVENTS_PER_WORKFLOW; sequence++) {
      events.push(
        sequence === EVENTS_PER_WORKFLOW
          ? { type: 'RunCompleted', workflowId: id, sequence, at, output: null, text: '', usage: null }
          : { type: 'TextDelta', workflowId: id, sequence, at, messageId: 'm', delta: `word ${sequence} ` },
      );
    }
    await store.commit(id, events, { status: 'SUCCEEDED', finishedAt: new Date() });
  }
  await store.close();
}

async function startGateway(dataDir: string, upstreamPort: number): Promise<{ child: ChildProcess; url: string }> {
  const configPath = path.join(dataDir, 'synapse.config.json');
  const agent = (id: string) => ({
    id,
    dialect: 'openai-chat',
    url: `http://127.0.0.1:${upstreamPort}/${id}/v1/chat/completions`,
    retry: { attempts: 1 },
  });
  writeFileSync(
    configPath,
    JSON.stringify({ agents: [{ id: 'demo', dialect: 'demo' }, agent('args'), agent('deep')] }),
  );
  // NODE_ENV unset: `npm start` / `synapse serve` as documented (development: introspection on).
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/index.ts', 'serve', '--port', '0', '--config', configPath],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', SYNAPSE_DATA_DIR: dataDir, SYNAPSE_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr.resume();
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (data) => {
      stdout += data;
      const match = stdout.match(/listening on (http:\/\/\S+)/);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the gateway exited with ${code}`)));
  });
  return { child, url };
}

// --- measuring ----------------------------------------------------------------------------------
function rssKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))![1]);
}

interface Measure {
  scenario: string;
  outcome: string;
  ms: number;
  maxProbeMs: number;
  p99ProbeMs: number;
  rssGrowthMb: number;
}

async function measure(
  scenario: string,
  gateway: { child: ChildProcess; url: string },
  attack: () => Promise<string>,
): Promise<Measure> {
  const pid = gateway.child.pid!;
  // Peak RSS from here on: reset the high-water mark (writing 5 to clear_refs does that on Linux).
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not permitted: the peak is then the process's lifetime peak
  }
  const rssBefore = rssKb(pid, 'VmRSS');
  const latencies: number[] = [];
  let done = false;
  const healthz = gateway.url.replace('/graphql', '/healthz');
  const probing = (async () => {
    while (!done) {
      const started = performance.now();
      await (await fetch(healthz)).text();
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const started = performance.now();
  const outcome = await attack().catch((error: unknown) => `error: ${(error as Error).message.slice(0, 120)}`);
  const ms = performance.now() - started;
  done = true;
  await probing;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    scenario,
    outcome,
    ms: Math.round(ms),
    maxProbeMs: Math.round(sorted.at(-1) ?? 0),
    p99ProbeMs: Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0),
    rssGrowthMb: Math.round((rssKb(pid, 'VmHWM') - rssBefore) / 1024),
  };
}

/** A GraphQL response as far as this bench reads it; `data` is typed by each caller. */
interface GraphQLBody {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function graphql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; body: GraphQLBody }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

const summary = (result: { status: number; body: GraphQLBody }) => {
  const error = result.body.errors?.[0];
  if (error) return `${result.status} ${error.extensions?.code ?? ''} ${String(error.message).slice(0, 90)}`;
  return `${result.status} ${JSON.stringify(result.body).length} bytes of data`;
};

async function runToEnd(url: string, agentId: string): Promise<string> {
  const started = await graphql(
    url,
    'mutation ($input: RunAgentInput!) { runAgent(input: $input) { ... on RunAgentPayload { workflow { id } } } }',
    { input: { agentId, prompt: 'go' } },
  );
  const id = (started.body.data as { runAgent: { workflow: { id: string } } }).runAgent.workflow.id;
  const deadline = Date.now() + 40_000;
  for (;;) {
    const read = await graphql(
      url,
      'query ($id: ID!) { workflow(id: $id) { status error { code message } lastSequence } }',
      { id },
    );
    const { workflow } = read.body.data as {
      workflow: { status: string; error: { code: string; message: string } | null; lastSequence: number };
    };
    if (!['QUEUED', 'RUNNING'].includes(workflow.status))
      return `${workflow.status} ${workflow.error?.code ?? ''} (${workflow.lastSequence} events) ${String(workflow.error?.message ?? '').slice(0, 70)}`;
    if (Date.now() > deadline) return `still ${workflow.status} after 40 s (${workflow.lastSequence} events)`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// 3 aliases of `types`, each spreading a fragment with 8 aliases of `fields`, whose types spread
// one with 8 more: about 1.2 KB (the was 1.5 KB with more of the same).
function hostileIntrospection(): string {
  const inner = Array.from({ length: 8 }, (_, index) => `f${index}: fields { name args { name type { name } } }`).join(
    ' ',
  );
  const outer = Array.from(
    { length: 8 },
    (_, index) => `g${index}: fields { name type { ...I ofType { ...I } } }`,
  ).join(' ');
  const top = Array.from({ length: 3 }, (_, index) => `t${index}: types { ...O }`).join(' ');
  return `{ __schema { ${top} } } fragment O on __Type { name ${outer} } fragment I on __Type { name ${inner} }`;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-hostile-'));
  const upstream = await startUpstream();
  let gateway: { child: ChildProcess; url: string } | undefined;
  try {
    await seed(dataDir);
    gateway = await startGateway(dataDir, (upstream.address() as AddressInfo).port);
    const url = gateway.url;
    await graphql(url, '{ agents { id } }'); // warm
    const results: Measure[] = [];
    if (ONLY.has('cost')) {
      const pages =
        'query ($n: Int, $f: Int) { workflows(first: $n) { edges { node { events(first: $f) { __typename ... on TextDelta { delta } } } } } }';
      results.push(
        await measure('cost: first as variables ($n=100, $f=10000)', gateway, async () =>
          summary(await graphql(url, pages, { n: 100, f: 10_000 })),
        ),
      );
      results.push(
        await measure('cost: no arguments (20 × 1000 by default)', gateway, async () =>
          summary(await graphql(url, '{ workflows { edges { node { events { __typename } } } } }')),
        ),
      );
      // Every member of the union, as test/helpers/operations.ts EVENT_FIELDS selects them.
      const members = [
        '... on StreamEvent { workflowId sequence at }',
        '... on RunStarted { agentId input }',
        '... on TextDelta { messageId delta }',
        '... on MessageCompleted { messageId role text }',
        '... on ReasoningDelta { delta }',
        '... on ReasoningStep { title detail }',
        '... on ToolCallStarted { toolCallId toolName }',
        '... on ToolCallArgsDelta { toolCallId delta }',
        '... on ToolCallCompleted { toolCallId toolName arguments }',
        '... on ToolResult { toolCallId result isError }',
        '... on UsageUpdated { usage { inputTokens outputTokens totalTokens reasoningTokens cachedInputTokens } }',
        '... on RunCompleted { output text usage { inputTokens outputTokens totalTokens reasoningTokens cachedInputTokens } }',
        '... on RunFailed { code message retryable recoverySuggestion usage { totalTokens } }',
        '... on RunCancelled { reason usage { totalTokens } }',
        '... on CustomEvent { name value }',
        '... on LogMessage { level message }',
        '... on StepStarted { name }',
        '... on StepFinished { name }',
        '... on StateSnapshot { state }',
        '... on StateDelta { patch }',
        '... on InterruptRequested { interruptId toolCallId value }',
      ].join(' ');
      const history = `{ workflows(first: 1) { edges { node { events(first: 100) { __typename ${members} } } } } }`;
      results.push(
        await measure('cost: an ordinary history read, 100 events, every member', gateway, async () =>
          summary(await graphql(url, history)),
        ),
      );
    }
    if (ONLY.has('introspection')) {
      const query = hostileIntrospection();
      results.push(
        await measure(`introspection: ${query.length} B of aliases and fragments`, gateway, async () =>
          summary(await graphql(url, query)),
        ),
      );
    }
    if (ONLY.has('args'))
      results.push(await measure('tool-call arguments: 20 MB in 64 KB deltas', gateway, () => runToEnd(url, 'args')));
    if (ONLY.has('deep'))
      results.push(await measure('upstream JSON nested 6,000 levels', gateway, () => runToEnd(url, 'deep')));
    console.log(`root: ${ROOT}`);
    console.table(results);
  } finally {
    gateway?.child.kill('SIGKILL');
    upstream.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
