import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Provider, useQuery } from 'urql';
import { StudioAgentsDocument } from '../generated/graphql.js';
import {
  connect,
  ConnectionContext,
  errorText,
  gatewayUrl,
  isUnauthenticated,
  loadKey,
  saveKey,
  useConnection,
} from './connection.js';
import { History } from './history.js';
import { KeyPrompt } from './key-prompt.js';
import { AgentList, RunForm } from './run-form.js';
import { WorkflowPanel } from './workflow-panel.js';

/** The workflow in the URL (`#/workflows/<id>`), so a run can be linked and survives a reload. */
function workflowFromHash(): string | null {
  const match = /^#\/workflows\/(.+)$/.exec(window.location.hash);
  return match ? decodeURIComponent(match[1]!) : null;
}

export function App() {
  const [key, setKey] = useState<string | null>(loadKey);
  const connection = useMemo(() => connect(key), [key]);
  // A new key replaces the clients: the previous socket closes. (Not in an effect's cleanup,
  // which StrictMode runs once at mount in development and would leave the clients disposed.)
  const previous = useRef(connection);
  useEffect(() => {
    if (previous.current !== connection) void previous.current.ws.dispose();
    previous.current = connection;
  }, [connection]);
  const [prompt, setPrompt] = useState<{ reason: string | null } | null>(null);
  const askForKey = useCallback((reason?: string) => setPrompt({ reason: reason ?? null }), []);
  const context = useMemo(() => ({ connection, askForKey }), [connection, askForKey]);

  function applyKey(next: string | null) {
    saveKey(next);
    setKey(next);
    setPrompt(null);
  }

  return (
    <ConnectionContext.Provider value={context}>
      <Provider value={connection.http}>
        <header className="topbar">
          <h1>
            Synapse <span>Studio</span>
          </h1>
          <span className="endpoint muted" title="The GraphQL endpoint this page talks to">
            {gatewayUrl().http}
          </span>
          <span className="spacer" />
          {key ? (
            <span className="key-state" data-testid="key-state">
              key set ·{' '}
              <button type="button" className="link" data-testid="forget-key" onClick={() => applyKey(null)}>
                forget
              </button>
            </span>
          ) : (
            <button type="button" className="link" data-testid="open-key-prompt" onClick={() => askForKey()}>
              API key…
            </button>
          )}
        </header>
        <Studio key={key ?? ''} />
        {prompt && (
          <KeyPrompt reason={prompt.reason} onSubmit={(next) => applyKey(next)} onClose={() => setPrompt(null)} />
        )}
      </Provider>
    </ConnectionContext.Provider>
  );
}

function Studio() {
  const { connection, askForKey } = useConnection();
  const [agents] = useQuery({ query: StudioAgentsDocument });
  const [selected, setSelected] = useState<string | null>(workflowFromHash);
  const [refresh, setRefresh] = useState(0);
  const [agentFilter, setAgentFilter] = useState<string | null>(null);
  const bump = useCallback(() => setRefresh((value) => value + 1), []);

  useEffect(() => {
    const onHash = () => setSelected(workflowFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const unauthenticated = isUnauthenticated(agents.error);
  useEffect(() => {
    if (!unauthenticated || !agents.error) return;
    askForKey(
      connection.key
        ? `The gateway refused this key: ${agents.error.graphQLErrors[0]?.message ?? 'invalid credentials'}`
        : undefined,
    );
  }, [unauthenticated, agents.error, askForKey, connection.key]);

  function open(workflowId: string) {
    window.location.hash = `#/workflows/${encodeURIComponent(workflowId)}`;
    setSelected(workflowId);
  }

  const agentList = agents.data?.agents ?? [];
  return (
    <main className="layout">
      <aside className="left">
        <RunForm
          agents={agentList}
          onStarted={(workflowId) => {
            open(workflowId);
            bump();
          }}
        />
        {agents.error && !unauthenticated && <p className="error">{errorText(agents.error)}</p>}
        {unauthenticated && (
          <p className="notice" data-testid="auth-required">
            This gateway requires an API key.{' '}
            <button type="button" className="link" onClick={() => askForKey()}>
              Enter it
            </button>
          </p>
        )}
        <AgentList
          agents={agentList}
          selected={agentFilter}
          onSelect={(id) => setAgentFilter((current) => (current === id ? null : id))}
        />
      </aside>
      <section className="center">
        {selected ? (
          <WorkflowPanel key={`${selected}`} workflowId={selected} onSettled={bump} />
        ) : (
          <section className="panel empty-state" data-testid="empty-state">
            <h2>No workflow open</h2>
            <p>Run an agent, or open a past workflow to replay its timeline from history.</p>
          </section>
        )}
      </section>
      <aside className="right">
        <History
          key={agentFilter ?? ''}
          initialAgent={agentFilter}
          agents={agentList.map((agent) => agent.id)}
          selected={selected}
          onOpen={open}
          refresh={refresh}
        />
      </aside>
    </main>
  );
}
