import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { RunErrorCode } from '../errors/index.js';
import type { AgentEvent } from '../events/index.js';
import type { RunObserver } from './observer.js';

const TRACER = 'synapse';

/**
 * One `synapse.run` span per workflow, from RunStarted to its terminal event (timestamps taken
 * from the events), with an event at the first upstream event and a `synapse.commit` event per
 * committed batch. Spans go to whatever tracer provider is registered (tracing.ts, or the
 * embedding application's own).
 */
export function createRunTracer(): RunObserver {
  const tracer = trace.getTracer(TRACER);
  const spans = new Map<string, { span: Span; sawFirstEvent: boolean }>();
  return {
    eventsCommitted(workflowId, events, durationMs) {
      for (const event of events) {
        if (event.type === 'RunStarted') {
          const span = tracer.startSpan('synapse.run', {
            startTime: new Date(event.at),
            attributes: { 'synapse.workflow_id': workflowId, 'synapse.agent_id': event.agentId },
          });
          spans.set(workflowId, { span, sawFirstEvent: false });
          continue;
        }
        const run = spans.get(workflowId);
        if (!run) continue;
        if (isTerminalEvent(event)) {
          endRun(run.span, event);
          spans.delete(workflowId);
        } else if (!run.sawFirstEvent) {
          run.sawFirstEvent = true;
          run.span.addEvent('synapse.first_event', { 'synapse.event_type': event.type }, new Date(event.at));
        }
      }
      spans
        .get(workflowId)
        ?.span.addEvent('synapse.commit', { 'synapse.events': events.length, 'synapse.commit_ms': durationMs });
    },
    commitFailed(workflowId, error) {
      spans.get(workflowId)?.span.recordException(error instanceof Error ? error : String(error));
    },
    runPaused(workflowId) {
      // The span ends at the pause; the resumed run (which has no RunStarted) is not traced.
      const run = spans.get(workflowId);
      if (!run) return;
      run.span.setAttribute('synapse.status', 'INPUT_REQUIRED');
      run.span.end();
      spans.delete(workflowId);
    },
  };
}

function isTerminalEvent(event: AgentEvent): boolean {
  return event.type === 'RunCompleted' || event.type === 'RunFailed' || event.type === 'RunCancelled';
}

function endRun(span: Span, event: AgentEvent): void {
  const usage = 'usage' in event ? event.usage : null;
  if (usage?.inputTokens != null) span.setAttribute('synapse.usage.input_tokens', usage.inputTokens);
  if (usage?.outputTokens != null) span.setAttribute('synapse.usage.output_tokens', usage.outputTokens);
  if (event.type === 'RunFailed') {
    span.setAttribute('synapse.status', event.code === RunErrorCode.INTERRUPTED ? 'INTERRUPTED' : 'FAILED');
    span.setAttribute('synapse.error_code', event.code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: `${event.code}: ${event.message}` });
  } else {
    span.setAttribute('synapse.status', event.type === 'RunCompleted' ? 'SUCCEEDED' : 'CANCELLED');
  }
  span.end(new Date(event.at));
}
