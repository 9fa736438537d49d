import { sseFrame } from './fixtures/sse-frame.js';

/** One scripted model answer: some text, some tool calls, the turn's token counts. */
export interface ScriptedTurn {
  text?: string;
  toolCalls?: { id: string; name: string; arguments: unknown }[];
  usage?: { inputTokens: number; outputTokens: number };
}

export type ModelDialectName = 'openai-chat' | 'openai-responses' | 'anthropic-messages';

/**
 * A scripted model turn as the vendor streams it (the same frame shapes as the recorded fixtures
 * beside this file): the agent runtime can be driven through tool loops with no keys.
 */
export function scriptedTurnFrames(dialect: ModelDialectName, turn: ScriptedTurn, turnIndex: number): string[] {
  switch (dialect) {
    case 'openai-chat':
      return openAiChatFrames(turn, turnIndex);
    case 'openai-responses':
      return responsesFrames(turn, turnIndex);
    case 'anthropic-messages':
      return anthropicFrames(turn, turnIndex);
  }
}

/** Text cut in two deltas, as models stream it. */
function pieces(text: string): string[] {
  if (text.length < 2) return text ? [text] : [];
  const half = Math.ceil(text.length / 2);
  return [text.slice(0, half), text.slice(half)];
}

function openAiChatFrames(turn: ScriptedTurn, turnIndex: number): string[] {
  const base = {
    id: `chatcmpl-turn${turnIndex}`,
    object: 'chat.completion.chunk',
    created: 1763800000,
    model: 'gpt-4o-mini-2024-07-18',
  };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    sseFrame({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: null });
  const frames = [chunk({ role: 'assistant', content: '' })];
  for (const delta of pieces(turn.text ?? '')) frames.push(chunk({ content: delta }));
  for (const [index, call] of (turn.toolCalls ?? []).entries()) {
    const args = JSON.stringify(call.arguments);
    frames.push(
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }),
    );
    for (const delta of pieces(args)) frames.push(chunk({ tool_calls: [{ index, function: { arguments: delta } }] }));
  }
  frames.push(chunk({}, turn.toolCalls?.length ? 'tool_calls' : 'stop'));
  const usage = turn.usage ?? { inputTokens: 10, outputTokens: 5 };
  frames.push(
    sseFrame({
      ...base,
      choices: [],
      usage: {
        prompt_tokens: usage.inputTokens,
        completion_tokens: usage.outputTokens,
        total_tokens: usage.inputTokens + usage.outputTokens,
      },
    }),
  );
  frames.push(sseFrame('[DONE]'));
  return frames;
}

function responsesFrames(turn: ScriptedTurn, turnIndex: number): string[] {
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    sseFrame({ type, sequence_number: sequence++, ...data }, type);
  const response = {
    id: `resp_turn${turnIndex}`,
    object: 'response',
    created_at: 1763800000,
    model: 'o4-mini-2025-04-16',
    output: [] as unknown[],
  };
  const frames = [event('response.created', { response: { ...response, status: 'in_progress' } })];
  const output: unknown[] = [];
  let outputIndex = 0;
  if (turn.text) {
    const id = `msg_turn${turnIndex}`;
    frames.push(
      event('response.output_item.added', {
        output_index: outputIndex,
        item: { id, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
      }),
    );
    frames.push(
      event('response.content_part.added', {
        item_id: id,
        output_index: outputIndex,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [] },
      }),
    );
    for (const delta of pieces(turn.text))
      frames.push(
        event('response.output_text.delta', { item_id: id, output_index: outputIndex, content_index: 0, delta }),
      );
    frames.push(
      event('response.output_text.done', { item_id: id, output_index: outputIndex, content_index: 0, text: turn.text }),
    );
    frames.push(
      event('response.content_part.done', {
        item_id: id,
        output_index: outputIndex,
        content_index: 0,
        part: { type: 'output_text', text: turn.text, annotations: [] },
      }),
    );
    const item = {
      id,
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: turn.text, annotations: [] }],
    };
    frames.push(event('response.output_item.done', { output_index: outputIndex, item }));
    output.push(item);
    outputIndex += 1;
  }
  for (const call of turn.toolCalls ?? []) {
    const id = `fc_${call.id}`;
    const args = JSON.stringify(call.arguments);
    frames.push(
      event('response.output_item.added', {
        output_index: outputIndex,
        item: { id, type: 'function_call', status: 'in_progress', arguments: '', call_id: call.id, name: call.name },
      }),
    );
    for (const delta of pieces(args))
      frames.push(event('response.function_call_arguments.delta', { item_id: id, output_index: outputIndex, delta }));
    frames.push(
      event('response.function_call_arguments.done', { item_id: id, output_index: outputIndex, arguments: args }),
    );
    const item = { id, type: 'function_call', status: 'completed', arguments: args, call_id: call.id, name: call.name };
    frames.push(event('response.output_item.done', { output_index: outputIndex, item }));
    output.push(item);
    outputIndex += 1;
  }
  const usage = turn.usage ?? { inputTokens: 10, outputTokens: 5 };
  frames.push(
    event('response.completed', {
      response: {
        ...response,
        status: 'completed',
        output,
        usage: {
          input_tokens: usage.inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: usage.outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: usage.inputTokens + usage.outputTokens,
        },
      },
    }),
  );
  return frames;
}

function anthropicFrames(turn: ScriptedTurn, turnIndex: number): string[] {
  const event = (type: string, data: Record<string, unknown>) => sseFrame({ type, ...data }, type);
  const usage = turn.usage ?? { inputTokens: 10, outputTokens: 5 };
  const frames = [
    event('message_start', {
      message: {
        id: `msg_turn${turnIndex}`,
        type: 'message',
        role: 'assistant',
        content: [],
        model: 'claude-sonnet-4-5-20250929',
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: usage.inputTokens, output_tokens: 1 },
      },
    }),
  ];
  let index = 0;
  if (turn.text) {
    frames.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
    for (const delta of pieces(turn.text))
      frames.push(event('content_block_delta', { index, delta: { type: 'text_delta', text: delta } }));
    frames.push(event('content_block_stop', { index }));
    index += 1;
  }
  for (const call of turn.toolCalls ?? []) {
    frames.push(
      event('content_block_start', {
        index,
        content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
      }),
    );
    for (const delta of pieces(JSON.stringify(call.arguments)))
      frames.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: delta } }));
    frames.push(event('content_block_stop', { index }));
    index += 1;
  }
  frames.push(
    event('message_delta', {
      delta: { stop_reason: turn.toolCalls?.length ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: usage.outputTokens },
    }),
  );
  frames.push(event('message_stop', {}));
  return frames;
}
