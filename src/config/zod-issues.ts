import { z } from 'zod';
import type { ConfigIssue } from '../errors/index.js';
import { formatPath } from './format-path.js';
import { PLANNED_SECTIONS } from './schema.js';
import { suggest } from './suggest.js';

type ZodIssue = z.core.$ZodIssue;

/**
 * Turns zod's issues into one human sentence per problem. `root` is the schema that was parsed,
 * used to list the keys allowed where an unknown one was found. Parse with `reportInput: true`
 * so the received value can be described.
 */
export function configIssuesFromZod(issues: readonly ZodIssue[], root: z.ZodType): ConfigIssue[] {
  return issues.flatMap((issue): ConfigIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      const allowed = objectKeysAt(root, issue.path) ?? [];
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: unknownKeyMessage(key, issue.path.length === 0, allowed),
      }));
    }
    return [{ path: formatPath(issue.path), message: describeIssue(issue) }];
  });
}

function unknownKeyMessage(key: string, atTopLevel: boolean, allowed: readonly string[]): string {
  if (atTopLevel && PLANNED_SECTIONS.includes(key)) return 'not supported by this version of Synapse';
  const guess = suggest(key, allowed);
  const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
  return `unknown key${hint}; allowed keys: ${allowed.join(', ')}`;
}

function describeIssue(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
      const input = 'input' in issue ? issue.input : undefined;
      if (input === undefined) return `required, expected ${expected}`;
      // A quoted number is the usual slip here, and digits are safe to echo.
      if (typeof input === 'string' && /^-?\d+(\.\d+)?$/.test(input) && /number|int/.test(issue.expected)) {
        return `expected ${expected}, received the string ${quote(input)}`;
      }
      return `expected ${expected}, received ${describeValue(input)}`;
    }
    case 'invalid_value': {
      const allowed = issue.values.map((value) => String(value));
      const received = issue.input;
      const guess = typeof received === 'string' ? suggest(received, allowed) : undefined;
      const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
      const shown = typeof received === 'string' ? quote(received) : describeValue(received);
      return `received ${shown}${hint}; allowed values: ${allowed.join(', ')}`;
    }
    case 'too_small':
      return boundMessage('at least', issue.minimum, issue.inclusive !== false, issue.origin, issue.input);
    case 'too_big':
      return boundMessage('at most', issue.maximum, issue.inclusive !== false, issue.origin, issue.input);
    default:
      // Custom rules and format checks carry messages this module wrote itself (see schema.ts).
      return issue.message;
  }
}

function boundMessage(
  kind: 'at least' | 'at most',
  bound: number | bigint,
  inclusive: boolean,
  origin: string,
  input: unknown,
): string {
  if (origin === 'array') return `must contain ${kind} ${bound} item${bound === 1 ? '' : 's'}`;
  if (origin === 'string') {
    return kind === 'at least' && bound === 1 ? 'must not be empty' : `must be ${kind} ${bound} characters long`;
  }
  const relation = inclusive ? kind : kind === 'at least' ? 'greater than' : 'less than';
  const received = typeof input === 'number' ? ` (received ${input})` : '';
  return `must be ${relation} ${bound}${received}`;
}

const EXPECTED_NAMES: Partial<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  record: 'an object',
  array: 'a list',
};

// Strings are described by type only: after `${VAR}` substitution one may hold a secret.
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (typeof value === 'string') return 'a string';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** The keys the object schema at `path` allows, walking through wrappers, lists and records. */
function objectKeysAt(root: z.core.$ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let current: z.core.$ZodType | undefined = unwrap(root);
  for (const segment of path) {
    if (current instanceof z.ZodObject && typeof segment === 'string') current = current.shape[segment];
    else if (current instanceof z.ZodArray) current = current.element;
    else if (current instanceof z.ZodRecord) current = current.valueType;
    else return undefined;
    current = current === undefined ? undefined : unwrap(current);
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : undefined;
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodNullable
    ) {
      current = current.unwrap();
    } else if (current instanceof z.ZodPipe) {
      current = current.in;
    } else {
      return current;
    }
  }
}
