#!/usr/bin/env node
// The `synapse` command. After `npm run build` it runs the bundled CLI (dist/cli-bundle: one
// bundle compiled from a V8 code cache, the fastest to start; see docs/performance.md), else
// the compiled CLI in dist/; in a clone without a build (`npx synapse` in the repository) it
// runs the TypeScript sources through tsx, which is a runtime dependency for exactly this.
import { existsSync } from 'node:fs';

const bundled = new URL('../dist/cli-bundle/synapse.js', import.meta.url);
const compiled = new URL('../dist/cli/index.js', import.meta.url);
if (existsSync(bundled)) {
  await import(bundled.href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/index.ts', import.meta.url).href);
}
