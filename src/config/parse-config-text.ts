import path from 'node:path';
import type { ConfigIssue } from '../errors/index.js';
import { ConfigError } from '../errors/index.js';

// Later YAML errors are mostly echoes of the first; a handful is enough to fix the file.
const MAX_SYNTAX_ISSUES = 5;

/**
 * Parses the text of a config file: JSON when `filePath` ends in `.json`, YAML otherwise (YAML
 * also accepts JSON, so an oddly named file still loads). A leading byte-order mark is ignored.
 *
 * @throws {ConfigError} for a syntax error, naming its line and column.
 */
export async function parseConfigText(text: string, filePath: string): Promise<unknown> {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return path.extname(filePath).toLowerCase() === '.json' ? parseJson(body, filePath) : parseYaml(body, filePath);
}

function parseJson(text: string, filePath: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    // V8 phrases this differently across Node versions; keep the reason, locate it ourselves.
    const position = /at position (\d+)/.exec(raw)?.[1];
    const offset = position !== undefined ? Number(position) : /end of JSON input/.test(raw) ? text.length : undefined;
    const reason = raw.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '');
    throw new ConfigError(filePath, [{ path: '(file)', message: syntaxMessage('JSON', reason, text, offset) }]);
  }
}

/** The YAML parser loads only for a YAML file (docs/performance.md, cold start). */
async function parseYaml(text: string, filePath: string): Promise<unknown> {
  const { default: YAML } = await import('yaml');
  const doc = YAML.parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const issues: ConfigIssue[] = doc.errors.slice(0, MAX_SYNTAX_ISSUES).map((error) => ({
      path: '(file)',
      message: syntaxMessage('YAML', error.message, text, error.pos[0]),
    }));
    throw new ConfigError(filePath, issues);
  }
  try {
    return doc.toJS() as unknown;
  } catch (error) {
    // toJS only fails on alias abuse (a "billion laughs" file) or similar structural limits.
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(filePath, [{ path: '(file)', message: `YAML could not be loaded: ${reason}` }]);
  }
}

function syntaxMessage(format: string, reason: string, text: string, offset: number | undefined): string {
  if (offset === undefined) return `${format} syntax error: ${reason}`;
  const { line, column } = lineAndColumn(text, offset);
  return `${format} syntax error at line ${line}, column ${column}: ${reason}`;
}

/** 1-based line and column of a character offset, as editors number them. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: before.length - lastBreak };
}
