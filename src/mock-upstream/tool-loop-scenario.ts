import { scriptedTurnFrames, type ModelDialectName, type ScriptedTurn } from './model-script.js';

/**
 * The `tool-loop` scenario of the model mocks (docs/runtime.md): a model that calls the
 * first tool it is offered (arguments made up from its schema's required properties), then, once
 * the request ends with that tool's result, answers quoting it. A frontend can be built against
 * the agent runtime's loop with no keys.
 */
export function toolLoopFrames(dialect: ModelDialectName, body: unknown): string[] {
  return scriptedTurnFrames(dialect, toolLoopTurn(dialect, record(body)), 1);
}

/** The fields of a JSON object; anything else has none. */
function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** A request value as text: a string as is, a number or boolean through `String`, else the fallback. */
function textOf(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : fallback;
}

function toolLoopTurn(dialect: ModelDialectName, body: Record<string, unknown>): ScriptedTurn {
  const tools = offered(dialect, body);
  const result = lastToolResult(dialect, body);
  const usage = { inputTokens: 12, outputTokens: 6 };
  if (result !== null) return { text: `The tool answered: ${result.slice(0, 200)}`, usage };
  const tool = tools[0];
  if (!tool) return { text: 'Hello from the mock model. Offer me a tool and I will call it.', usage };
  return {
    text: `Let me call ${tool.name}.`,
    toolCalls: [{ id: `call_mock_${Date.now().toString(36)}`, name: tool.name, arguments: argumentsFor(tool.schema) }],
    usage,
  };
}

function offered(dialect: ModelDialectName, body: Record<string, unknown>): { name: string; schema: unknown }[] {
  const tools: unknown[] = Array.isArray(body.tools) ? body.tools : [];
  return tools.flatMap((entry) => {
    const tool = record(entry);
    if (dialect === 'openai-chat') {
      const fn = record(tool.function);
      return fn.name ? [{ name: textOf(fn.name), schema: fn.parameters ?? {} }] : [];
    }
    if (dialect === 'openai-responses')
      return tool.name ? [{ name: textOf(tool.name), schema: tool.parameters ?? {} }] : [];
    return tool.name ? [{ name: textOf(tool.name), schema: tool.input_schema ?? {} }] : [];
  });
}

/** The content of the tool result the request ends with, or null. */
function lastToolResult(dialect: ModelDialectName, body: Record<string, unknown>): string | null {
  if (dialect === 'openai-chat') {
    const last = record(Array.isArray(body.messages) ? body.messages.at(-1) : null);
    return last.role === 'tool' ? textOf(last.content, '') : null;
  }
  if (dialect === 'openai-responses') {
    const last = record(Array.isArray(body.input) ? body.input.at(-1) : null);
    return last.type === 'function_call_output' ? textOf(last.output, '') : null;
  }
  const content = record(Array.isArray(body.messages) ? body.messages.at(-1) : null).content;
  const block: unknown = Array.isArray(content) ? content.find((entry) => record(entry).type === 'tool_result') : null;
  if (!block) return null;
  const result = record(block).content;
  return String(typeof result === 'string' ? result : JSON.stringify(result));
}

/** Arguments that satisfy the common schemas: each required property with a value of its type. */
function argumentsFor(schema: unknown): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const { properties, required } = record(schema);
  for (const entry of Array.isArray(required) ? required : []) {
    const name = String(entry);
    const property = record(record(properties)[name]);
    if (Array.isArray(property.enum) && property.enum.length > 0) args[name] = property.enum[0];
    else if (property.type === 'number' || property.type === 'integer') args[name] = 1;
    else if (property.type === 'boolean') args[name] = true;
    else if (property.type === 'object') args[name] = {};
    else if (property.type === 'array') args[name] = [];
    else args[name] = 'demo';
  }
  return args;
}
