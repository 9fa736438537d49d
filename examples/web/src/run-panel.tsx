import type { RunView } from './run-state.js';

/** The live run: status, answer text as it streams, reasoning and tool calls as they happen, errors. */
export function RunPanel({ run }: { run: RunView }) {
  if (run.status === 'idle') return null;
  return (
    <section data-testid="run">
      <div className="status" data-testid="status">
        {run.status}
        {run.totalTokens !== null ? ` · ${run.totalTokens} tokens` : ''}
        {run.workflowId ? ` · workflow ${run.workflowId}` : ''}
      </div>
      {run.reasoning.length > 0 && (
        <ul className="reasoning" data-testid="reasoning">
          {run.reasoning.map((step, index) => (
            <li key={index}>thinking: {step}</li>
          ))}
        </ul>
      )}
      {run.toolCalls.length > 0 && (
        <ul className="tool">
          {run.toolCalls.map((call) => (
            <li key={call.id} data-testid="tool-call">
              tool <code>{call.name}</code>
              {call.arguments !== null && <code>{JSON.stringify(call.arguments)}</code>}
              {call.result !== undefined && (
                <>
                  {' → '}
                  <code className={call.isError ? 'error' : undefined}>{JSON.stringify(call.result)}</code>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="answer" data-testid="answer">
        {run.text}
      </p>
      {run.error && (
        <p className="error" data-testid="error">
          {run.error}
        </p>
      )}
    </section>
  );
}
