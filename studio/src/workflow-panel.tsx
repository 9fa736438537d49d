import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { StudioCancelWorkflowDocument, StudioWorkflowDocument } from '../generated/graphql.js';
import { InterruptPanel } from './interrupts.js';
import { errorText } from './connection.js';
import { formatTime, JsonBlock, StatusBadge } from './ui.js';
import { useWorkflowStream } from './use-workflow-stream.js';
import { compactJson, usageText, type WorkflowView } from './workflow-state.js';

/**
 * One workflow: a run as it streams, or a finished one replayed from history (the same
 * subscription, from sequence 0). Answer, reasoning, tool calls, steps, usage, status, and the
 * full timeline of events.
 */
export function WorkflowPanel({ workflowId, onSettled }: { workflowId: string; onSettled: () => void }) {
  const [detail, refetchDetail] = useQuery({ query: StudioWorkflowDocument, variables: { id: workflowId } });
  const stream = useWorkflowStream(workflowId, () => {
    refetchDetail();
    onSettled();
  });
  const [cancelState, cancelWorkflow] = useMutation(StudioCancelWorkflowDocument);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const { view } = stream;
  const workflow = detail.data?.workflow;
  // The stream's phase is the freshest while it runs; once the stream is over, a stored terminal
  // status is the last word (it also says INTERRUPTED, which the events say as RunFailed).
  const stored = workflow?.status;
  const storedFinal =
    stored !== undefined && stored !== 'RUNNING' && stored !== 'QUEUED' && stored !== 'INPUT_REQUIRED';
  const status =
    stream.completed && storedFinal ? stored : view.phase === 'connecting' ? (stored ?? 'CONNECTING') : view.phase;
  const running =
    !stream.completed &&
    !stream.error &&
    (view.phase === 'RUNNING' || view.phase === 'INPUT_REQUIRED' || view.phase === 'connecting');
  const waiting = !stream.completed && (view.phase === 'INPUT_REQUIRED' || stored === 'INPUT_REQUIRED');

  async function cancel() {
    setCancelError(null);
    const result = await cancelWorkflow({ id: workflowId, reason: 'stopped in the Studio' });
    const payload = result.data?.cancelWorkflow;
    if (result.error) setCancelError(errorText(result.error));
    else if (payload && payload.__typename !== 'CancelWorkflowPayload')
      setCancelError(`${payload.code}: ${payload.message}`);
  }

  return (
    <section className="panel workflow" data-testid="workflow" data-workflow-id={workflowId}>
      <header className="workflow-head">
        <div>
          <h2>
            {workflow?.agent?.id ?? view.agentId ?? 'workflow'}
            <StatusBadge status={status} testId="status" />
          </h2>
          <div className="meta">
            <code data-testid="workflow-id">{workflowId}</code>
            {workflow && <span> · {formatTime(workflow.createdAt)}</span>}
            {workflow?.durationMs !== null && workflow?.durationMs !== undefined && (
              <span> · {workflow.durationMs} ms</span>
            )}
            {workflow?.threadId && (
              <span>
                {' '}
                · thread <code>{workflow.threadId}</code>
              </span>
            )}
          </div>
        </div>
        <div className="actions">
          {running && (
            <button
              type="button"
              className="danger"
              data-testid="cancel-button"
              disabled={cancelState.fetching}
              onClick={() => void cancel()}
            >
              Cancel
            </button>
          )}
        </div>
      </header>
      {promptOf(workflow?.input) && (
        <p className="prompt" data-testid="workflow-prompt">
          {promptOf(workflow?.input)}
        </p>
      )}
      {cancelError && (
        <p className="error" data-testid="cancel-error">
          {cancelError}
        </p>
      )}
      {detail.error && <p className="error">{errorText(detail.error)}</p>}
      {stream.error && (
        <p className="error" data-testid="stream-error">
          {stream.error}
        </p>
      )}
      {waiting && <InterruptPanel workflowId={workflowId} status={`${stored}:${view.openInterrupts.join(',')}`} />}
      <RunBody view={view} running={running} />
    </section>
  );
}

function RunBody({ view, running }: { view: WorkflowView; running: boolean }) {
  const usage = usageText(view.usage);
  return (
    <>
      <div className="facts">
        <span data-testid="usage">{usage || (running ? 'usage: pending' : 'usage: not reported')}</span>
        <span> · {view.lastSequence} events</span>
      </div>
      <h3>Answer</h3>
      <div className={`answer${running ? ' streaming' : ''}`} data-testid="answer">
        {view.text || <span className="muted">{running ? 'waiting for text…' : 'no text'}</span>}
      </div>
      {view.error && (
        <p className="error" data-testid="run-error">
          {view.error}
        </p>
      )}
      {view.output !== null && view.output !== undefined && (
        <details className="output">
          <summary>Output</summary>
          <JsonBlock value={view.output} />
        </details>
      )}
      {view.reasoning.length > 0 && (
        <>
          <h3>Reasoning</h3>
          <ol className="reasoning" data-testid="reasoning">
            {view.reasoning.map((step, index) => (
              <li key={index}>
                {step.title && <strong>{step.title}</strong>}
                {step.text && <span className="reasoning-text">{step.text}</span>}
              </li>
            ))}
          </ol>
        </>
      )}
      {view.toolCalls.length > 0 && (
        <>
          <h3>Tool calls</h3>
          <ul className="tool-calls">
            {view.toolCalls.map((call) => (
              <li key={call.id} className="tool-call" data-testid="tool-call">
                <div className="tool-name">
                  <code>{call.name}</code>
                  <span className="muted"> {call.id}</span>
                  {!call.hasResult && <span className="pill">running</span>}
                  {call.isError && <span className="pill bad">error</span>}
                </div>
                <div className="tool-io">
                  <span className="label">arguments</span>
                  <code data-testid="tool-arguments">
                    {call.hasArguments ? compactJson(call.arguments) : call.argumentsText || '…'}
                  </code>
                  {call.hasResult && (
                    <>
                      <span className="label">result</span>
                      <code data-testid="tool-result" className={call.isError ? 'error' : undefined}>
                        {compactJson(call.result)}
                      </code>
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      {view.steps.length > 0 && (
        <>
          <h3>Steps</h3>
          <ol className="steps" data-testid="steps">
            {view.steps.map((step, index) => (
              <li key={index} className={step.finished ? 'done' : 'active'}>
                {step.name}
                <span className="muted"> · {step.finished ? 'finished' : 'running'}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      <details className="timeline" open={!running && view.timeline.length <= 40} data-testid="timeline-details">
        <summary>Timeline · {view.timeline.length} rows</summary>
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>time</th>
              <th>event</th>
              <th>detail</th>
            </tr>
          </thead>
          <tbody data-testid="timeline">
            {view.timeline.map((row) => (
              <tr key={row.sequence} data-testid="timeline-row" data-type={row.type}>
                <td className="num">
                  {row.lastSequence > row.sequence ? `${row.sequence}–${row.lastSequence}` : row.sequence}
                </td>
                <td className="num">{clockTime(row.at)}</td>
                <td>
                  <code>{row.type}</code>
                  {row.count > 1 && <span className="muted"> ×{row.count}</span>}
                </td>
                <td className="detail">{row.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}

/** HH:MM:SS.mmm in the reader's time zone. */
function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, {
    hour12: false,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
  });
}

/** The prompt of a run (`RunAgentInput.prompt`, or the last user message), for the header. */
export function promptOf(input: unknown): string | null {
  if (!input || typeof input !== 'object') return null;
  const record = input as { prompt?: unknown; messages?: { role?: unknown; content?: unknown }[] };
  if (typeof record.prompt === 'string') return record.prompt;
  const user = record.messages?.filter((message) => message.role === 'user').at(-1);
  return typeof user?.content === 'string' ? user.content : null;
}
