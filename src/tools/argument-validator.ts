import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { newAjv } from '../json-schema.js';

/** One invalid argument: its path (such as `input.arguments.location.city`) and what is wrong. */
export interface ArgumentIssue {
  field: string;
  message: string;
}

export type ArgumentCheck = { ok: true } | { ok: false; issues: ArgumentIssue[] };

/** Issues listed per call: enough to fix a call, bounded so a huge bad payload stays small. */
const MAX_ISSUES = 50;

function createAjv(dialect: 'draft-07' | '2020-12'): Ajv {
  // strict: false, because tool schemas come from servers we do not control and often carry
  // keywords ajv's strict mode rejects (`examples` in odd places, vendor `x-` keys).
  return newAjv(dialect, { allErrors: true, strict: false, validateFormats: true });
}

/**
 * Compiles tool input schemas with ajv (JSON Schema 2020-12, falling back to draft-07 for
 * schemas that only compile there) and turns violations into issues that name each bad field.
 * Compiled validators are cached per schema object.
 */
export class ArgumentValidator {
  // Created on the first compile: building an ajv instance costs milliseconds at start.
  private draft2020: Ajv | undefined;
  private draft7: Ajv | undefined;
  private readonly cache = new WeakMap<object, ValidateFunction>();

  /**
   * Compiles `schema` (or returns the cached validator).
   * @throws {Error} when the schema is not a valid JSON Schema, with ajv's reason
   */
  compile(schema: Record<string, unknown>): ValidateFunction {
    const cached = this.cache.get(schema);
    if (cached) return cached;
    // `$schema` names a meta-schema ajv may not have loaded; the dialect is chosen here instead.
    const { $schema: _ignored, ...body } = schema;
    let validate: ValidateFunction;
    try {
      validate = (this.draft2020 ??= createAjv('2020-12')).compile(body);
    } catch (error2020) {
      try {
        validate = (this.draft7 ??= createAjv('draft-07')).compile(body);
      } catch {
        throw error2020;
      }
    }
    this.cache.set(schema, validate);
    return validate;
  }

  /** Checks `value` against `schema`; paths are reported under `prefix`. */
  check(schema: Record<string, unknown>, value: unknown, prefix = 'input.arguments'): ArgumentCheck {
    let validate: ValidateFunction;
    try {
      validate = this.compile(schema);
    } catch (error) {
      return {
        ok: false,
        issues: [{ field: prefix, message: `the tool's inputSchema cannot be compiled: ${(error as Error).message}` }],
      };
    }
    if (validate(value)) return { ok: true };
    const seen = new Set<string>();
    const issues: ArgumentIssue[] = [];
    for (const error of validate.errors ?? []) {
      const issue = toIssue(error, prefix);
      const key = `${issue.field}\u0000${issue.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push(issue);
      if (issues.length >= MAX_ISSUES) break;
    }
    return { ok: false, issues };
  }
}

function toIssue(error: ErrorObject, prefix: string): ArgumentIssue {
  const segments = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map(unescapePointer);
  switch (error.keyword) {
    case 'required':
      return { field: fieldPath(prefix, [...segments, String(error.params.missingProperty)]), message: 'is required' };
    case 'additionalProperties':
      return {
        field: fieldPath(prefix, [...segments, String(error.params.additionalProperty)]),
        message: 'is not allowed here',
      };
    case 'unevaluatedProperties':
      return {
        field: fieldPath(prefix, [...segments, String(error.params.unevaluatedProperty)]),
        message: 'is not allowed here',
      };
    case 'enum':
      return {
        field: fieldPath(prefix, segments),
        message: `must be one of ${(error.params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`,
      };
    default:
      return { field: fieldPath(prefix, segments), message: error.message ?? `fails ${error.keyword}` };
  }
}

function unescapePointer(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** `input.arguments` + `["items", "0", "name"]` → `input.arguments.items[0].name`. */
function fieldPath(prefix: string, segments: readonly string[]): string {
  let path = prefix;
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}
