/**
 * What metrics and tracing add to the commit path (docs/observability.md): the observers are
 * called once per committed batch. Run: `node --import tsx bench/observability.ts`.
 */
import type { AgentEvent } from '../src/events/index.js';
import { SynapseMetrics } from '../src/observability/metrics.js';
import type { RunObserver } from '../src/observability/observer.js';
import { createRunTracer } from '../src/observability/run-tracer.js';

const BATCHES = 200_000;
const BATCH_SIZE = 10;
const at = new Date().toISOString();
const started = { type: 'RunStarted', agentId: 'demo', input: {}, workflowId: 'w', sequence: 1, at } as AgentEvent;
const batch = Array.from({ length: BATCH_SIZE }, (_, index): AgentEvent => ({
  type: 'TextDelta',
  messageId: 'm',
  delta: 'x',
  workflowId: 'w',
  sequence: index + 2,
  at,
}));

function measure(name: string, observer: RunObserver): void {
  let nsPerBatch = 0;
  for (const round of ['warm-up', 'measured']) {
    observer.eventsCommitted('w', [started], 1);
    const start = process.hrtime.bigint();
    for (let index = 0; index < BATCHES; index++) observer.eventsCommitted('w', batch, 1);
    nsPerBatch = Number(process.hrtime.bigint() - start) / BATCHES;
    if (round === 'measured') break;
  }
  console.log(
    `${name.padEnd(32)} ${(nsPerBatch / BATCH_SIZE).toFixed(0).padStart(6)} ns/event ${nsPerBatch.toFixed(0).padStart(7)} ns/batch of ${BATCH_SIZE}`,
  );
}

measure('metrics (SynapseMetrics)', new SynapseMetrics({ defaultMetrics: false }));
measure('run tracer, no provider', createRunTracer());
