import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/events/index.js';
import { SynapseMetrics } from '../../src/observability/metrics.js';
import { createPinoLogger } from '../../src/observability/pino-logger.js';
import { withFields } from '../../src/logger.js';
import { collectSubscription, graphqlRequest, wsClient } from '../helpers/graphql-clients.js';
import { AGENT_STREAM, RUN_AGENT } from '../helpers/operations.js';
import { startSynapse } from '../helpers/synapse.js';
import { sleep } from '../helpers/async.js';
import { listenOnLoopback } from '../helpers/net.js';

let server: Awaited<ReturnType<typeof startSynapse>>;
beforeAll(async () => {
  server = await startSynapse();
});
afterAll(async () => {
  await server.stop();
});

async function scrape(): Promise<string> {
  const response = await fetch(server.url.replace('/graphql', '/metrics'));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

/** The value of one sample, e.g. `synapse_runs_started_total{agent_id="demo"}`; 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('Prometheus metrics at /metrics', () => {
  it('counts operations, runs, committed events and batches, and gauges active subscriptions', async () => {
    const before = await scrape();
    const run = await graphqlRequest(server.url, RUN_AGENT, { input: { agentId: 'slow', prompt: 'measure 2 * 21' } });
    const workflowId = run.data!.runAgent.workflow.id as string;

    const client = wsClient(server.url);
    let during: Promise<string> = Promise.resolve('');
    const events = await collectSubscription<{ agentStream: { sequence: number } }>(
      client,
      AGENT_STREAM,
      { workflowId },
      (_data, index) => {
        if (index === 3) during = scrape();
      },
    );
    await client.dispose();
    await server.services.runs.waitFor(workflowId);
    const after = await scrape();

    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('synapse_runs_started_total{agent_id="slow"}')).toBe(1);
    expect(delta('synapse_runs_finished_total{agent_id="slow",status="SUCCEEDED"}')).toBe(1);
    expect(delta('synapse_run_duration_seconds_count{agent_id="slow",status="SUCCEEDED"}')).toBe(1);
    expect(delta('synapse_upstream_time_to_first_event_seconds_count{agent_id="slow"}')).toBe(1);
    expect(delta('synapse_events_committed_total{type="TextDelta"}')).toBeGreaterThan(5);
    expect(delta('synapse_events_committed_total{type="RunCompleted"}')).toBe(1);
    const committed = after
      .split('\n')
      .filter((line) => line.startsWith('synapse_events_committed_total{'))
      .reduce((sum, line) => sum + Number(line.split(' ')[1]), 0);
    const committedBefore = before
      .split('\n')
      .filter((line) => line.startsWith('synapse_events_committed_total{'))
      .reduce((sum, line) => sum + Number(line.split(' ')[1]), 0);
    expect(committed - committedBefore).toBe(events.length);
    expect(delta('synapse_commit_batch_size_sum')).toBe(events.length);
    expect(delta('synapse_commit_duration_seconds_count')).toBe(delta('synapse_commit_batch_size_count'));
    expect(delta('synapse_graphql_operations_total{operation_type="mutation",operation_name="Run",outcome="ok"}')).toBe(
      1,
    );
    expect(
      delta('synapse_graphql_operations_total{operation_type="subscription",operation_name="Stream",outcome="ok"}'),
    ).toBe(1);
    expect(delta('synapse_graphql_operation_duration_seconds_count{operation_type="mutation"}')).toBe(1);
    expect(sample(await during, 'synapse_active_subscriptions')).toBe(1);
    expect(sample(await during, 'synapse_active_runs')).toBe(1);
    expect(sample(after, 'synapse_active_subscriptions')).toBe(0);
    // Registered before they have a source, so dashboards can be built now.
    expect(after).toContain('# TYPE synapse_upstream_retries_total counter');
    expect(after).toContain('# TYPE synapse_subscriptions_lagged_total counter');
    expect(after).toContain('process_cpu_user_seconds_total');
  });

  it('counts upstream errors by code and interrupted runs apart from failed ones', async () => {
    const metrics = new SynapseMetrics({ defaultMetrics: false });
    const at = (ms: number) => new Date(1_700_000_000_000 + ms).toISOString();
    const event = (sequence: number, ms: number, body: Record<string, unknown>) =>
      ({ workflowId: 'w1', sequence, at: at(ms), ...body }) as AgentEvent;
    metrics.eventsCommitted('w1', [event(1, 0, { type: 'RunStarted', agentId: 'gpt', input: {} })], 1);
    metrics.eventsCommitted(
      'w1',
      [
        event(2, 1500, {
          type: 'RunFailed',
          code: 'UPSTREAM_TIMEOUT',
          message: 'x',
          retryable: true,
          recoverySuggestion: null,
          usage: null,
        }),
      ],
      1,
    );
    metrics.eventsCommitted(
      'w2',
      [
        {
          ...event(9, 0, {
            type: 'RunFailed',
            code: 'INTERRUPTED',
            message: 'x',
            retryable: true,
            recoverySuggestion: null,
            usage: null,
          }),
          workflowId: 'w2',
        },
      ],
      1,
    );
    const text = await metrics.registry.metrics();
    expect(sample(text, 'synapse_upstream_errors_total{agent_id="gpt",code="UPSTREAM_TIMEOUT"}')).toBe(1);
    expect(sample(text, 'synapse_runs_finished_total{agent_id="gpt",status="FAILED"}')).toBe(1);
    expect(sample(text, 'synapse_runs_finished_total{agent_id="unknown",status="INTERRUPTED"}')).toBe(1);
    // A run that fails before any upstream event has no time to first event.
    expect(sample(text, 'synapse_upstream_time_to_first_event_seconds_count{agent_id="gpt"}')).toBe(0);
    expect(sample(text, 'synapse_run_duration_seconds_sum{agent_id="gpt",status="FAILED"}')).toBe(1.5);
  });
});

/** The parts of an OTLP/JSON trace export these tests read. */
interface OtlpAttribute {
  key: string;
  value: { stringValue?: string };
}
interface OtlpSpan {
  name: string;
  attributes: OtlpAttribute[];
  events: { name: string }[];
}
interface OtlpExport {
  resourceSpans?: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

function lines(): { stream: Writable; entries: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return {
    stream,
    entries: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('structured logs with pino', () => {
  it('writes one JSON object per line with the request, workflow and agent ids of its scope', async () => {
    const { stream, entries } = lines();
    const logger = createPinoLogger({ level: 'debug', destination: stream });
    logger.info('outside');
    const request = withFields(logger, { requestId: 'req-1' });
    const run = withFields(request, { workflowId: 'wf-1', agentId: 'demo' });
    await sleep(1);
    run.error('run failed inside the gateway', { error: new Error('boom'), attempt: 2 });
    const [outside, inside] = entries() as [Record<string, unknown>, Record<string, unknown>];
    expect(outside).toMatchObject({ level: 'info', msg: 'outside' });
    expect(outside).not.toHaveProperty('requestId');
    expect(inside).toMatchObject({
      level: 'error',
      msg: 'run failed inside the gateway',
      requestId: 'req-1',
      workflowId: 'wf-1',
      agentId: 'demo',
      attempt: 2,
    });
    expect(inside.error).toMatchObject({ type: 'Error', message: 'boom' });
    expect((inside.error as { stack: string }).stack).toContain('boom');
    expect(typeof inside.time).toBe('string');
  });

  it('tags what the gateway logs while serving a request with its request id, echoed in x-request-id', async () => {
    const { stream, entries } = lines();
    const gateway = await startSynapse({ logger: createPinoLogger({ level: 'debug', destination: stream }) });
    try {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-abc' },
        body: JSON.stringify({ query: '{ agents { id } }' }),
      });
      expect(response.headers.get('x-request-id')).toBe('req-abc');
      const generated = await fetch(gateway.url.replace('/graphql', '/healthz'));
      expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await gateway.stop();
    }
    const tagged = entries().filter((entry) => entry.requestId === 'req-abc');
    expect(tagged.length).toBeGreaterThan(0);
  });

  it('logs the end of each run with its outcome, inside the run context (workflow, agent, request ids)', async () => {
    const { stream, entries } = lines();
    const gateway = await startSynapse({ logger: createPinoLogger({ level: 'info', destination: stream }) });
    let workflowId: string;
    try {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-run' },
        body: JSON.stringify({
          query: RUN_AGENT,
          variables: { input: { agentId: 'demo', prompt: '5 + 5', wait: true } },
        }),
      });
      workflowId = (await response.json()).data.runAgent.workflow.id;
    } finally {
      await gateway.stop();
    }
    const finished = entries().filter((entry) => entry.msg === 'run finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({
      level: 'info',
      workflowId,
      agentId: 'demo',
      requestId: 'req-run',
      status: 'SUCCEEDED',
    });
    expect(finished[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });
});

describe('OpenTelemetry tracing', () => {
  it('is off without OTEL_* variables, and on with an endpoint or an exporter', async () => {
    const { isTracingConfigured } = await import('../../src/observability/tracing.js');
    expect(isTracingConfigured({})).toBe(false);
    expect(isTracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true);
    expect(isTracingConfigured({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(isTracingConfigured({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x' })).toBe(false);
    expect(isTracingConfigured({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x' })).toBe(false);
  });

  it('exports run and GraphQL spans over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const { createServer } = await import('node:http');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { startGatewayProcess } = await import('../helpers/process.js');
    const bodies: OtlpExport[] = [];
    const collector = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        if (request.url === '/v1/traces') bodies.push(JSON.parse(body) as OtlpExport);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await listenOnLoopback(collector);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-otel-'));
    try {
      const gateway = await startGatewayProcess({
        SYNAPSE_DATA_DIR: dataDir,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as { port: number }).port}`,
        OTEL_SERVICE_NAME: 'synapse-under-test',
      });
      const run = await graphqlRequest(gateway.url, RUN_AGENT, {
        input: { agentId: 'demo', prompt: '3 * 4', wait: true },
      });
      const workflowId = run.data!.runAgent.workflow.id as string;
      gateway.child.kill('SIGTERM'); // shutdown flushes the batch processor
      expect(await gateway.exited).toEqual({ code: 0, signal: null });

      const resourceSpans = bodies.flatMap((body) => body.resourceSpans ?? []);
      const serviceNames = resourceSpans.flatMap((entry) =>
        entry.resource.attributes
          .filter((attribute) => attribute.key === 'service.name')
          .map((attribute) => attribute.value.stringValue),
      );
      expect(serviceNames).toContain('synapse-under-test');
      const spans = resourceSpans.flatMap((entry) => entry.scopeSpans.flatMap((scope) => scope.spans));
      const attribute = (span: OtlpSpan | undefined, key: string) =>
        span!.attributes.find((entry) => entry.key === key)?.value.stringValue;
      const runSpan = spans.find((span) => span.name === 'synapse.run');
      expect(runSpan).toBeDefined();
      expect(attribute(runSpan, 'synapse.workflow_id')).toBe(workflowId);
      expect(attribute(runSpan, 'synapse.agent_id')).toBe('demo');
      expect(attribute(runSpan, 'synapse.status')).toBe('SUCCEEDED');
      expect(runSpan!.events.map((event) => event.name)).toContain('synapse.first_event');
      expect(spans.map((span) => span.name)).toContain('graphql.mutation Run');
    } finally {
      await new Promise<void>((resolve) => collector.close(() => resolve()));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
