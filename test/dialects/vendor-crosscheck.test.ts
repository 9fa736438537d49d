import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockDialectName, type RunningMock } from '../../src/mock-upstream/index.js';
import { ofType, startGateway, terminalOf, textOf, type StreamedEvent } from './harness.js';

/**
 * Our reading of an upstream's bytes against the vendor's own: each mock upstream's recorded
 * `full` stream is read once by the vendor's SDK (its stream accumulation, its event schemas) and
 * once by Synapse through the real gateway, and the two readings must agree. For `ai-sdk`, the
 * upstream is a real AI SDK server. Loopback only; package versions in docs/dialects.md.
 */
const PROMPT = 'What is the weather in Zürich and Tokyo?';
const mocks = new Map<MockDialectName, RunningMock>();
let gateway: Awaited<ReturnType<typeof startGateway>>;

const AGENTS: Partial<Record<MockDialectName, (url: string) => Record<string, unknown>>> = {
  'openai-chat': (url) => ({ url: `${url}/v1/chat/completions`, model: 'gpt-4o-mini' }),
  'openai-responses': (url) => ({ url: `${url}/v1/responses`, model: 'o4-mini' }),
};

beforeAll(async () => {
  const agents: Record<string, unknown>[] = [];
  for (const [dialect, agent] of Object.entries(AGENTS) as [MockDialectName, (url: string) => Record<string, unknown>][]) {
    const mock = await startMockUpstream({ dialect, chunking: 'random', seed: 5 });
    mocks.set(dialect, mock);
    agents.push({ id: dialect, dialect, ...agent(mock.url) });
  }
  gateway = await startGateway(agents);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([...mocks.values()].map((mock) => mock.close()));
});

/** Synapse's reading: the streamed events and the stored workflow of one run. */
async function synapseReading(agentId: string) {
  const run = await gateway.run({ agentId, prompt: PROMPT });
  const events = await gateway.stream(run.id);
  const workflow = await gateway.workflow(run.id);
  expect(workflow.status).toBe('SUCCEEDED');
  return {
    events,
    workflow,
    text: textOf(events),
    reasoning: ofType(events, 'ReasoningDelta').map((event) => event.delta).join(''),
    toolCalls: (workflow.toolCalls as { id: string; toolName: string; arguments: unknown }[]).map((call) => ({ id: call.id, name: call.toolName, arguments: call.arguments })),
    usage: terminalOf(events).usage as Record<string, number | null> | null,
  };
}

const openai = (dialect: MockDialectName) => new OpenAI({ apiKey: 'sk-test', baseURL: `${mocks.get(dialect)!.url}/v1`, maxRetries: 0 });
const parse = (text: string) => JSON.parse(text) as unknown;

describe('openai-chat against the openai SDK', () => {
  it("agrees with ChatCompletionStream's accumulation: text, tool calls, usage", async () => {
    const stream = openai('openai-chat').chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }], stream_options: { include_usage: true } });
    // the SDK keeps non-standard delta fields (vLLM's `reasoning_content`) only as the last piece: read them off its chunks
    let sdkReasoning = '';
    stream.on('chunk', (chunk) => {
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string } | undefined;
      sdkReasoning += delta?.reasoning_content ?? '';
    });
    const completion = await stream.finalChatCompletion();
    const message = completion.choices[0]!.message;
    const ours = await synapseReading('openai-chat');

    expect(ours.text).toBe(message.content);
    expect(ours.workflow.text).toBe(message.content);
    expect(ours.reasoning).toBe(sdkReasoning);
    expect(ours.toolCalls).toEqual(
      message.tool_calls!.map((call) => {
        if (call.type !== 'function') throw new Error(`unexpected tool call type ${call.type}`);
        return { id: call.id, name: call.function.name, arguments: parse(call.function.arguments) };
      }),
    );
    expect(ours.toolCalls).toHaveLength(2);
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    const usage = completion.usage!;
    expect(ours.usage).toEqual({
      inputTokens: usage.prompt_tokens,
      outputTokens: usage.completion_tokens,
      totalTokens: usage.total_tokens,
      reasoningTokens: usage.completion_tokens_details?.reasoning_tokens,
      cachedInputTokens: usage.prompt_tokens_details?.cached_tokens,
    });
    expect(ours.workflow.usage).toEqual({ inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens, totalTokens: usage.total_tokens });
    // one message, closed once, with the SDK's text
    expect(ofType(ours.events, 'MessageCompleted').map((event: StreamedEvent) => event.text)).toEqual([message.content]);
  });
});

describe('openai-responses against the openai SDK', () => {
  it("agrees with ResponseStream's final response: text, reasoning summary, function calls, usage", async () => {
    const stream = openai('openai-responses').responses.stream({ model: 'o4-mini', input: PROMPT });
    const response = await stream.finalResponse();
    const ours = await synapseReading('openai-responses');

    expect(ours.text).toBe(response.output_text);
    expect(ours.workflow.text).toBe(response.output_text);
    const reasoning = response.output.flatMap((item) => (item.type === 'reasoning' ? item.summary.map((part) => part.text) : []));
    expect(ours.reasoning).toBe(reasoning.join(''));
    const calls = response.output.flatMap((item) => (item.type === 'function_call' ? [{ id: item.call_id, name: item.name, arguments: parse(item.arguments) }] : []));
    expect(calls).toHaveLength(2);
    // Synapse orders calls by when they started; the SDK by output index: the same here
    expect(ours.toolCalls).toEqual(calls);
    const usage = response.usage!;
    expect(ours.usage).toEqual({
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      totalTokens: usage.total_tokens,
      reasoningTokens: usage.output_tokens_details.reasoning_tokens,
      cachedInputTokens: usage.input_tokens_details.cached_tokens,
    });
  });
});
