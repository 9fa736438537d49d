/**
 * What tools cost on this machine: `npx tsx bench/tools.ts`.
 * 1. The commit path: batches without tool events vs batches that carry a whole tool call
 *    (the records are written in the same transaction).
 * 2. Argument validation (ajv, compiled once) per call.
 * 3. callTool end to end over HTTP (the demo's calculator): workflow, 2 commits, result.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AgentEventBody } from '../src/events/index.js';
import { parseConfig } from '../src/config/index.js';
import { silentLogger } from '../src/logger.js';
import { createSynapseServer } from '../src/server/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { ArgumentValidator } from '../src/tools/index.js';

const BATCHES = 1000;
const ROUNDS = 5;

/**
 * Per-batch commit time on an in-memory SQLite (the CPU cost of the statements, without disk
 * noise). Cases run interleaved, ROUNDS times, and the best round counts: on a shared, busy
 * machine the minimum is the figure that repeats.
 */
const statements: number[] = [];

async function commitRound(bodiesOf: (index: number) => AgentEventBody[], caseIndex: number): Promise<number> {
  let counting = false;
  let count = 0;
  const store = await openSqliteStore({
    filename: ':memory:',
    log: (event) => {
      if (counting && event.level === 'query') count++;
    },
  });
  try {
    await store.createWorkflow({
      id: 'w',
      tenantId: 'default',
      kind: 'AGENT_RUN',
      status: 'RUNNING',
      agentId: 'a',
      threadId: null,
      input: {},
      metadata: null,
      createdAt: new Date(),
    });
    let sequence = 0;
    counting = true;
    const started = process.hrtime.bigint();
    for (let index = 0; index < BATCHES; index++) {
      const events = bodiesOf(index).map((body) => ({
        ...body,
        workflowId: 'w',
        sequence: ++sequence,
        at: new Date().toISOString(),
      }));
      await store.commit('w', events, {});
    }
    const micros = Number(process.hrtime.bigint() - started) / 1000 / BATCHES;
    statements[caseIndex] = count / BATCHES;
    return micros;
  } finally {
    await store.close();
  }
}

const CASES: [string, (index: number) => AgentEventBody[]][] = [
  [
    'commit, 3 events without tool events',
    () => [
      { type: 'TextDelta', messageId: 'm', delta: 'a' },
      { type: 'ReasoningDelta', delta: 'b' },
      { type: 'TextDelta', messageId: 'n', delta: 'c' },
    ],
  ],
  [
    'commit, one whole tool call (+ its record)',
    (index) => [
      { type: 'ToolCallStarted', toolCallId: `c${index}`, toolName: 'calculator' },
      { type: 'ToolCallCompleted', toolCallId: `c${index}`, toolName: 'calculator', arguments: { expression: '1+1' } },
      { type: 'ToolResult', toolCallId: `c${index}`, result: { value: 2 }, isError: false },
    ],
  ],
  [
    'commit, a tool call split over 2 batches',
    (index) =>
      index % 2 === 0
        ? [
            { type: 'ToolCallStarted', toolCallId: `c${index}`, toolName: 'calculator' },
            { type: 'ReasoningDelta', delta: 'x' },
            { type: 'ReasoningDelta', delta: 'y' },
          ]
        : [
            {
              type: 'ToolCallCompleted',
              toolCallId: `c${index - 1}`,
              toolName: 'calculator',
              arguments: { expression: '1+1' },
            },
            { type: 'ToolResult', toolCallId: `c${index - 1}`, result: { value: 2 }, isError: false },
            { type: 'ReasoningDelta', delta: 'z' },
          ],
  ],
];
const best = CASES.map(() => Number.POSITIVE_INFINITY);
for (let round = 0; round < ROUNDS; round++) {
  for (const [index, [, bodiesOf]] of CASES.entries())
    best[index] = Math.min(best[index]!, await commitRound(bodiesOf, index));
}
for (const [index, [label]] of CASES.entries())
  console.log(
    `${label.padEnd(48)} ${best[index]!.toFixed(1)} µs per batch of 3 events, ${statements[index]} statements`,
  );

const validator = new ArgumentValidator();
const schema = {
  type: 'object',
  properties: {
    query: { type: 'string', minLength: 1 },
    filters: {
      type: 'object',
      properties: { limit: { type: 'integer', minimum: 1 }, tags: { type: 'array', items: { type: 'string' } } },
      required: ['limit'],
    },
  },
  required: ['query'],
  additionalProperties: false,
};
const good = { query: 'synapse', filters: { limit: 3, tags: ['a', 'b'] } };
const bad = { query: '', filters: { limit: 0, tags: [1] }, extra: true };
for (const [label, value] of [
  ['valid', good],
  ['invalid (4 issues)', bad],
] as const) {
  const runs = 100_000;
  const started = process.hrtime.bigint();
  for (let index = 0; index < runs; index++) validator.check(schema, value);
  console.log(
    `${`validate arguments, ${label}`.padEnd(48)} ${(Number(process.hrtime.bigint() - started) / 1000 / runs).toFixed(2)} µs per call`,
  );
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-bench-'));
const server = await createSynapseServer({
  config: parseConfig(
    { server: { port: 0 }, agents: [{ id: 'demo', dialect: 'demo' }] },
    { env: { SYNAPSE_DATA_DIR: dataDir }, source: 'bench' },
  ),
  logger: silentLogger,
});
await server.listen();
try {
  const body = JSON.stringify({
    query: 'mutation($i: CallToolInput!) { callTool(input: $i) { __typename ... on CallToolPayload { result } } }',
    variables: { i: { agentId: 'demo', tool: 'calculator', arguments: { expression: '12 * (3 + 4)' } } },
  });
  const once = () =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((response) =>
      response.json(),
    );
  for (let index = 0; index < 50; index++) await once();
  const calls = 500;
  const started = process.hrtime.bigint();
  for (let index = 0; index < calls; index++) await once();
  console.log(
    `${'callTool calculator over HTTP, sequential'.padEnd(48)} ${(Number(process.hrtime.bigint() - started) / 1e6 / calls).toFixed(2)} ms per call`,
  );
} finally {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
