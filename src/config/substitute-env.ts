import type { ConfigIssue } from '../errors/index.js';
import { formatPath } from './format-path.js';

/** The environment as `process.env` shapes it. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** What {@link substituteEnv} produced: the substituted value, or the problems that stopped it. */
export type SubstitutionResult = { ok: true; value: unknown } | { ok: false; issues: ConfigIssue[] };

// `$${` is the escape; `${NAME}` / `${NAME:-default}` a reference; a bare `${` anything else is a
// mistake worth reporting rather than passing through (it is almost always a typo'd reference).
// A fallback may contain `$` but not `${`, so a nested reference is reported, not half-substituted.
const TOKEN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-((?:[^}$]|\$(?!\{))*))?\}|\$\{/g;

/**
 * Replaces `${NAME}` in every string value of a parsed config (keys are left alone) with the
 * environment variable NAME. `${NAME:-fallback}` uses `fallback` when NAME is unset or empty;
 * `$${NAME}` yields the literal text `${NAME}`. Substituting after parsing, never on raw text,
 * means a value can never inject YAML or JSON syntax. Every unset variable is reported, each
 * with the key path whose value referenced it.
 */
export function substituteEnv(value: unknown, env: Environment): SubstitutionResult {
  const issues: ConfigIssue[] = [];
  const result = walk(value, [], env, issues);
  return issues.length === 0 ? { ok: true, value: result } : { ok: false, issues };
}

function walk(value: unknown, path: PropertyKey[], env: Environment, issues: ConfigIssue[]): unknown {
  if (typeof value === 'string') return substituteString(value, path, env, issues);
  if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index], env, issues));
  if (typeof value === 'object' && value !== null) {
    // fromEntries defines own properties, so a `__proto__` key stays a key (and is rejected as unknown).
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key], env, issues)]),
    );
  }
  return value;
}

function substituteString(text: string, path: PropertyKey[], env: Environment, issues: ConfigIssue[]): string {
  // After a malformed reference the rest of the string cannot be read reliably: report it once.
  let malformed = false;
  return text.replace(TOKEN, (token: string, name: string | undefined, fallback: string | undefined) => {
    if (malformed) return token;
    if (token === '$${') return '${';
    if (name === undefined) {
      malformed = true;
      issues.push({
        path: formatPath(path),
        message: 'malformed "${" reference: write ${NAME} or ${NAME:-default}, or $${ for a literal "${"',
      });
      return token;
    }
    const set = env[name];
    if (fallback !== undefined) return set === undefined || set === '' ? fallback : set;
    if (set === undefined) {
      issues.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
      return token;
    }
    return set;
  });
}
