import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  GRAPHQL_ERROR_CODES,
  GraphqlErrorCode,
  INTERNAL_ERROR_CODES,
  RUN_ERROR_CODES,
  RunErrorCode,
  USER_ERROR_CODES,
  UserErrorCode,
} from '../../src/errors/index.js';

const docs = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

/** The codes docs/errors.md lists: the backticked codes in the first column of its tables. */
function documentedCodes(): Set<string> {
  const codes = new Set<string>();
  for (const line of docs.split('\n')) {
    const firstCell = /^\|([^|]*)\|/.exec(line)?.[1];
    if (firstCell === undefined) continue;
    for (const match of firstCell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) codes.add(match[1]!);
  }
  return codes;
}

describe('docs/errors.md', () => {
  const documented = documentedCodes();

  it('documents every run failure code', () => {
    expect(RUN_ERROR_CODES.length).toBeGreaterThan(0);
    expect(RUN_ERROR_CODES).toEqual(Object.values(RunErrorCode));
    for (const code of RUN_ERROR_CODES) expect(documented, code).toContain(code);
  });

  it('documents every code of the result-union errors', () => {
    expect(USER_ERROR_CODES.length).toBeGreaterThanOrEqual(5);
    expect(USER_ERROR_CODES).toEqual(Object.values(UserErrorCode));
    for (const code of USER_ERROR_CODES) expect(documented, code).toContain(code);
  });

  it('documents every GraphQL error code, those of the security and limit layers among them', () => {
    expect(GRAPHQL_ERROR_CODES).toEqual(Object.values(GraphqlErrorCode));
    expect(GRAPHQL_ERROR_CODES).toEqual(
      expect.arrayContaining(['UNAUTHENTICATED', 'FORBIDDEN', 'LIMIT_EXCEEDED', 'RATE_LIMITED']),
    );
    for (const code of GRAPHQL_ERROR_CODES) expect(documented, code).toContain(code);
  });

  it('documents every internal code', () => {
    for (const code of INTERNAL_ERROR_CODES) expect(documented, code).toContain(code);
  });

  it('lists no code that does not exist', () => {
    const known = new Set<string>([
      ...RUN_ERROR_CODES,
      ...USER_ERROR_CODES,
      ...GRAPHQL_ERROR_CODES,
      ...INTERNAL_ERROR_CODES,
    ]);
    expect(documented.size).toBeGreaterThan(0);
    for (const code of documented) expect(known, code).toContain(code);
  });
});
