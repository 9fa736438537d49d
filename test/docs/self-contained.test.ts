import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The repository states everything it relies on in its own docs/: code comments, docs and the
// bench cite files under docs/, never a design note or stack list kept outside the repository.
const root = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED = ['src', 'docs', 'bench', 'scripts', 'studio', 'examples', 'test', 'README.md', '.ci'];
const SKIP = new Set(['node_modules', 'dist', 'results', 'fixtures']);
const OUTSIDE = /\bDESIGN\.md\b|\bSTACK\.md\b|\bCONVENTIONS\.md\b|\/work\/shared|\.\.\/shared\//;
const self = fileURLToPath(import.meta.url);

function* files(path: string): Generator<string> {
  if (statSync(path).isFile()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) yield* files(child);
    else if (/\.(ts|tsx|js|mjs|cjs|md|json|yaml|yml|html|sh)$|^run$/.test(entry.name)) yield child;
  }
}

describe('the repository is self-contained', () => {
  it('cites no file outside the repository', () => {
    const citing: string[] = [];
    let scanned = 0;
    for (const top of SCANNED) {
      for (const file of files(join(root, top))) {
        if (file === self) continue;
        scanned++;
        const lines = readFileSync(file, 'utf8').split('\n');
        lines.forEach((line, i) => {
          if (OUTSIDE.test(line)) citing.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(scanned).toBeGreaterThan(300);
    expect(citing).toEqual([]);
  });
});
