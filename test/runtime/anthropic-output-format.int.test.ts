import Anthropic from '@anthropic-ai/sdk';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedTurnFrames } from '../../src/mock-upstream/model-script.js';
import { startGateway, terminalOf } from '../dialects/harness.js';
import { handled } from '../helpers/http-handler.js';

/**
 * Anthropic structured output against `@anthropic-ai/sdk` (docs/runtime.md, "Structured
 * output"): what Synapse sends with an `outputSchema` is what the SDK itself sends, typed by
 * the SDK (`Anthropic.JSONOutputFormat` in the GA `output_config.format`); the SDK's beta
 * `output_format` is deprecated and goes out in the same form.
 */
const SCHEMA = { type: 'object', properties: { answer: { type: 'integer' } }, required: ['answer'] };
const BETA = 'structured-outputs-2025-11-13';

interface Captured {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

const requests: Captured[] = [];
let url = '';
let close: () => Promise<void> = async () => {};
let gateway: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  const server = createServer(
    handled(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      requests.push({
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const frame of scriptedTurnFrames('anthropic-messages', { text: '{"answer": 42}' }, requests.length))
        response.write(frame);
      response.end();
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  gateway = await startGateway([
    {
      id: 'structured',
      dialect: 'anthropic-messages',
      url: `${url}/v1/messages`,
      model: 'claude-sonnet-4-5',
      outputSchema: SCHEMA,
      retry: { attempts: 1 },
    },
  ]);
});

afterAll(async () => {
  await gateway?.stop();
  await close();
});

describe('anthropic-messages structured output against @anthropic-ai/sdk', () => {
  const client = () => new Anthropic({ apiKey: 'sk-ant-test', baseURL: url, maxRetries: 0 });

  async function sdkRequest(create: () => Promise<AsyncIterable<unknown>>): Promise<Captured> {
    for await (const _event of await create()) {
      // drained: the request is what matters
    }
    return requests.at(-1)!;
  }

  async function synapseRequest(): Promise<Captured> {
    const events = await gateway.runAndStream({ agentId: 'structured', prompt: 'The answer?' });
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunCompleted', output: { answer: 42 } });
    return requests.at(-1)!;
  }

  it("sends what the SDK's GA messages.create sends for output_config.format, without a beta header", async () => {
    const format: Anthropic.JSONOutputFormat = { type: 'json_schema', schema: SCHEMA };
    const sdk = await sdkRequest(() =>
      client().messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        messages: [{ role: 'user', content: 'The answer?' }],
        output_config: { format },
        stream: true,
      }),
    );
    const ours = await synapseRequest();
    expect(sdk.body.output_config).toEqual({ format });
    expect(ours.body.output_config).toEqual(sdk.body.output_config);
    expect(ours.body.output_format).toBeUndefined();
    expect(ours.headers['anthropic-beta']).toBeUndefined();
  });

  it("the SDK's beta output_format is deprecated: the SDK itself sends it as output_config.format", async () => {
    const sdk = await sdkRequest(() =>
      client().beta.messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        messages: [{ role: 'user', content: 'The answer?' }],
        output_format: { type: 'json_schema', schema: SCHEMA },
        betas: [BETA],
        stream: true,
      }),
    );
    expect(sdk.body.output_format).toBeUndefined();
    const ours = await synapseRequest();
    expect(ours.body.output_config).toEqual(sdk.body.output_config);
  });
});
