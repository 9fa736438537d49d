/** Writes docs/config-reference.md from the zod config schema (`npm run docs:config`). */
import { writeFileSync } from 'node:fs';
import { printConfigReference } from '../src/config/reference.js';

writeFileSync(new URL('../docs/config-reference.md', import.meta.url), printConfigReference());
