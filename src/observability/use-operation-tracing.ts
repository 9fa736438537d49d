import { SpanStatusCode, trace } from '@opentelemetry/api';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * A span per GraphQL execution (`graphql.query Name`, `graphql.mutation Name`) and per
 * subscription start, over HTTP, SSE and graphql-ws alike; errors set the span status.
 */
export function useOperationTracing(): Plugin {
  const tracer = trace.getTracer('synapse');
  const start = (document: Parameters<typeof getOperationAST>[0], operationName: string | null | undefined) => {
    const operation = getOperationAST(document, operationName);
    const type = operation?.operation ?? 'unknown';
    const name = operation?.name?.value;
    return tracer.startSpan(name ? `graphql.${type} ${name}` : `graphql.${type}`, {
      attributes: { 'graphql.operation.type': type, ...(name ? { 'graphql.operation.name': name } : {}) },
    });
  };
  const finish = (span: ReturnType<typeof start>, result: unknown) => {
    const errors =
      result && typeof result === 'object' && 'errors' in result
        ? (result as { errors?: readonly { message: string }[] }).errors
        : undefined;
    if (errors?.length)
      span.setStatus({ code: SpanStatusCode.ERROR, message: errors.map((error) => error.message).join('; ') });
    span.end();
  };
  return {
    onExecute({ args }) {
      const span = start(args.document, args.operationName);
      return { onExecuteDone: ({ result }) => finish(span, result) };
    },
    onSubscribe({ args }) {
      const span = start(args.document, args.operationName);
      return {
        onSubscribeResult: ({ result }) => finish(span, result),
        onSubscribeError: ({ error }) => {
          span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
          span.end();
        },
      };
    },
  };
}
