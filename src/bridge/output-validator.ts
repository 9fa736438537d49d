import type { Ajv, ValidateFunction } from 'ajv';
import { RunErrorCode } from '../errors/index.js';
import type { AgentEventBody } from '../events/index.js';
import { newAjv } from '../json-schema.js';

// Created on the first outputSchema compiled: building an ajv instance costs milliseconds at start.
let ajv: Ajv | undefined;
const compiled = new WeakMap<object, ValidateFunction | Error>();
const MAX_LISTED_VIOLATIONS = 20;

/**
 * Checks a RunCompleted's output against the agent's `outputSchema`. Model upstreams produce
 * text, so a string output is parsed as JSON first. Returns the RunFailed OUTPUT_VALIDATION body
 * listing the violations, or the RunCompleted itself (with the parsed output) when it conforms.
 */
export function validateOutput(
  schema: Record<string, unknown> | undefined,
  completed: Extract<AgentEventBody, { type: 'RunCompleted' }>,
): AgentEventBody {
  if (!schema) return completed;
  let validate = compiled.get(schema);
  if (!validate) {
    try {
      ajv ??= newAjv('draft-07', { allErrors: true, strict: false });
      validate = ajv.compile(schema);
    } catch (error) {
      validate = error as Error;
    }
    compiled.set(schema, validate);
  }
  if (validate instanceof Error)
    return violation(`the agent's outputSchema is not a valid JSON Schema: ${validate.message}`, completed);
  let output = completed.output;
  if (typeof output === 'string') {
    try {
      output = JSON.parse(output);
    } catch {
      return violation('the output is text that is not JSON, so it cannot match the outputSchema', completed);
    }
  }
  if (validate(output)) return { ...completed, output };
  const violations = (validate.errors ?? [])
    .slice(0, MAX_LISTED_VIOLATIONS)
    .map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`);
  return violation(`the output does not match the outputSchema: ${violations.join('; ')}`, completed);
}

function violation(message: string, completed: Extract<AgentEventBody, { type: 'RunCompleted' }>): AgentEventBody {
  return {
    type: 'RunFailed',
    code: RunErrorCode.OUTPUT_VALIDATION,
    message,
    retryable: false,
    recoverySuggestion:
      'The upstream answered, but not in the agreed shape; the text is kept in the history. Adjust the prompt or the outputSchema.',
    usage: completed.usage,
  };
}
