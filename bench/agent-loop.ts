/**
 * The agent runtime's own cost per model turn, without the model and the tools:
 * `npm run bench -- --only agentloop`, or `npx tsx bench/agent-loop.ts` alone (docs/runtime.md, "Cost"). The loop wraps an in-process model that
 * answers at once (a short text, one tool call, usage) and an in-process tool that answers at
 * once; what is measured is the loop around them: conversation, usage sum, argument validation,
 * step events. Each run is TURNS turns (TURNS - 1 with a tool call, the last an answer).
 */
import { pathToFileURL } from 'node:url';
import { parseConfig } from '../src/config/index.js';
import type { AgentEventBody } from '../src/events/index.js';
import type { Dialect, DialectRunContext } from '../src/dialects/index.js';
import { withAgentLoop, type RuntimeTools } from '../src/runtime/index.js';
import { ArgumentValidator } from '../src/tools/index.js';
import type { RegisteredTool, ToolSource } from '../src/tools/types.js';

const TURNS = 8;
const RUNS = 2_000;
const ROUNDS = 5;

const model: Dialect = {
  name: 'openai-chat',
  async *runBatches(context: DialectRunContext): AsyncGenerator<AgentEventBody[]> {
    const turn = context.modelTurn!.conversation.filter((message) => message.role === 'assistant').length;
    const usage = {
      inputTokens: 100,
      outputTokens: 10,
      totalTokens: 110,
      reasoningTokens: null,
      cachedInputTokens: null,
    };
    if (turn < TURNS - 1) {
      yield [
        { type: 'TextDelta', messageId: `m${turn}`, delta: 'Looking it up.' },
        { type: 'ToolCallStarted', toolCallId: `c${turn}`, toolName: 'lookup' },
        { type: 'ToolCallCompleted', toolCallId: `c${turn}`, toolName: 'lookup', arguments: { order: `A${turn}` } },
        { type: 'UsageUpdated', usage },
        { type: 'RunCompleted', output: 'Looking it up.', text: 'Looking it up.', usage },
      ];
    } else {
      yield [
        { type: 'TextDelta', messageId: 'last', delta: 'Done.' },
        { type: 'UsageUpdated', usage },
        { type: 'RunCompleted', output: 'Done.', text: 'Done.', usage },
      ];
    }
  },
};

const source: ToolSource = {
  kind: 'http',
  label: 'bench',
  timeoutMs: 30_000,
  maxResultBytes: 1_048_576,
  tools: () => [tool],
  call: async ({ arguments: args }) => ({ result: { found: true, query: args }, isError: false }),
};
const tool: RegisteredTool = {
  name: 'lookup',
  description: 'Looks an order up.',
  inputSchema: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
  source,
};
const tools: RuntimeTools = { validator: new ArgumentValidator(), list: () => [tool], find: async () => tool };
const agent = parseConfig(
  {
    agents: [
      {
        id: 'bench',
        dialect: 'openai-chat',
        url: 'http://127.0.0.1:1/v1/chat/completions',
        instructions: 'Be brief.',
        maxSteps: TURNS,
      },
    ],
  },
  { env: {}, source: 'bench' },
).agents[0]!;
const loop = withAgentLoop(model, tools);

async function oneRun(): Promise<number> {
  const context: DialectRunContext = {
    workflowId: 'w',
    threadId: 't',
    agent,
    input: { messages: [{ role: 'user', content: 'Where are my orders?' }] },
    signal: new AbortController().signal,
  };
  let events = 0;
  for await (const batch of loop.runBatches(context)) events += batch.length;
  return events;
}

export interface AgentLoopResult {
  turnsPerRun: number;
  runs: number;
  /** Microseconds per turn, best round. */
  bestUsPerTurn: number;
  roundsUsPerTurn: number[];
}

/** Runs the loop `runs` times per round, `rounds` rounds; the figure is the best round. */
export async function measureAgentLoop(runs = RUNS, rounds = ROUNDS): Promise<AgentLoopResult> {
  const perTurn: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    for (let index = 0; index < runs; index++) await oneRun();
    const elapsedUs = Number(process.hrtime.bigint() - started) / 1_000;
    perTurn.push(Number((elapsedUs / (runs * TURNS)).toFixed(1)));
  }
  return { turnsPerRun: TURNS, runs, bestUsPerTurn: Math.min(...perTurn), roundsUsPerTurn: perTurn };
}

export function describeAgentLoop(result: AgentLoopResult): string {
  return `agent loop, ${result.turnsPerRun} turns per run, ${result.runs} runs, best of ${result.roundsUsPerTurn.length} rounds: ${result.bestUsPerTurn.toFixed(1)} µs per turn (rounds: ${result.roundsUsPerTurn.map((value) => value.toFixed(1)).join(', ')})`;
}

// Run on its own: npx tsx bench/agent-loop.ts
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(describeAgentLoop(await measureAgentLoop()));
}
