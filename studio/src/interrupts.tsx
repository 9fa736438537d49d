/**
 * Pending interrupts of a workflow (human in the loop, docs/human-in-the-loop.md): approve or
 * reject a tool call, respond to a question or with a client tool's result. The run then goes on
 * in the workflow panel, whose agentStream subscription stays open through the pause.
 */
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  StudioPendingInterruptsDocument,
  StudioRespondToInterruptsDocument,
  type InterruptResponseInput,
} from '../generated/graphql.js';
import { errorText } from './connection.js';
import { compactJson } from './workflow-state.js';

type InterruptDecision = InterruptResponseInput['decision'];

interface PendingInterrupt {
  interruptId: string;
  kind: string;
  toolCallId?: string | null;
  tool?: string | null;
  arguments?: unknown;
  message: string;
  responseSchema?: unknown;
  expiresAt?: unknown;
  value?: unknown;
}

/**
 * The pending interrupts of one workflow, each with approve / reject / respond. Refetched when
 * the status changes (INPUT_REQUIRED comes and goes with them) and after each response.
 */
export function InterruptPanel({ workflowId, status }: { workflowId: string; status: string }) {
  const [result, refetch] = useQuery({
    query: StudioPendingInterruptsDocument,
    variables: { id: workflowId },
    requestPolicy: 'network-only',
  });
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
        <InterruptCard
          key={interrupt.interruptId}
          workflowId={workflowId}
          interrupt={interrupt}
          onAnswered={() => refetch()}
        />
      ))}
    </section>
  );
}

function InterruptCard({
  workflowId,
  interrupt,
  onAnswered,
}: {
  workflowId: string;
  interrupt: PendingInterrupt;
  onAnswered: () => void;
}) {
  const [state, respond] = useMutation(StudioRespondToInterruptsDocument);
  const [argumentsText, setArgumentsText] = useState(() =>
    interrupt.arguments === null || interrupt.arguments === undefined
      ? ''
      : JSON.stringify(interrupt.arguments, null, 2),
  );
  const [valueText, setValueText] = useState('');
  const [comment, setComment] = useState('');
  const [failure, setFailure] = useState<string | null>(null);

  async function answer(decision: InterruptDecision) {
    setFailure(null);
    const response: InterruptResponseInput = { interruptId: interrupt.interruptId, decision };
    try {
      if (
        decision === 'APPROVE' &&
        argumentsText.trim() &&
        argumentsText !== JSON.stringify(interrupt.arguments, null, 2)
      ) {
        response.arguments = JSON.parse(argumentsText);
      }
      if (decision === 'RESPOND') response.value = valueText.trim() ? parseLoose(valueText) : null;
    } catch (error) {
      setFailure(`not JSON: ${(error as Error).message}`);
      return;
    }
    if (decision === 'REJECT' && comment.trim()) response.message = comment.trim();
    const result = await respond({ workflowId, responses: [response] });
    const payload = result.data?.respondToInterrupts;
    if (result.error) setFailure(errorText(result.error));
    else if (payload && payload.__typename !== 'RespondToInterruptsPayload')
      setFailure(`${payload.code}: ${payload.message}${'field' in payload ? ` (${payload.field})` : ''}`);
    else onAnswered();
  }

  // What each kind takes (docs/human-in-the-loop.md, "The answers").
  const isApproval = interrupt.kind === 'TOOL_APPROVAL';
  const takesValue = interrupt.kind === 'INPUT' || interrupt.kind === 'CLIENT_TOOL';
  const canReject = interrupt.kind !== 'INPUT';
  return (
    <div className="interrupt" data-testid="interrupt" data-interrupt-id={interrupt.interruptId}>
      <div className="tool-name">
        <span className="pill">{interrupt.kind}</span>
        {interrupt.tool && <code>{interrupt.tool}</code>}
        {typeof interrupt.expiresAt === 'string' && (
          <span className="muted"> · expires {new Date(interrupt.expiresAt).toLocaleTimeString()}</span>
        )}
      </div>
      {interrupt.message && <p>{interrupt.message}</p>}
      {interrupt.value !== null && interrupt.value !== undefined && (
        <code className="muted">{compactJson(interrupt.value)}</code>
      )}
      {isApproval && (
        <label>
          <span className="label">arguments (edit before approving)</span>
          <textarea
            rows={3}
            data-testid="interrupt-arguments"
            value={argumentsText}
            onChange={(event) => setArgumentsText(event.target.value)}
          />
        </label>
      )}
      {takesValue && (
        <label>
          <span className="label">
            {interrupt.kind === 'CLIENT_TOOL' ? 'the tool’s result' : 'your answer'}
            {interrupt.responseSchema ? ` (schema: ${compactJson(interrupt.responseSchema)})` : ''}
          </span>
          <textarea
            rows={2}
            data-testid="interrupt-value"
            value={valueText}
            onChange={(event) => setValueText(event.target.value)}
            placeholder="a value (JSON or text)"
          />
        </label>
      )}
      {canReject && (
        <input
          data-testid="interrupt-comment"
          placeholder="why (sent with a reject)"
          value={comment}
          onChange={(event) => setComment(event.target.value)}
        />
      )}
      {failure && <p className="error">{failure}</p>}
      <div className="actions">
        {isApproval && (
          <button
            type="button"
            className="primary"
            data-testid="interrupt-approve"
            disabled={state.fetching}
            onClick={() => void answer('APPROVE')}
          >
            Approve
          </button>
        )}
        {takesValue && (
          <button
            type="button"
            className="primary"
            data-testid="interrupt-respond"
            disabled={state.fetching || !valueText.trim()}
            onClick={() => void answer('RESPOND')}
          >
            Respond
          </button>
        )}
        {canReject && (
          <button
            type="button"
            className="danger"
            data-testid="interrupt-reject"
            disabled={state.fetching}
            onClick={() => void answer('REJECT')}
          >
            Reject
          </button>
        )}
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
