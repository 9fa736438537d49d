import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DIALECT_NAMES, parseConfig } from '../../src/config/index.js';
import { dialects } from '../../src/dialects/index.js';

const docs = readFileSync(new URL('../../docs/dialects.md', import.meta.url), 'utf8');

describe('docs/dialects.md', () => {
  it('has a section for every upstream dialect, and every configured dialect is implemented', () => {
    for (const name of DIALECT_NAMES) {
      expect(dialects.has(name), name).toBe(true);
      if (name !== 'demo') expect(docs, name).toContain(`## \`${name}\``);
    }
  });

  it('its example config is valid, one agent per upstream dialect', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(docs)![1]!;
    const config = parseConfig(parse(yaml), {
      env: { OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' },
      source: 'docs/dialects.md',
    });
    expect(new Set(config.agents.map((agent) => agent.dialect))).toEqual(
      new Set(DIALECT_NAMES.filter((name) => name !== 'demo')),
    );
  });
});
