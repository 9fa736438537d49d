/**
 * Pending interrupts of a workflow (human in the loop): approve, reject or respond, after which
 * the run goes on in the workflow panel (its agentStream subscription stays open).
 *
 * NOT WIRED IN YET: `Workflow.pendingInterrupts` and `respondToInterrupts` are not in this
 * branch's schema. This file is type-checked (studio/tsconfig.json) but imported by nothing, so
 * neither the build nor the tests depend on it, and its documents are plain strings that codegen
 * does not read. docs/studio.md, "Interrupts", says how to wire it in:
 *   1. move the two documents below into studio/src/operations.graphql, add `InterruptResolved`
 *      to the StudioEvent fragment, `npm run codegen`, and use the generated types here;
 *   2. in workflow-panel.tsx, render `<InterruptPanel workflowId={workflowId} status={status} />`
 *      above `<RunBody …/>` (optionally behind `useInterruptsAvailable()`);
 *   3. in workflow-state.ts, fold InterruptRequested / InterruptResolved into the timeline.
 */
import { useEffect, useState } from 'react';
import { gql, useMutation, useQuery } from 'urql';
import { errorText } from './connection.js';
import { compactJson } from './workflow-state.js';

export const PENDING_INTERRUPTS = gql`
  query StudioPendingInterrupts($id: ID!) {
    workflow(id: $id) {
      id
      status
      pendingInterrupts {
        interruptId
        kind
        toolCallId
        tool
        arguments
        message
        responseSchema
        expiresAt
        value
      }
    }
  }
`;

export const RESPOND_TO_INTERRUPTS = gql`
  mutation StudioRespondToInterrupts($workflowId: ID!, $responses: [InterruptResponseInput!]!) {
    respondToInterrupts(workflowId: $workflowId, responses: $responses) {
      __typename
      ... on Error {
        code
        message
      }
    }
  }
`;

/** `{ __type(name: "Mutation") }`: answers null in production, where introspection is off. */
const MUTATION_FIELDS = gql`
  query StudioMutationFields {
    __type(name: "Mutation") {
      fields {
        name
      }
    }
  }
`;

export type InterruptDecision = 'APPROVE' | 'REJECT' | 'RESPOND' | 'CANCEL';

export interface PendingInterrupt {
  interruptId: string;
  kind: string;
  toolCallId: string | null;
  tool: string | null;
  arguments: unknown;
  message: string | null;
  responseSchema: unknown;
  expiresAt: string | null;
  value: unknown;
}

export interface InterruptResponseInput {
  interruptId: string;
  decision: InterruptDecision;
  value?: unknown;
  arguments?: unknown;
  message?: string;
}

interface PendingInterruptsQuery {
  workflow: { id: string; status: string; pendingInterrupts: PendingInterrupt[] } | null;
}

interface RespondResult {
  respondToInterrupts: { __typename: string; code?: string; message?: string };
}

/**
 * Whether the gateway's schema has `respondToInterrupts`, by introspection. False when it has
 * not, and in production mode, where introspection is off (docs/security.md): wiring the panel
 * in unconditionally is the better choice once every gateway has the feature.
 */
export function useInterruptsAvailable(): boolean {
  const [result] = useQuery<{ __type: { fields: { name: string }[] | null } | null }>({ query: MUTATION_FIELDS });
  return !!result.data?.__type?.fields?.some((field) => field.name === 'respondToInterrupts');
}

/**
 * The pending interrupts of one workflow, each with approve / reject / respond. Refetched when
 * the status changes (INPUT_REQUIRED comes and goes with them) and after each response.
 */
export function InterruptPanel({ workflowId, status }: { workflowId: string; status: string }) {
  const [result, refetch] = useQuery<PendingInterruptsQuery>({ query: PENDING_INTERRUPTS, variables: { id: workflowId } });
  useEffect(() => {
    refetch();
  }, [status, refetch]);
  const pending = result.data?.workflow?.pendingInterrupts ?? [];
  if (result.error) return <p className="error">{errorText(result.error)}</p>;
  if (pending.length === 0) return null;
  return (
    <section className="interrupts" data-testid="interrupts">
      <h3>Waiting for you</h3>
      {pending.map((interrupt) => (
        <InterruptCard key={interrupt.interruptId} workflowId={workflowId} interrupt={interrupt} onAnswered={() => refetch()} />
      ))}
    </section>
  );
}

function InterruptCard({ workflowId, interrupt, onAnswered }: { workflowId: string; interrupt: PendingInterrupt; onAnswered: () => void }) {
  const [state, respond] = useMutation<RespondResult, { workflowId: string; responses: InterruptResponseInput[] }>(RESPOND_TO_INTERRUPTS);
  const [argumentsText, setArgumentsText] = useState(() => (interrupt.arguments === null || interrupt.arguments === undefined ? '' : JSON.stringify(interrupt.arguments, null, 2)));
  const [valueText, setValueText] = useState('');
  const [comment, setComment] = useState('');
  const [failure, setFailure] = useState<string | null>(null);

  async function answer(decision: InterruptDecision) {
    setFailure(null);
    const response: InterruptResponseInput = { interruptId: interrupt.interruptId, decision };
    try {
      if (decision === 'APPROVE' && argumentsText.trim() && argumentsText !== JSON.stringify(interrupt.arguments, null, 2)) {
        response.arguments = JSON.parse(argumentsText);
      }
      if (decision === 'RESPOND') response.value = valueText.trim() ? parseLoose(valueText) : null;
    } catch (error) {
      setFailure(`not JSON: ${(error as Error).message}`);
      return;
    }
    if (comment.trim()) response.message = comment.trim();
    const result = await respond({ workflowId, responses: [response] });
    const payload = result.data?.respondToInterrupts;
    if (result.error) setFailure(errorText(result.error));
    else if (payload?.code) setFailure(`${payload.code}: ${payload.message ?? ''}`);
    else onAnswered();
  }

  const isApproval = interrupt.kind.toUpperCase().includes('APPROV') || interrupt.tool !== null;
  return (
    <div className="interrupt" data-testid="interrupt" data-interrupt-id={interrupt.interruptId}>
      <div className="tool-name">
        <span className="pill">{interrupt.kind}</span>
        {interrupt.tool && <code>{interrupt.tool}</code>}
        {interrupt.expiresAt && <span className="muted"> · expires {new Date(interrupt.expiresAt).toLocaleTimeString()}</span>}
      </div>
      {interrupt.message && <p>{interrupt.message}</p>}
      {interrupt.value !== null && interrupt.value !== undefined && <code className="muted">{compactJson(interrupt.value)}</code>}
      {isApproval && (
        <label>
          <span className="label">arguments (edit before approving)</span>
          <textarea rows={3} data-testid="interrupt-arguments" value={argumentsText} onChange={(event) => setArgumentsText(event.target.value)} />
        </label>
      )}
      <label>
        <span className="label">response{interrupt.responseSchema ? ` (schema: ${compactJson(interrupt.responseSchema)})` : ''}</span>
        <textarea rows={2} data-testid="interrupt-value" value={valueText} onChange={(event) => setValueText(event.target.value)} placeholder="a value (JSON or text)" />
      </label>
      <input data-testid="interrupt-comment" placeholder="comment (optional)" value={comment} onChange={(event) => setComment(event.target.value)} />
      {failure && <p className="error">{failure}</p>}
      <div className="actions">
        <button type="button" className="primary" data-testid="interrupt-approve" disabled={state.fetching} onClick={() => void answer('APPROVE')}>
          Approve
        </button>
        <button type="button" className="danger" data-testid="interrupt-reject" disabled={state.fetching} onClick={() => void answer('REJECT')}>
          Reject
        </button>
        <button type="button" data-testid="interrupt-respond" disabled={state.fetching || !valueText.trim()} onClick={() => void answer('RESPOND')}>
          Respond
        </button>
      </div>
    </div>
  );
}

/** JSON when it parses, else the text itself as a string value. */
function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
