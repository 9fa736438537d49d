import type { Logger } from '../logger.js';

/** The tracer provider started from the environment; `shutdown` flushes spans still buffered. */
export interface TracingHandle {
  shutdown(): Promise<void>;
}

/**
 * True when the standard OpenTelemetry variables ask for traces: OTEL_TRACES_EXPORTER (other than
 * `none`), or an OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT),
 * unless OTEL_SDK_DISABLED is `true`.
 */
export function isTracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.toLowerCase() === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (exporter) return exporter !== 'none';
  return !!(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Starts a Node tracer provider configured by the OTEL_* environment when tracing is configured,
 * and returns null otherwise without loading any SDK module (off costs nothing). Exporters:
 * `otlp` (OTLP over HTTP with JSON, the default; endpoint, headers and timeout from the
 * OTEL_EXPORTER_OTLP_* variables) and `console`. The service name comes from OTEL_SERVICE_NAME
 * (default `synapse`) and OTEL_RESOURCE_ATTRIBUTES; batching from OTEL_BSP_*.
 */
export async function startTracingFromEnv(env: NodeJS.ProcessEnv, logger: Logger): Promise<TracingHandle | null> {
  if (!isTracingConfigured(env)) return null;
  const [{ NodeTracerProvider }, { BatchSpanProcessor, ConsoleSpanExporter }, resources] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
  ]);
  const names = (env.OTEL_TRACES_EXPORTER ?? 'otlp').split(',').map((name) => name.trim().toLowerCase());
  const exporters = [];
  for (const name of names) {
    if (name === 'otlp') {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
      exporters.push(new OTLPTraceExporter());
    } else if (name === 'console') {
      exporters.push(new ConsoleSpanExporter());
    } else if (name !== 'none') {
      logger.warn('OTEL_TRACES_EXPORTER names an exporter this build does not have; use otlp or console', {
        exporter: name,
      });
    }
  }
  const resource = resources
    .resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'synapse' })
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: exporters.map((exporter) => new BatchSpanProcessor(exporter)),
  });
  provider.register();
  logger.info('OpenTelemetry tracing is on', { exporters: names });
  return { shutdown: () => provider.shutdown() };
}
