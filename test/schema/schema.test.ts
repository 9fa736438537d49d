import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printSynapseSchema } from '../../src/schema/index.js';

describe('schema.graphql', () => {
  it('is the schema printed from the code (run `npm run schema` after changing it)', () => {
    const committed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printSynapseSchema());
  });

  it('gives fields shared by union members one type, so fragments on all of them merge', () => {
    const sdl = printSynapseSchema();
    const fieldTypes = new Map<string, Set<string>>();
    const members = [...sdl.matchAll(/type (\w+) implements StreamEvent \{([^}]*)\}/g)];
    // 22 since InterruptResolved joined (docs/human-in-the-loop.md)
    expect(members.length).toBe(22);
    for (const [, , body] of members) {
      for (const [, name, type] of body!.matchAll(/^\s+(\w+)(?:\([^)]*\))?: (.+)$/gm)) {
        fieldTypes.set(name!, (fieldTypes.get(name!) ?? new Set()).add(type!));
      }
    }
    const conflicts = [...fieldTypes].filter(([, types]) => types.size > 1);
    expect(conflicts).toEqual([]);
  });
});
