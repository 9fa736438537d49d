import { setTimeout as sleep } from 'node:timers/promises';
import { makeUsage, type AgentEventBody } from '../events/index.js';
import { calculate, findExpression } from './demo-calculator.js';
import type { Dialect, DialectRunContext, ResolvedInterrupt } from './types.js';

const DEFAULT_WORD_DELAY_MS = 40;
const MESSAGE_ID = 'msg_1';
const TOOL_CALL_ID = 'call_1';

/**
 * The built-in scripted agent, so the gateway does something real with no keys: it reasons
 * about the prompt, calls the calculator tool (on the prompt's arithmetic, or on its average
 * word length), streams its answer word by word and reports usage. Deterministic for a given
 * prompt.
 */
export const demoDialect: Dialect = {
  name: 'demo',
  tools: [
    {
      name: 'calculator',
      description: 'Evaluates an arithmetic expression with + - * / and parentheses.',
      inputSchema: {
        type: 'object',
        properties: { expression: { type: 'string', description: 'For example "12 * (3 + 4)"' } },
        required: ['expression'],
        additionalProperties: false,
      },
    },
  ],
  // one body per batch: the demo's bodies are apart in time (the word delay)
  runBatches: runDemo,
};

/** What the demo keeps across a pause (docs/human-in-the-loop.md). */
interface DemoPauseState {
  expression: string | null;
}

/** The answer a person must give when the demo asks for an expression. */
export const DEMO_EXPRESSION_SCHEMA = {
  type: 'object',
  properties: { expression: { type: 'string', minLength: 1 } },
  required: ['expression'],
  additionalProperties: false,
};

async function* runDemo(context: DialectRunContext): AsyncGenerator<AgentEventBody[]> {
  if (context.resume) {
    yield* resumeDemo(context);
    return;
  }
  const prompt = lastUserText(context);
  const promptWords = prompt.split(/\s+/).filter(Boolean);
  const letters = promptWords.join('').length;
  const found = findExpression(prompt);
  const expression = found ?? `${letters} / ${Math.max(promptWords.length, 1)}`;
  const delayMs = context.agent.demo?.wordDelayMs ?? DEFAULT_WORD_DELAY_MS;

  if (context.agent.demo?.askHuman && !found) {
    // No arithmetic: ask the person which expression to evaluate, then wait (the run pauses).
    yield [
      {
        type: 'ReasoningStep',
        title: 'No arithmetic in the prompt',
        detail: { words: promptWords.length, expression: null },
      },
    ];
    yield [
      {
        type: 'InterruptRequested',
        interruptId: 'ask_expression',
        kind: 'INPUT',
        toolCallId: null,
        tool: null,
        arguments: null,
        message: 'Which expression should the calculator evaluate?',
        responseSchema: DEMO_EXPRESSION_SCHEMA,
        expiresAt: null,
        value: { prompt },
      },
    ];
    context.pause?.({ expression: null } satisfies DemoPauseState);
    return;
  }

  yield [
    {
      type: 'ReasoningStep',
      title: found ? 'The prompt contains arithmetic' : 'No arithmetic in the prompt',
      detail: { words: promptWords.length, expression },
    },
  ];

  yield [{ type: 'ToolCallStarted', toolCallId: TOOL_CALL_ID, toolName: 'calculator' }];
  const argumentsJson = JSON.stringify({ expression });
  const half = Math.ceil(argumentsJson.length / 2);
  yield [{ type: 'ToolCallArgsDelta', toolCallId: TOOL_CALL_ID, delta: argumentsJson.slice(0, half) }];
  yield [{ type: 'ToolCallArgsDelta', toolCallId: TOOL_CALL_ID, delta: argumentsJson.slice(half) }];
  yield [{ type: 'ToolCallCompleted', toolCallId: TOOL_CALL_ID, toolName: 'calculator', arguments: { expression } }];

  if (context.agent.demo?.askHuman) {
    yield [
      {
        type: 'InterruptRequested',
        interruptId: `approve_${TOOL_CALL_ID}`,
        kind: 'TOOL_APPROVAL',
        toolCallId: TOOL_CALL_ID,
        tool: 'calculator',
        arguments: { expression },
        message: `May the calculator evaluate ${expression}?`,
        responseSchema: null,
        expiresAt: null,
        value: null,
      },
    ];
    context.pause?.({ expression } satisfies DemoPauseState);
    return;
  }

  let value: number | null = null;
  try {
    value = round(calculate(expression));
    yield [{ type: 'ToolResult', toolCallId: TOOL_CALL_ID, result: { value }, isError: false }];
  } catch (error) {
    const message = error instanceof SyntaxError ? error.message : 'the tool failed inside the gateway';
    yield [{ type: 'ToolResult', toolCallId: TOOL_CALL_ID, result: { error: message }, isError: true }];
  }

  const answer = composeAnswer(prompt, promptWords.length, found, expression, value);
  const words = answer.split(' ');
  for (const [index, word] of words.entries()) {
    if (delayMs > 0 && !(await pause(delayMs, context.signal))) return;
    yield [{ type: 'TextDelta', messageId: MESSAGE_ID, delta: index === 0 ? word : ` ${word}` }];
  }
  yield [{ type: 'MessageCompleted', messageId: MESSAGE_ID, role: 'assistant', text: answer }];

  const usage = makeUsage({ inputTokens: promptWords.length, outputTokens: words.length });
  yield [{ type: 'UsageUpdated', usage }];
  yield [{ type: 'RunCompleted', output: { answer: value, expression }, text: answer, usage }];
}

/** The demo after a pause: the answers decide what the calculator evaluates, if anything. */
async function* resumeDemo(context: DialectRunContext): AsyncGenerator<AgentEventBody[]> {
  const state = (context.resume!.state ?? {}) as DemoPauseState;
  const answer: ResolvedInterrupt | undefined = context.resume!.answers[0];
  const delayMs = context.agent.demo?.wordDelayMs ?? DEFAULT_WORD_DELAY_MS;
  let expression = state.expression;
  let rejected: string | null = null;
  if (answer?.request.kind === 'INPUT') {
    const given = (answer.value as { expression?: unknown } | null)?.expression;
    expression =
      typeof given === 'string' ? given : typeof given === 'number' || typeof given === 'boolean' ? String(given) : '';
    yield [{ type: 'ToolCallStarted', toolCallId: TOOL_CALL_ID, toolName: 'calculator' }];
    yield [{ type: 'ToolCallCompleted', toolCallId: TOOL_CALL_ID, toolName: 'calculator', arguments: { expression } }];
  } else if (answer?.decision === 'APPROVE') {
    const edited = (answer.arguments as { expression?: unknown } | null)?.expression;
    if (typeof edited === 'string') expression = edited;
  } else {
    rejected = answer?.comment ?? 'no reason given';
  }

  let value: number | null = null;
  let text: string;
  if (rejected !== null) {
    yield [{ type: 'ToolResult', toolCallId: TOOL_CALL_ID, result: { error: `rejected: ${rejected}` }, isError: true }];
    text = `The calculator call was rejected (${rejected}), so I have no result.`;
  } else {
    try {
      value = round(calculate(expression ?? ''));
      yield [{ type: 'ToolResult', toolCallId: TOOL_CALL_ID, result: { value }, isError: false }];
      text = `I asked the calculator: ${expression} = ${value}.`;
    } catch (error) {
      yield [
        { type: 'ToolResult', toolCallId: TOOL_CALL_ID, result: { error: (error as Error).message }, isError: true },
      ];
      text = `The calculator could not evaluate ${expression}.`;
    }
  }
  const words = text.split(' ');
  for (const [index, word] of words.entries()) {
    if (delayMs > 0 && !(await pause(delayMs, context.signal))) return;
    yield [{ type: 'TextDelta', messageId: 'msg_2', delta: index === 0 ? word : ` ${word}` }];
  }
  yield [{ type: 'MessageCompleted', messageId: 'msg_2', role: 'assistant', text }];
  yield [{ type: 'RunCompleted', output: { answer: value, expression }, text, usage: null }];
}

function composeAnswer(
  prompt: string,
  wordCount: number,
  found: string | null,
  expression: string,
  value: number | null,
): string {
  const quoted = prompt.length > 80 ? `${prompt.slice(0, 77)}...` : prompt;
  const result =
    value === null
      ? `The calculator could not evaluate ${expression}.`
      : found
        ? `I asked the calculator: ${expression} = ${value}.`
        : `It has ${wordCount} words of ${value} letters on average, by the calculator.`;
  return `You said: "${quoted}". ${result} This answer comes from the built-in demo agent; point Synapse at a real upstream in synapse.config.yaml.`;
}

function lastUserText(context: DialectRunContext): string {
  const messages = context.input.messages;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role === 'user') return message.content;
  }
  return '';
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Waits, or resolves false at once when the run is aborted. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
