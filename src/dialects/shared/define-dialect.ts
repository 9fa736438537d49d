import type { AgentEventBody } from '../../events/index.js';
import { openHttpStream, type HttpStreamRequest } from '../../transport/http-stream.js';
import { runUpstreamBatches, type FrameMapper, type UpstreamProtocol } from '../../transport/run-upstream.js';
import { transportSettings, type TransportSettings } from '../../transport/settings.js';
import { openWebSocket } from '../../transport/ws-stream.js';
import type { FrameSource } from '../../transport/frames.js';
import type { Dialect, DialectRunContext } from '../types.js';

/** A dialect over the shared transport: it says how to talk; the transport does the rest. */
export function defineUpstreamDialect(
  name: string,
  protocolFor: (context: DialectRunContext, settings: TransportSettings) => UpstreamProtocol,
): Dialect {
  const batches = (context: DialectRunContext): AsyncGenerator<AgentEventBody[]> => {
    const settings: TransportSettings = {
      ...transportSettings(context.agent),
      onPoolWait: (wait) => {
        context.logger?.warn('upstream pool is full; the run waits for a free connection', {
          workflowId: context.workflowId,
          agentId: context.agent.id,
          ...wait,
        });
        context.onPoolWait?.(wait);
      },
    };
    return runUpstreamBatches(protocolFor(context, settings), {
      settings,
      signal: context.signal,
      onRetry: (error, attempt, delayMs) => {
        context.logger?.warn('upstream attempt failed, retrying', {
          workflowId: context.workflowId,
          agentId: context.agent.id,
          code: error.code,
          message: error.message,
          attempt,
          delayMs,
        });
        context.onRetry?.({ attempt, delayMs, code: error.code });
      },
    });
  };
  return { name, runBatches: batches };
}

/** A dialect that POSTs one request and reads an SSE (or NDJSON) response. */
export function defineHttpDialect(
  name: string,
  spec: {
    request(context: DialectRunContext): HttpStreamRequest;
    createMapper(context: DialectRunContext): FrameMapper;
  },
): Dialect {
  return defineUpstreamDialect(name, (context, settings) => ({
    open: (signal) => openHttpStream(spec.request(context), settings, signal),
    createMapper: () => spec.createMapper(context),
  }));
}

/** A dialect that opens a WebSocket, sends its request messages, and reads the answers. */
export function defineWebSocketDialect(
  name: string,
  spec: {
    url?(context: DialectRunContext): string;
    /** Messages sent once the socket is open. */
    requestMessages(context: DialectRunContext): unknown[];
    createMapper(context: DialectRunContext, source: FrameSource): FrameMapper;
  },
): Dialect {
  return defineUpstreamDialect(name, (context, settings) => ({
    open: async (signal) => {
      const source = await openWebSocket(spec.url?.(context) ?? context.agent.url!, settings, signal);
      for (const message of spec.requestMessages(context)) source.send!(JSON.stringify(message));
      return source;
    },
    createMapper: (source) => spec.createMapper(context, source),
  }));
}
