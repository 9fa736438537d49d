import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../codegen.js';
import { describeEvent, runAndStream } from '../../examples/typed-client.js';
import { startSynapse } from '../helpers/synapse.js';

let server: Awaited<ReturnType<typeof startSynapse>>;
beforeAll(async () => {
  server = await startSynapse();
});
afterAll(async () => {
  await server.stop();
});

describe('typed clients from codegen.ts', () => {
  it('the generated files are fresh (run `npm run codegen` after changing operations or the schema)', async () => {
    const files = (await generate({ ...config, silent: true }, false)) as { filename: string; content: string }[];
    expect(files.length).toBeGreaterThan(0);
    // The CLI prepends a lint banner when it writes; the in-memory output has none.
    const normalize = (text: string) => text.replace(/^\/\* eslint-disable \*\/\n/, '');
    for (const file of files) {
      expect(normalize(readFileSync(file.filename, 'utf8')), file.filename).toBe(normalize(file.content));
    }
  }, 60_000);

  it('the generated documents run against a live gateway with the types they claim', async () => {
    const { events, stored } = await runAndStream(server.url, { agentId: 'demo', prompt: 'What is 1 + 2?' });
    expect(events.map((event) => event.__typename).at(-1)).toBe('RunCompleted');
    expect(events.map(describeEvent).filter(Boolean).join('')).toContain('1 + 2 = 3');
    expect(stored?.events).toEqual(events);
    expect(stored?.toolCalls[0]?.result).toEqual({ value: 3 });
  });
});
