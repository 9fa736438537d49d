import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenOnLoopback } from './net.js';

/**
 * A real openai-chat upstream on loopback: `/finite/<n>` streams n content chunks every
 * `frameDelayMs` then finishes. It records every request body it received, in order, and the
 * requests it is serving now.
 */
export class ChatUpstream {
  readonly requests: { url: string; body: unknown }[] = [];
  open = 0;
  maxOpen = 0;
  private readonly server: Server;
  constructor(private readonly frameDelayMs: number) {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = request.url ?? '';
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = null;
        }
        this.requests.push({ url, body });
        this.open += 1;
        this.maxOpen = Math.max(this.maxOpen, this.open);
        const limit = url.startsWith('/finite/') ? Number(url.slice('/finite/'.length)) : Number.POSITIVE_INFINITY;
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        const frame = (delta: Record<string, unknown>, finish: string | null = null) =>
          `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        let sent = 0;
        let closed = false;
        const close = () => {
          if (closed) return;
          closed = true;
          this.open -= 1;
        };
        const timer = setInterval(() => {
          if (sent < limit) {
            response.write(frame({ content: `w${sent++} ` }));
            return;
          }
          clearInterval(timer);
          close();
          response.end(frame({}, 'stop') + 'data: [DONE]\n\n');
        }, this.frameDelayMs);
        response.on('close', () => {
          clearInterval(timer);
          close();
        });
      });
    });
  }

  async listen(): Promise<string> {
    await listenOnLoopback(this.server);
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
