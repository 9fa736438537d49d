/**
 * The urql example: the same typed documents, subscriptions through
 * `synapse/client/urql`'s resumable subscription exchange.
 */
import { useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { cacheExchange, Client, fetchExchange, Provider, useMutation, useSubscription } from 'urql';
import { resumableSubscriptionExchange } from 'synapse/client/urql';
import { AgentStreamDocument, RunAgentDocument } from '../../generated/graphql.js';
import { gatewayUrl } from './gateway-url.js';
import { RunPanel } from './run-panel.js';
import { applyEvent, idleRun, type RunView } from './run-state.js';

const url = gatewayUrl();
const client = new Client({
  url: url.http,
  exchanges: [cacheExchange, fetchExchange, resumableSubscriptionExchange({ url: url.ws })],
});

/** One run's live view; keyed by workflow id, so each run starts from a clean state. */
function LiveRun({ workflowId }: { workflowId: string }) {
  const [{ data: run, error }] = useSubscription(
    { query: AgentStreamDocument, variables: { workflowId, afterSequence: 0 } },
    (view: RunView = { ...idleRun, status: 'starting', workflowId }, data) => applyEvent(view, data.agentStream),
  );
  const view = run ?? { ...idleRun, status: 'starting' as const, workflowId };
  return <RunPanel run={error ? { ...view, status: 'failed', error: error.message } : view} />;
}

function App() {
  const [, runAgent] = useMutation(RunAgentDocument);
  const [prompt, setPrompt] = useState('What is 6 * 7?');
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  // Never rejects: urql resolves a failed mutation with `result.error`, shown as the failure.
  async function start(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    setWorkflowId(null);
    const result = await runAgent({ input: { agentId: 'demo', prompt } });
    const payload = result.data?.runAgent;
    if (payload?.__typename === 'RunAgentPayload') setWorkflowId(payload.workflow.id);
    else setFailure(result.error?.message ?? (payload ? `${payload.code}: ${payload.message}` : 'no answer'));
  }

  return (
    <main>
      <h1>Synapse · urql</h1>
      <nav>
        {/* Keep ?gateway= when switching pages. */}
        <a href={`./index.html${window.location.search}`} data-testid="other-page">
          the same run with Apollo Client
        </a>
      </nav>
      <form onSubmit={(event) => void start(event)}>
        <input name="prompt" data-testid="prompt" value={prompt} onChange={(event) => setPrompt(event.target.value)} />
        <button type="submit" data-testid="run-button">
          Run
        </button>
      </form>
      {failure && (
        <p className="error" data-testid="error">
          {failure}
        </p>
      )}
      {workflowId && <LiveRun key={workflowId} workflowId={workflowId} />}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <Provider value={client}>
    <App />
  </Provider>,
);
