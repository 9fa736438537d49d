import { useEffect, useRef, useState } from 'react';
import { stringifyDocument } from 'urql';
import { StudioStreamDocument, type StudioStreamSubscription } from '../generated/graphql.js';
import { streamErrorText, useConnection } from './connection.js';
import { applyEvent, emptyView, type WorkflowView } from './workflow-state.js';

export interface StreamState {
  view: WorkflowView;
  /** The subscription completed: the terminal event arrived (or the workflow has none yet to give). */
  completed: boolean;
  error: string | null;
}

const QUERY = stringifyDocument(StudioStreamDocument);

/**
 * `agentStream(workflowId, afterSequence: 0)` over graphql-ws: the stored events first, then the
 * live ones, each once (synapse/client resumes after a reconnect). The same hook shows a run
 * as it happens and replays a finished one from history.
 */
export function useWorkflowStream(workflowId: string, onComplete?: () => void): StreamState {
  const { connection } = useConnection();
  const [state, setState] = useState<StreamState>({ view: emptyView, completed: false, error: null });
  // A notification only: a new callback does not restart the stream.
  const onCompleteRef = useRef(onComplete);
  onCompleteRef.current = onComplete;

  useEffect(() => {
    setState({ view: emptyView, completed: false, error: null });
    // Events arrive in bursts (a replay is hundreds at once): fold them and render once a frame.
    let pending: StudioStreamSubscription['agentStream'][] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const events = pending;
      pending = [];
      setState((current) => ({ ...current, view: events.reduce(applyEvent, current.view) }));
    };
    const unsubscribe = connection.ws.subscribe<StudioStreamSubscription>(
      { query: QUERY, operationName: 'StudioStream', variables: { workflowId, afterSequence: 0 } },
      {
        next: (result) => {
          if (result.errors?.length) {
            setState((current) => ({ ...current, error: result.errors!.map((error) => error.message).join('; ') }));
            return;
          }
          const event = result.data?.agentStream;
          if (!event) return;
          pending.push(event);
          frame ||= requestAnimationFrame(flush);
        },
        error: (error) => {
          if (frame) cancelAnimationFrame(frame);
          flush();
          setState((current) => ({ ...current, error: streamErrorText(error) }));
        },
        complete: () => {
          if (frame) cancelAnimationFrame(frame);
          flush();
          setState((current) => ({ ...current, completed: true }));
          onCompleteRef.current?.();
        },
      },
    );
    return () => {
      if (frame) cancelAnimationFrame(frame);
      unsubscribe();
    };
  }, [connection, workflowId]);

  return state;
}
