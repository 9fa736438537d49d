import { scriptedTurnFrames, type ModelDialectName, type ScriptedTurn } from './model-script.js';

/**
 * The `tool-loop` scenario of the model mocks (docs/runtime.md): a model that calls the
 * first tool it is offered (arguments made up from its schema's required properties), then, once
 * the request ends with that tool's result, answers quoting it. A frontend can be built against
 * the agent runtime's loop with no keys.
 */
export function toolLoopFrames(dialect: ModelDialectName, body: unknown): string[] {
  return scriptedTurnFrames(dialect, toolLoopTurn(dialect, (body ?? {}) as Record<string, any>), 1);
}

function toolLoopTurn(dialect: ModelDialectName, body: Record<string, any>): ScriptedTurn {
  const tools = offered(dialect, body);
  const result = lastToolResult(dialect, body);
  const usage = { inputTokens: 12, outputTokens: 6 };
  if (result !== null) return { text: `The tool answered: ${result.slice(0, 200)}`, usage };
  const tool = tools[0];
  if (!tool) return { text: 'Hello from the mock model. Offer me a tool and I will call it.', usage };
  return { text: `Let me call ${tool.name}.`, toolCalls: [{ id: `call_mock_${Date.now().toString(36)}`, name: tool.name, arguments: argumentsFor(tool.schema) }], usage };
}

function offered(dialect: ModelDialectName, body: Record<string, any>): { name: string; schema: Record<string, any> }[] {
  const tools: any[] = Array.isArray(body.tools) ? body.tools : [];
  return tools.flatMap((tool) => {
    if (dialect === 'openai-chat') return tool?.function?.name ? [{ name: String(tool.function.name), schema: tool.function.parameters ?? {} }] : [];
    if (dialect === 'openai-responses') return tool?.name ? [{ name: String(tool.name), schema: tool.parameters ?? {} }] : [];
    return tool?.name ? [{ name: String(tool.name), schema: tool.input_schema ?? {} }] : [];
  });
}

/** The content of the tool result the request ends with, or null. */
function lastToolResult(dialect: ModelDialectName, body: Record<string, any>): string | null {
  if (dialect === 'openai-chat') {
    const last = Array.isArray(body.messages) ? body.messages.at(-1) : null;
    return last?.role === 'tool' ? String(last.content ?? '') : null;
  }
  if (dialect === 'openai-responses') {
    const last = Array.isArray(body.input) ? body.input.at(-1) : null;
    return last?.type === 'function_call_output' ? String(last.output ?? '') : null;
  }
  const last = Array.isArray(body.messages) ? body.messages.at(-1) : null;
  const block = Array.isArray(last?.content) ? last.content.find((entry: any) => entry?.type === 'tool_result') : null;
  return block ? String(typeof block.content === 'string' ? block.content : JSON.stringify(block.content)) : null;
}

/** Arguments that satisfy the common schemas: each required property with a value of its type. */
function argumentsFor(schema: Record<string, any>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const properties = schema?.properties ?? {};
  for (const name of Array.isArray(schema?.required) ? schema.required : []) {
    const property = properties[name] ?? {};
    if (Array.isArray(property.enum) && property.enum.length > 0) args[name] = property.enum[0];
    else if (property.type === 'number' || property.type === 'integer') args[name] = 1;
    else if (property.type === 'boolean') args[name] = true;
    else if (property.type === 'object') args[name] = {};
    else if (property.type === 'array') args[name] = [];
    else args[name] = 'demo';
  }
  return args;
}
