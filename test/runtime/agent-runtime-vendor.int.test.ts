import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedTurn } from '../../src/mock-upstream/model-script.js';
import { startScriptedModel, type ScriptedModel } from '../helpers/scripted-model.js';
import { startToolServer, type ToolServer } from '../helpers/tool-server.js';
import { startGateway, terminalOf } from '../dialects/harness.js';

/**
 * The agent runtime's requests, checked against the vendor SDKs' own request types: each expected
 * body below is typed by the SDK (`satisfies`), and what Synapse sent must equal it. The scripted
 * turns are read by the SDKs' stream helpers, so the servers speak each vendor's format.
 */
const SCHEMA = { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] };
const SCRIPT = (index: number): ScriptedTurn =>
  index === 0
    ? {
        text: 'Checking.',
        toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { order: 'A1' } }],
        usage: { inputTokens: 20, outputTokens: 4 },
      }
    : { text: 'Found it.', usage: { inputTokens: 30, outputTokens: 3 } };
const RESULT = JSON.stringify({ found: true, query: { order: 'A1' } });

let toolServer: ToolServer;
let gateway: Awaited<ReturnType<typeof startGateway>>;
const models: Record<string, ScriptedModel> = {};

beforeAll(async () => {
  toolServer = await startToolServer();
  const agents = [];
  for (const [dialect, path] of [
    ['openai-chat', '/v1/chat/completions'],
    ['openai-responses', '/v1/responses'],
    ['anthropic-messages', '/v1/messages'],
  ] as const) {
    models[dialect] = await startScriptedModel(dialect, SCRIPT);
    agents.push({
      id: dialect,
      dialect,
      url: `${models[dialect].url}${path}`,
      model: 'm',
      instructions: 'Be brief.',
      // the Anthropic SDK's current params have no temperature: each vendor gets a key its type knows
      modelSettings: dialect === 'anthropic-messages' ? { stop_sequences: ['END'] } : { temperature: 0 },
      tools: [
        {
          type: 'http',
          name: 'lookup',
          description: 'Looks an order up.',
          url: `${toolServer.base}/lookup`,
          inputSchema: SCHEMA,
        },
      ],
    });
  }
  gateway = await startGateway(agents);
  for (const dialect of Object.keys(models)) {
    expect(terminalOf(await gateway.runAndStream({ agentId: dialect, prompt: 'Where is A1?' })).__typename).toBe(
      'RunCompleted',
    );
  }
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(Object.values(models).map((model) => model.close()));
  await toolServer?.close();
});

describe('requests typed by the vendor SDKs', () => {
  it('openai-chat: ChatCompletionCreateParamsStreaming, both turns', () => {
    const tools = [
      { type: 'function', function: { name: 'lookup', description: 'Looks an order up.', parameters: SCHEMA } },
    ] satisfies OpenAI.Chat.ChatCompletionTool[];
    const first = {
      model: 'm',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Where is A1?' },
      ],
      tools,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    } satisfies OpenAI.Chat.ChatCompletionCreateParamsStreaming;
    const second = {
      ...first,
      messages: [
        ...first.messages,
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"order":"A1"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: RESULT },
      ],
    } satisfies OpenAI.Chat.ChatCompletionCreateParamsStreaming;
    expect(models['openai-chat']!.bodies).toEqual([first, second]);
  });

  it('openai-responses: ResponseCreateParamsStreaming, both turns', () => {
    const first = {
      model: 'm',
      instructions: 'Be brief.',
      input: [{ role: 'user', content: 'Where is A1?' }],
      tools: [
        { type: 'function', name: 'lookup', description: 'Looks an order up.', parameters: SCHEMA, strict: false },
      ],
      temperature: 0,
      stream: true,
      store: false,
    } satisfies OpenAI.Responses.ResponseCreateParamsStreaming;
    const second = {
      ...first,
      input: [
        ...first.input,
        { role: 'assistant', content: 'Checking.' },
        { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{"order":"A1"}' },
        { type: 'function_call_output', call_id: 'call_1', output: RESULT },
      ],
    } satisfies OpenAI.Responses.ResponseCreateParamsStreaming;
    expect(models['openai-responses']!.bodies).toEqual([first, second]);
  });

  it('anthropic-messages: MessageCreateParamsStreaming, both turns', () => {
    const first = {
      model: 'm',
      max_tokens: 4096,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Where is A1?' }] }],
      tools: [
        { name: 'lookup', description: 'Looks an order up.', input_schema: SCHEMA as Anthropic.Tool.InputSchema },
      ],
      stop_sequences: ['END'],
      stream: true,
    } satisfies Anthropic.MessageCreateParamsStreaming;
    const second = {
      ...first,
      messages: [
        ...first.messages,
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'call_1', name: 'lookup', input: { order: 'A1' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: RESULT }] },
      ],
    } satisfies Anthropic.MessageCreateParamsStreaming;
    expect(models['anthropic-messages']!.bodies).toEqual([first, second]);
  });
});

describe('the scripted turns, read by the vendor SDKs', () => {
  it('openai-chat: the SDK assembles the tool call', async () => {
    const model = await startScriptedModel('openai-chat', SCRIPT);
    try {
      const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${model.url}/v1`, maxRetries: 0 });
      const completion = await client.chat.completions
        .stream({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream_options: { include_usage: true } })
        .finalChatCompletion();
      expect(completion.choices[0]!.message.tool_calls).toEqual([
        expect.objectContaining({
          id: 'call_1',
          function: expect.objectContaining({ name: 'lookup', arguments: '{"order":"A1"}' }),
        }),
      ]);
      expect(completion.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 4 });
    } finally {
      await model.close();
    }
  });

  it('openai-responses: the SDK reads the function call', async () => {
    const model = await startScriptedModel('openai-responses', SCRIPT);
    try {
      const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${model.url}/v1`, maxRetries: 0 });
      const response = await client.responses.stream({ model: 'm', input: 'x' }).finalResponse();
      expect(response.output).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            type: 'function_call',
            call_id: 'call_1',
            name: 'lookup',
            arguments: '{"order":"A1"}',
          }),
        ]),
      );
      expect(response.usage).toMatchObject({ input_tokens: 20, output_tokens: 4 });
    } finally {
      await model.close();
    }
  });

  it('anthropic-messages: the SDK reads the tool_use block', async () => {
    const model = await startScriptedModel('anthropic-messages', SCRIPT);
    try {
      const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: model.url, maxRetries: 0 });
      const message = await client.messages
        .stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
        .finalMessage();
      expect(message.content).toEqual([
        expect.objectContaining({ type: 'text', text: 'Checking.' }),
        expect.objectContaining({ type: 'tool_use', id: 'call_1', name: 'lookup', input: { order: 'A1' } }),
      ]);
      expect(message.stop_reason).toBe('tool_use');
      expect(message.usage).toMatchObject({ input_tokens: 20, output_tokens: 4 });
    } finally {
      await model.close();
    }
  });
});
