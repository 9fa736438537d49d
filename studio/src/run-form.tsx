import { useEffect, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { StudioRunAgentDocument, type StudioAgentsQuery } from '../generated/graphql.js';
import { errorText } from './connection.js';

type Agent = StudioAgentsQuery['agents'][number];

/** Agents (`Query.agents`) and a prompt to run one of them (`runAgent`). */
export function RunForm({ agents, onStarted }: { agents: Agent[]; onStarted: (workflowId: string) => void }) {
  const [agentId, setAgentId] = useState('');
  const [prompt, setPrompt] = useState('What is 12 * (3 + 4)?');
  const [state, runAgent] = useMutation(StudioRunAgentDocument);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (!agents.some((agent) => agent.id === agentId) && agents[0]) setAgentId(agents[0].id);
  }, [agents, agentId]);

  async function start(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const result = await runAgent({ input: { agentId, prompt } });
    const payload = result.data?.runAgent;
    if (payload?.__typename === 'RunAgentPayload') onStarted(payload.workflow.id);
    else if (result.error) setFailure(errorText(result.error));
    else if (payload) {
      const issues =
        'issues' in payload ? payload.issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ') : '';
      setFailure(`${payload.code}: ${payload.message}${issues ? ` (${issues})` : ''}`);
    }
  }

  return (
    <section className="panel run-form">
      <h2>Run an agent</h2>
      <form onSubmit={(event) => void start(event)}>
        <label>
          <span>Agent</span>
          <select
            name="agent"
            data-testid="agent-select"
            value={agentId}
            onChange={(event) => setAgentId(event.target.value)}
          >
            {agents.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Prompt</span>
          <textarea
            name="prompt"
            data-testid="prompt"
            rows={4}
            value={prompt}
            onChange={(event) => setPrompt(event.target.value)}
            onKeyDown={(event) => {
              // Ctrl/Cmd+Enter runs, as in most chat boxes.
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) event.currentTarget.form?.requestSubmit();
            }}
          />
        </label>
        <button type="submit" className="primary" data-testid="run-button" disabled={state.fetching || !agentId}>
          {state.fetching ? 'Starting…' : 'Run'}
        </button>
        {failure && (
          <p className="error" data-testid="run-failure">
            {failure}
          </p>
        )}
      </form>
    </section>
  );
}

export function AgentList({
  agents,
  selected,
  onSelect,
}: {
  agents: Agent[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  return (
    <section className="panel agents">
      <h2>Agents</h2>
      <ul data-testid="agents">
        {agents.map((agent) => (
          <li
            key={agent.id}
            data-testid="agent"
            data-agent-id={agent.id}
            className={agent.id === selected ? 'selected' : undefined}
          >
            <button
              type="button"
              className="agent-button"
              onClick={() => onSelect(agent.id)}
              title="Show this agent's workflows"
            >
              <strong>{agent.id}</strong>
              <span className="pill">{agent.dialect}</span>
            </button>
            {agent.description && <p className="muted">{agent.description}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
