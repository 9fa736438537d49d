import { EventSchemas } from '@ag-ui/core/schemas';
import { EventEncoder } from '@ag-ui/encoder';
import Anthropic from '@anthropic-ai/sdk';
import {
  convertToModelMessages,
  DefaultChatTransport,
  readUIMessageStream,
  simulateReadableStream,
  stepCountIs,
  streamText,
  tool,
  type StepResult,
  type ToolSet,
  type UIMessage,
} from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { createParser } from 'eventsource-parser';
import { createServer, type Server } from 'node:http';
import { z } from 'zod';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockDialectName, type RunningMock } from '../../src/mock-upstream/index.js';
import { ofType, startGateway, terminalOf, textOf, type StreamedEvent } from './harness.js';
import { sleep } from '../helpers/async.js';
import { listenOnLoopback } from '../helpers/net.js';
import type { LooseData } from '../helpers/graphql-clients.js';

/**
 * Our reading of an upstream's bytes against the vendor's own: each mock upstream's recorded
 * `full` stream is read once by the vendor's SDK (its stream accumulation, its event schemas) and
 * once by Synapse through the real gateway, and the two readings must agree. For `ai-sdk`, the
 * upstream is a real AI SDK server. Loopback only; package versions in docs/dialects.md.
 */
const PROMPT = 'What is the weather in Zürich and Tokyo?';
const mocks = new Map<string, RunningMock>();
let gateway: Awaited<ReturnType<typeof startGateway>>;
let aiSdk: Awaited<ReturnType<typeof startAiSdkServer>>;

/** Agent id → the mock upstream it reads (dialect, scenario) and its config. */
const AGENTS: Record<
  string,
  { dialect: MockDialectName; scenario?: string; agent: (url: string) => Record<string, unknown> }
> = {
  'openai-chat': {
    dialect: 'openai-chat',
    agent: (url) => ({ url: `${url}/v1/chat/completions`, model: 'gpt-4o-mini' }),
  },
  'openai-responses': {
    dialect: 'openai-responses',
    agent: (url) => ({ url: `${url}/v1/responses`, model: 'o4-mini' }),
  },
  'anthropic-messages': {
    dialect: 'anthropic-messages',
    agent: (url) => ({ url: `${url}/v1/messages`, model: 'claude-sonnet-4-5' }),
  },
  'ag-ui': { dialect: 'ag-ui', agent: (url) => ({ url: `${url}/agent` }) },
  'ag-ui-interrupt': { dialect: 'ag-ui', scenario: 'interrupt', agent: (url) => ({ url: `${url}/agent` }) },
  'ag-ui-thinking': { dialect: 'ag-ui', scenario: 'thinking', agent: (url) => ({ url: `${url}/agent` }) },
  'ai-sdk-fixture': { dialect: 'ai-sdk', agent: (url) => ({ url: `${url}/api/chat` }) },
  'anthropic-usage': {
    dialect: 'anthropic-messages',
    scenario: 'usage',
    agent: (url) => ({ url: `${url}/v1/messages`, model: 'claude-sonnet-4-5' }),
  },
};

beforeAll(async () => {
  const agents: Record<string, unknown>[] = [];
  for (const [id, { dialect, scenario, agent }] of Object.entries(AGENTS)) {
    const mock = await startMockUpstream({ dialect, scenario, chunking: 'random', seed: 5 });
    mocks.set(id, mock);
    agents.push({ id, dialect, ...agent(mock.url) });
  }
  aiSdk = await startAiSdkServer();
  agents.push({ id: 'ai-sdk', dialect: 'ai-sdk', url: `${aiSdk.url}/api/chat` });
  gateway = await startGateway(agents);
});

afterAll(async () => {
  await gateway?.stop();
  await aiSdk?.close();
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
    reasoning: ofType(events, 'ReasoningDelta')
      .map((event) => event.delta)
      .join(''),
    toolCalls: (workflow.toolCalls as { id: string; toolName: string; arguments: unknown }[]).map((call) => ({
      id: call.id,
      name: call.toolName,
      arguments: call.arguments,
    })),
    usage: terminalOf(events).usage as Record<string, number | null> | null,
  };
}

/** A run that pauses for a person: its stored events and tool calls once it is INPUT_REQUIRED. */
async function pausedReading(agentId: string) {
  const run = await gateway.run({ agentId, prompt: PROMPT });
  let workflow = await gateway.workflow(run.id);
  for (let attempt = 0; workflow.status !== 'INPUT_REQUIRED' && attempt < 200; attempt++) {
    await sleep(25);
    workflow = await gateway.workflow(run.id);
  }
  expect(workflow.status).toBe('INPUT_REQUIRED');
  return {
    events: workflow.events as StreamedEvent[],
    toolCalls: (workflow.toolCalls as { id: string; toolName: string; arguments: unknown }[]).map((call) => ({
      id: call.id,
      name: call.toolName,
      arguments: call.arguments,
    })),
  };
}

const openai = (dialect: string) =>
  new OpenAI({ apiKey: 'sk-test', baseURL: `${mocks.get(dialect)!.url}/v1`, maxRetries: 0 });
const parse = (text: string) => JSON.parse(text) as unknown;

describe('openai-chat against the openai SDK', () => {
  it("agrees with ChatCompletionStream's accumulation: text, tool calls, usage", async () => {
    const stream = openai('openai-chat').chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: PROMPT }],
      stream_options: { include_usage: true },
    });
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
        if (call.type !== 'function') throw new Error(`unexpected tool call type ${(call as { type: string }).type}`);
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
    expect(ours.workflow.usage).toEqual({
      inputTokens: usage.prompt_tokens,
      outputTokens: usage.completion_tokens,
      totalTokens: usage.total_tokens,
    });
    // one message, closed once, with the SDK's text
    expect(ofType(ours.events, 'MessageCompleted').map((event: StreamedEvent) => event.text)).toEqual([
      message.content,
    ]);
  });
});

describe('openai-responses against the openai SDK', () => {
  it("agrees with ResponseStream's final response: text, reasoning summary, function calls, usage", async () => {
    const stream = openai('openai-responses').responses.stream({ model: 'o4-mini', input: PROMPT });
    const response = await stream.finalResponse();
    const ours = await synapseReading('openai-responses');

    expect(ours.text).toBe(response.output_text);
    expect(ours.workflow.text).toBe(response.output_text);
    const reasoning = response.output.flatMap((item) =>
      item.type === 'reasoning' ? item.summary.map((part) => part.text) : [],
    );
    expect(ours.reasoning).toBe(reasoning.join(''));
    const calls = response.output.flatMap((item) =>
      item.type === 'function_call' ? [{ id: item.call_id, name: item.name, arguments: parse(item.arguments) }] : [],
    );
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

describe('anthropic-messages against @anthropic-ai/sdk', () => {
  const anthropic = (id: string) =>
    new Anthropic({ apiKey: 'sk-ant-test', baseURL: mocks.get(id)!.url, maxRetries: 0 });
  const params = {
    model: 'claude-sonnet-4-5',
    max_tokens: 4096,
    messages: [{ role: 'user' as const, content: PROMPT }],
  };

  /** Synapse's usage from the SDK's: input counts every input token, cached ones included. */
  const expectedUsage = (usage: Anthropic.Usage) => {
    const input = usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
    return {
      inputTokens: input,
      outputTokens: usage.output_tokens,
      totalTokens: input + usage.output_tokens,
      reasoningTokens: null,
      cachedInputTokens: usage.cache_read_input_tokens,
    };
  };

  it("agrees with MessageStream's final message: text, thinking, tool_use input, usage", async () => {
    const message = await anthropic('anthropic-messages').messages.stream(params).finalMessage();
    const ours = await synapseReading('anthropic-messages');

    const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
    expect(ours.text).toBe(text);
    expect(ours.workflow.text).toBe(text);
    expect(ours.reasoning).toBe(
      message.content.flatMap((block) => (block.type === 'thinking' ? [block.thinking] : [])).join(''),
    );
    expect(ours.reasoning).not.toBe('');
    const toolUses = message.content.flatMap((block) =>
      block.type === 'tool_use' ? [{ id: block.id, name: block.name, arguments: block.input }] : [],
    );
    expect(toolUses).toHaveLength(2);
    expect(ours.toolCalls).toEqual(toolUses);
    expect(message.stop_reason).toBe('tool_use');
    expect(ours.usage).toEqual(expectedUsage(message.usage));
    expect(
      ofType(ours.events, 'MessageCompleted').map((event: StreamedEvent) => [event.messageId, event.text]),
    ).toEqual([[message.id, text]]);
  });

  it('agrees on usage that message_delta updates count by count', async () => {
    const message = await anthropic('anthropic-usage').messages.stream(params).finalMessage();
    const ours = await synapseReading('anthropic-usage');
    expect(ours.text).toBe('Sunny.');
    expect(message.usage).toMatchObject({
      input_tokens: 310,
      cache_creation_input_tokens: 20,
      cache_read_input_tokens: 120,
      output_tokens: 6,
    });
    expect(ours.usage).toEqual(expectedUsage(message.usage));
  });
});

/** The SSE frames a mock upstream answers, as raw text and parsed `data:` JSON. */
async function readSse(url: string): Promise<{ raw: string; events: LooseData[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const raw = await response.text();
  const events: LooseData[] = [];
  const parser = createParser({ onEvent: (event) => events.push(JSON.parse(event.data) as LooseData) });
  parser.feed(raw);
  return { raw, events };
}

describe('ag-ui against @ag-ui/core and @ag-ui/encoder', () => {
  it("every event of the recorded stream is valid under @ag-ui/core's EventSchemas, and is what @ag-ui/encoder writes", async () => {
    const { raw, events } = await readSse(`${mocks.get('ag-ui')!.url}/agent`);
    expect(events.length).toBeGreaterThan(20);
    for (const event of events) {
      const result = EventSchemas.safeParse(event);
      expect(result.success, `${event.type}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
    }
    // the wire bytes are the official encoder's SSE, event by event
    const encoder = new EventEncoder();
    expect(events.map((event) => encoder.encodeSSE(event as never)).join('')).toBe(raw);
  });

  it('Synapse maps each of them: text, reasoning, tool calls, results, steps, state, usage', async () => {
    const { events: upstream } = await readSse(`${mocks.get('ag-ui')!.url}/agent`);
    const parsed = upstream.map((event) => EventSchemas.parse(event));
    const of = (type: string) => parsed.filter((event) => (event.type as string) === type) as LooseData[];
    const ours = await synapseReading('ag-ui');

    expect(ours.text).toBe(
      of('TEXT_MESSAGE_CONTENT')
        .map((event) => event.delta)
        .join(''),
    );
    expect(ofType(ours.events, 'MessageCompleted')).toHaveLength(of('TEXT_MESSAGE_END').length);
    expect(ours.reasoning).toBe(
      of('REASONING_MESSAGE_CONTENT')
        .map((event) => event.delta)
        .join(''),
    );
    expect(
      ofType(ours.events, 'ToolCallStarted').map((event: StreamedEvent) => [event.toolCallId, event.toolName]),
    ).toEqual(of('TOOL_CALL_START').map((event) => [event.toolCallId, event.toolCallName]));
    expect(ofType(ours.events, 'ToolCallArgsDelta')).toHaveLength(of('TOOL_CALL_ARGS').length);
    expect(ofType(ours.events, 'ToolCallCompleted').map((event: StreamedEvent) => event.toolCallId)).toEqual(
      of('TOOL_CALL_END').map((event) => event.toolCallId),
    );
    for (const start of of('TOOL_CALL_START')) {
      const args = of('TOOL_CALL_ARGS')
        .filter((event) => event.toolCallId === start.toolCallId)
        .map((event) => event.delta)
        .join('');
      expect(ours.toolCalls.find((call) => call.id === start.toolCallId)).toEqual({
        id: start.toolCallId,
        name: start.toolCallName,
        arguments: JSON.parse(args),
      });
    }
    expect(ofType(ours.events, 'ToolResult').map((event: StreamedEvent) => [event.toolCallId, event.result])).toEqual(
      of('TOOL_CALL_RESULT').map((event) => [event.toolCallId, JSON.parse(event.content)]),
    );
    expect(ofType(ours.events, 'StepStarted').map((event: StreamedEvent) => event.name)).toEqual(
      of('STEP_STARTED').map((event) => event.stepName),
    );
    expect(ofType(ours.events, 'StepFinished').map((event: StreamedEvent) => event.name)).toEqual(
      of('STEP_FINISHED').map((event) => event.stepName),
    );
    expect(ofType(ours.events, 'StateSnapshot').map((event: StreamedEvent) => event.state)).toEqual(
      of('STATE_SNAPSHOT').map((event) => event.snapshot),
    );
    expect(ofType(ours.events, 'StateDelta').map((event: StreamedEvent) => event.patch)).toEqual(
      of('STATE_DELTA').map((event) => event.delta),
    );
    expect(ofType(ours.events, 'CustomEvent')).toHaveLength(of('CUSTOM').length + of('RAW').length);
    // 1.0 usage: one TokenUsage per model, summed (each inputTokens already counts its cache reads)
    const usage = of('RUN_FINISHED')[0]!.usage as Record<string, number | undefined>[];
    const sum = (key: string) => usage.reduce((total, entry) => total + (entry[key] ?? 0), 0);
    expect(ours.usage).toEqual({
      inputTokens: sum('inputTokens'),
      outputTokens: sum('outputTokens'),
      totalTokens: sum('totalTokens'),
      reasoningTokens: sum('reasoningTokens'),
      cachedInputTokens: sum('cachedInputTokens'),
    });
  });

  it('maps an AG-UI 1.0 interrupt outcome to InterruptRequested', async () => {
    const { events } = await readSse(`${mocks.get('ag-ui-interrupt')!.url}/agent`);
    for (const event of events) expect(EventSchemas.safeParse(event).success, event.type).toBe(true);
    const interrupts = events.at(-1)!.outcome.interrupts as LooseData[];
    // the run pauses at the interrupt (INPUT_REQUIRED, docs/human-in-the-loop.md): read what is stored
    const ours = await pausedReading('ag-ui-interrupt');
    expect(
      ofType(ours.events, 'InterruptRequested').map((event: StreamedEvent) => [
        event.interruptId,
        event.toolCallId,
        event.value,
      ]),
    ).toEqual(interrupts.map((interrupt) => [interrupt.id, interrupt.toolCallId, interrupt]));
    expect(ours.toolCalls).toEqual([{ id: 'call_pay', name: 'pay_invoice', arguments: { amount: 120 } }]);
  });

  it('still reads the AG-UI 0.x THINKING_* events that 1.0 replaced (and that its schemas refuse)', async () => {
    const { events } = await readSse(`${mocks.get('ag-ui-thinking')!.url}/agent`);
    const thinking = events.filter((event) => String(event.type).startsWith('THINKING_'));
    expect(thinking).toHaveLength(5);
    for (const event of thinking) expect(EventSchemas.safeParse(event).success).toBe(false);
    const ours = await synapseReading('ag-ui-thinking');
    expect(ofType(ours.events, 'ReasoningStep').map((event: StreamedEvent) => event.title)).toEqual([
      'Planning the lookups',
    ]);
    expect(ours.reasoning).toBe('Two cities, two lookups.');
    expect(ours.text).toBe('Sunny.');
  });
});

/** What the AI SDK's test model streams: step 1 reasons, talks and calls two tools in parallel; step 2 answers. */
const usageV3 = (input: number, cacheRead: number, output: number, reasoning: number) => ({
  inputTokens: { total: input, noCache: input - cacheRead, cacheRead, cacheWrite: 0 },
  outputTokens: { total: output, text: output - reasoning, reasoning },
});
const MODEL_STEPS = [
  [
    { type: 'stream-start', warnings: [] },
    { type: 'response-metadata', id: 'resp-1', modelId: 'mock-model', timestamp: new Date(0) },
    { type: 'reasoning-start', id: 'r1' },
    { type: 'reasoning-delta', id: 'r1', delta: 'Two cities, ' },
    { type: 'reasoning-delta', id: 'r1', delta: 'two lookups.' },
    { type: 'reasoning-end', id: 'r1' },
    { type: 'text-start', id: 't1' },
    { type: 'text-delta', id: 't1', delta: 'Checking the café ☕ ' },
    { type: 'text-delta', id: 't1', delta: 'weather in Zürich and 東京 🚀.' },
    { type: 'text-end', id: 't1' },
    { type: 'tool-input-start', id: 'call_zrh', toolName: 'get_weather' },
    { type: 'tool-input-start', id: 'call_tyo', toolName: 'get_weather' },
    { type: 'tool-input-delta', id: 'call_zrh', delta: '{"city":' },
    { type: 'tool-input-delta', id: 'call_tyo', delta: '{"city":"東京"}' },
    { type: 'tool-input-delta', id: 'call_zrh', delta: '"Zürich"}' },
    { type: 'tool-input-end', id: 'call_zrh' },
    { type: 'tool-input-end', id: 'call_tyo' },
    { type: 'tool-call', toolCallId: 'call_zrh', toolName: 'get_weather', input: '{"city":"Zürich"}' },
    { type: 'tool-call', toolCallId: 'call_tyo', toolName: 'get_weather', input: '{"city":"東京"}' },
    { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: usageV3(120, 20, 45, 12) },
  ],
  [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 't2' },
    { type: 'text-delta', id: 't2', delta: 'Zürich: 4 °C.' },
    { type: 'text-end', id: 't2' },
    { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usageV3(200, 100, 15, 0) },
  ],
] as const;

/**
 * A real AI SDK route on loopback: `streamText` with the SDK's test model and a tool, answered
 * with `toUIMessageStreamResponse()` (usage sent as message metadata on `finish`, the documented
 * way), the Web Response piped to node's.
 */
async function startAiSdkServer() {
  const finished: { steps: StepResult<ToolSet>[]; totalUsage: LooseData; requests: UIMessage[][] } = {
    steps: [],
    totalUsage: {},
    requests: [],
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: UIMessage[] };
      finished.requests.push(body.messages);
      let call = 0;
      const model = new MockLanguageModelV3({
        doStream: async () => ({
          stream: simulateReadableStream({ chunks: [...MODEL_STEPS[call++]!] as never[], chunkDelayInMs: 1 }),
        }),
      });
      const result = streamText({
        model,
        messages: await convertToModelMessages(body.messages),
        tools: {
          get_weather: tool({
            inputSchema: z.object({ city: z.string() }),
            execute: async ({ city }) => {
              if (city === '東京') throw new Error('weather service timed out');
              return { city, temperature: 4 };
            },
          }),
        },
        stopWhen: stepCountIs(2),
        onFinish: (event) => {
          finished.steps = event.steps as unknown as StepResult<ToolSet>[];
          finished.totalUsage = event.totalUsage;
        },
      });
      const web = result.toUIMessageStreamResponse({
        sendReasoning: true,
        // the SDK masks errors as "An error occurred." unless the route says otherwise (the documented override)
        onError: (error) => (error instanceof Error ? error.message : String(error)),
        messageMetadata: ({ part }) => (part.type === 'finish' ? { totalUsage: part.totalUsage } : undefined),
      });
      response.writeHead(web.status, Object.fromEntries(web.headers));
      for await (const chunk of web.body as unknown as AsyncIterable<Uint8Array>) response.write(chunk);
      response.end();
    })().catch((error: unknown) => {
      response.destroy(error as Error);
    });
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    finished,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('ai-sdk against a real AI SDK server (streamText + toUIMessageStreamResponse)', () => {
  it('stores the text, reasoning, tool calls, tool results and usage the model streamed', async () => {
    const ours = await synapseReading('ai-sdk');
    const { steps, totalUsage, requests } = aiSdk.finished;
    // Synapse's request is a valid useChat body: the route converted it and the model ran both steps
    expect(requests.at(-1)).toMatchObject([{ role: 'user', parts: [{ type: 'text', text: PROMPT }] }]);
    expect(steps).toHaveLength(2);

    expect(ours.text).toBe(steps.map((step) => step.text).join(''));
    expect(ours.reasoning).toBe(steps.map((step) => step.reasoningText ?? '').join(''));
    expect(ours.reasoning).toBe('Two cities, two lookups.');
    const calls = steps.flatMap((step) =>
      step.toolCalls.map((call) => ({ id: call.toolCallId, name: call.toolName, arguments: call.input })),
    );
    expect(calls).toHaveLength(2);
    expect(ours.toolCalls).toEqual(calls);
    // results: one output, one error, as the tool produced them
    const results = steps.flatMap((step) =>
      step.content.flatMap((part) =>
        part.type === 'tool-result'
          ? [[part.toolCallId, part.output, false]]
          : part.type === 'tool-error'
            ? [[part.toolCallId, { error: String((part.error as Error).message ?? part.error) }, true]]
            : [],
      ),
    );
    expect(
      ofType(ours.events, 'ToolResult').map((event: StreamedEvent) => [event.toolCallId, event.result, event.isError]),
    ).toEqual(results);
    // every chunk the real server sent had a home: nothing fell through to CustomEvent
    expect(ofType(ours.events, 'CustomEvent')).toEqual([]);
    expect(ofType(ours.events, 'StepStarted')).toHaveLength(2);
    expect(ofType(ours.events, 'StepFinished')).toHaveLength(2);
    expect(ours.usage).toEqual({
      inputTokens: totalUsage.inputTokens,
      outputTokens: totalUsage.outputTokens,
      totalTokens: totalUsage.totalTokens,
      reasoningTokens: totalUsage.outputTokenDetails.reasoningTokens,
      cachedInputTokens: totalUsage.inputTokenDetails.cacheReadTokens,
    });
    expect(ours.usage).toMatchObject({
      inputTokens: 320,
      outputTokens: 60,
      totalTokens: 380,
      reasoningTokens: 12,
      cachedInputTokens: 120,
    });
  });
});

describe("ai-sdk's recorded stream against the AI SDK's own client (DefaultChatTransport + readUIMessageStream)", () => {
  it('the UI message useChat builds from the bytes agrees with what Synapse stores', async () => {
    const transport = new DefaultChatTransport({ api: `${mocks.get('ai-sdk-fixture')!.url}/api/chat` });
    const chunks = await transport.sendMessages({
      chatId: 'chat-1',
      messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: PROMPT }] }],
      trigger: 'submit-message',
      messageId: undefined,
      abortSignal: undefined,
    });
    let message: UIMessage | undefined;
    for await (const snapshot of readUIMessageStream({ stream: chunks })) message = snapshot;
    const parts = message!.parts as LooseData[];
    const ours = await synapseReading('ai-sdk-fixture');

    expect(ours.text).toBe(
      parts
        .filter((part) => part.type === 'text')
        .map((part) => part.text)
        .join(''),
    );
    expect(ours.reasoning).toBe(
      parts
        .filter((part) => part.type === 'reasoning')
        .map((part) => part.text)
        .join(''),
    );
    const tools = parts.filter((part) => part.type.startsWith('tool-') || part.type === 'dynamic-tool');
    expect(tools).toHaveLength(2);
    expect(ours.toolCalls).toEqual(
      tools.map((part) => ({
        id: part.toolCallId,
        name: part.toolName ?? part.type.slice('tool-'.length),
        arguments: part.input,
      })),
    );
    expect(
      ofType(ours.events, 'ToolResult').map((event: StreamedEvent) => [event.toolCallId, event.result, event.isError]),
    ).toEqual(
      tools.map((part) =>
        part.state === 'output-error'
          ? [part.toolCallId, { error: part.errorText }, true]
          : [part.toolCallId, part.output, false],
      ),
    );
    expect(ofType(ours.events, 'StepStarted')).toHaveLength(parts.filter((part) => part.type === 'step-start').length);
    expect(ofType(ours.events, 'CustomEvent').map((event: StreamedEvent) => event.name)).toEqual(
      parts.filter((part) => part.type.startsWith('data-') || part.type === 'source-url').map((part) => part.type),
    );
    const usage = (message!.metadata as { totalUsage: LooseData }).totalUsage;
    expect(ours.usage).toEqual({
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      totalTokens: usage.totalTokens,
      reasoningTokens: usage.outputTokenDetails.reasoningTokens,
      cachedInputTokens: usage.inputTokenDetails.cacheReadTokens,
    });
  });
});
