#!/usr/bin/env node
// The `synapse` command. After `npm run build` it runs the compiled CLI in dist/; in a clone
// without a build (`npx synapse` in the repository) it runs the TypeScript sources through tsx,
// which is a runtime dependency for exactly this.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/index.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/index.ts', import.meta.url).href);
}
