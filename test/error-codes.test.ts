import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUN_ERROR_CODES } from '../src/events/index.js';

const docs = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
const source = (file: string) => readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('documents every run failure code', () => {
    expect(RUN_ERROR_CODES.length).toBeGreaterThan(0);
    for (const code of RUN_ERROR_CODES) expect(docs, code).toContain(`\`${code}\``);
  });

  it('documents every code the schema emits', () => {
    const schemaSources = readdirSync(new URL('../src/schema/', import.meta.url))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => source(`schema/${file}`))
      .join('\n');
    const codes = new Set([
      ...[...schemaSources.matchAll(/code: '([A-Z_]+)'/g)].map((match) => match[1]!),
      ...[...schemaSources.matchAll(/super\('([A-Z_]+)'/g)].map((match) => match[1]!),
    ]);
    expect(codes.size).toBeGreaterThanOrEqual(5);
    for (const code of codes) expect(docs, code).toContain(`\`${code}\``);
  });

  it('documents every code the security and limit layers emit', () => {
    const dir = new URL('../src/server/', import.meta.url);
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const text = files.map((file) => readFileSync(new URL(file, dir), 'utf8')).join('\n');
    const codes = new Set([...text.matchAll(/code: '([A-Z_]+)'/g)].map((match) => match[1]!));
    expect([...codes]).toEqual(expect.arrayContaining(['UNAUTHENTICATED', 'FORBIDDEN', 'LIMIT_EXCEEDED', 'RATE_LIMITED']));
    for (const code of codes) expect(docs, code).toContain(`\`${code}\``);
  });
});
