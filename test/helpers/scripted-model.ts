import { createServer, type IncomingMessage } from 'node:http';
import { scriptedTurnFrames, type ModelDialectName, type ScriptedTurn } from '../../src/mock-upstream/model-script.js';
import { listenOnLoopback } from './net.js';
import { handled } from './http-handler.js';
import type { ModelRequestBody } from './shapes.js';

export interface ScriptedModel {
  url: string;
  /** Every request body, in order. */
  bodies: ModelRequestBody[];
  /** Requests whose client went away before the answer ended. */
  aborted: number;
  close(): Promise<void>;
}

/**
 * A real model server on loopback speaking one vendor's streaming format: request N gets
 * `script(N, body)` (a turn, or 'hang' to keep the stream open without a frame).
 */
export async function startScriptedModel(
  dialect: ModelDialectName,
  script: (index: number, body: ModelRequestBody) => ScriptedTurn | 'hang',
): Promise<ScriptedModel> {
  const model: ScriptedModel = { url: '', bodies: [], aborted: 0, close: async () => {} };
  const server = createServer(
    handled(async (request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ModelRequestBody;
      const index = model.bodies.length;
      model.bodies.push(body);
      response.on('close', () => {
        if (!response.writableFinished) model.aborted += 1;
      });
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const turn = script(index, body);
      if (turn === 'hang') {
        response.write(': waiting\n\n');
        return;
      }
      for (const frame of scriptedTurnFrames(dialect, turn, index + 1)) response.write(frame);
      response.end();
    }),
  );
  const port = await listenOnLoopback(server);
  model.url = `http://127.0.0.1:${port}`;
  model.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return model;
}

/** The model dialects the agent loop runs on, each with the path its vendor streams from. */
export const MODEL_DIALECTS: { dialect: ModelDialectName; path: string }[] = [
  { dialect: 'openai-chat', path: '/v1/chat/completions' },
  { dialect: 'openai-responses', path: '/v1/responses' },
  { dialect: 'anthropic-messages', path: '/v1/messages' },
];

/** The tool argument schema the runtime suites give their `lookup_order`-style tools. */
export const ORDER_SCHEMA = {
  type: 'object',
  properties: { order: { type: 'string' } },
  required: ['order'],
  additionalProperties: false,
};
