import { useEffect, useRef, useState } from 'react';
import { stringifyDocument, useQuery } from 'urql';
import { StudioWorkflowsDocument, StudioWorkflowUpdatesDocument, type WorkflowStatus } from '../generated/graphql.js';
import { errorText, isUnauthenticated, useConnection } from './connection.js';
import { formatTime, StatusBadge } from './ui.js';
import { promptOf } from './workflow-panel.js';

export const PAGE_SIZE = 10;
const STATUSES: WorkflowStatus[] = [
  'RUNNING',
  'INPUT_REQUIRED',
  'QUEUED',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'INTERRUPTED',
];

/**
 * Past workflows, newest first (`Query.workflows`, a Relay connection): filters by agent and
 * status, pages of PAGE_SIZE towards older ones and back. `refresh` changes to refetch.
 */
export function History({
  agents,
  initialAgent,
  selected,
  onOpen,
  refresh,
}: {
  agents: string[];
  initialAgent: string | null;
  selected: string | null;
  onOpen: (id: string) => void;
  refresh: number;
}) {
  const [agentId, setAgentId] = useState(initialAgent ?? '');
  const [status, setStatus] = useState('');
  // The `after` cursor of each page opened so far; the last is the page shown (null: the newest).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors.at(-1) ?? null;
  const filter = { ...(agentId ? { agentId } : {}), ...(status ? { status: [status as WorkflowStatus] } : {}) };
  const [result, refetch] = useQuery({
    query: StudioWorkflowsDocument,
    variables: { filter, first: PAGE_SIZE, after },
  });
  // A new `refresh` (a run started or ended here) refetches the page shown.
  const refetchRef = useRef(refetch);
  refetchRef.current = refetch;
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) firstRender.current = false;
    else refetchRef.current();
  }, [refresh]);
  // Once the list has loaded (and from then on): without a valid key the socket would only be refused.
  const loaded = useRef(false);
  if (result.data) loaded.current = true;
  useLiveRefetch(loaded.current, () => refetchRef.current());
  const connection = result.data?.workflows;

  function changeFilter(update: () => void) {
    update();
    setCursors([null]);
  }

  return (
    <section className="panel history" data-testid="history-panel">
      <header className="panel-head">
        <h2>Past workflows</h2>
        <button type="button" className="ghost" onClick={() => refetch()} data-testid="history-refresh" title="Refresh">
          ↻
        </button>
      </header>
      <div className="filters">
        <select
          aria-label="agent filter"
          data-testid="filter-agent"
          value={agentId}
          onChange={(event) => changeFilter(() => setAgentId(event.target.value))}
        >
          <option value="">all agents</option>
          {agents.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
        <select
          aria-label="status filter"
          data-testid="filter-status"
          value={status}
          onChange={(event) => changeFilter(() => setStatus(event.target.value))}
        >
          <option value="">any status</option>
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {value.toLowerCase()}
            </option>
          ))}
        </select>
      </div>
      {/* A missing key is the key prompt's to say. */}
      {result.error && !isUnauthenticated(result.error) && <p className="error">{errorText(result.error)}</p>}
      <ul className="history-list" data-testid="history">
        {connection?.edges.map(({ node }) => (
          <li key={node.id}>
            <button
              type="button"
              className={`history-item${node.id === selected ? ' selected' : ''}`}
              data-testid="history-item"
              data-workflow-id={node.id}
              data-status={node.status}
              data-agent={node.agent?.id ?? ''}
              onClick={() => onOpen(node.id)}
            >
              <span className="row1">
                <StatusBadge status={node.status} />
                <strong>{node.agent?.id ?? node.kind.toLowerCase()}</strong>
                <span className="muted time">{formatTime(node.createdAt)}</span>
              </span>
              <span className="row2 muted">{promptOf(node.input) ?? node.id}</span>
              <span className="row3 muted">
                {node.durationMs !== null ? `${node.durationMs} ms` : 'running'}
                {node.usage?.totalTokens != null ? ` · ${node.usage.totalTokens} tokens` : ''}
              </span>
            </button>
          </li>
        ))}
        {connection && connection.edges.length === 0 && (
          <li className="muted empty">No workflows{agentId || status ? ' match these filters' : ' yet'}.</li>
        )}
      </ul>
      <footer className="pager">
        <button
          type="button"
          data-testid="page-newer"
          disabled={cursors.length <= 1}
          onClick={() => setCursors((list) => list.slice(0, -1))}
        >
          ← Newer
        </button>
        <span className="muted" data-testid="page-number">
          page {cursors.length}
        </span>
        <button
          type="button"
          data-testid="page-older"
          disabled={!connection?.pageInfo.hasNextPage}
          onClick={() =>
            connection?.pageInfo.endCursor && setCursors((list) => [...list, connection.pageInfo.endCursor])
          }
        >
          Older →
        </button>
      </footer>
    </section>
  );
}

const UPDATES = stringifyDocument(StudioWorkflowUpdatesDocument);
const LIVE_REFETCH_MS = 500;

/**
 * `workflowUpdates` over graphql-ws: each status change of any of the caller's workflows (runs
 * started elsewhere too) refetches the list, at most every LIVE_REFETCH_MS. Without the feed
 * (an error, a refused scope) the list still refreshes on this page's own runs.
 */
function useLiveRefetch(enabled: boolean, refetch: () => void): void {
  const { connection } = useConnection();
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = connection.ws.subscribe(
      { query: UPDATES, operationName: 'StudioWorkflowUpdates' },
      {
        next: () => {
          timer ??= setTimeout(() => {
            timer = null;
            refetch();
          }, LIVE_REFETCH_MS);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    return () => {
      if (timer) clearTimeout(timer);
      unsubscribe();
    };
    // `refetch` reads a ref: the feed stays open for the life of the list.
  }, [connection, enabled]);
}
