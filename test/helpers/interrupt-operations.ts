import { untilStatus } from './async.js';
import { graphqlRequest, type LooseData } from './graphql-clients.js';
import { EVENT_FIELDS } from './operations.js';

/** Every field of every member, plus the human-in-the-loop members in full (docs/human-in-the-loop.md). */
export const HITL_EVENT_FIELDS = /* GraphQL */ `
  ${EVENT_FIELDS}
  ... on InterruptRequested { kind tool arguments message responseSchema expiresAt }
  ... on InterruptResolved { interruptId decision value arguments comment respondedBy }
`;

/** `Workflow.pendingInterrupts` is a list of `InterruptRequested`: its fields, with the interface's. */
export const PENDING_INTERRUPT_FIELDS = /* GraphQL */ `
  __typename workflowId sequence at
  interruptId kind toolCallId tool arguments message responseSchema expiresAt value
`;

export const HITL_STREAM = /* GraphQL */ `
  subscription Stream($workflowId: ID!, $afterSequence: Int) {
    agentStream(workflowId: $workflowId, afterSequence: $afterSequence) { ${HITL_EVENT_FIELDS} }
  }
`;

export const PAUSED_WORKFLOW = /* GraphQL */ `
  query Paused($id: ID!) {
    workflow(id: $id) {
      id status lastSequence text output
      error { code message retryable }
      pendingInterrupts { ${PENDING_INTERRUPT_FIELDS} }
      events { ${HITL_EVENT_FIELDS} }
    }
  }
`;

export const RESPOND = /* GraphQL */ `
  mutation Respond($workflowId: ID!, $responses: [InterruptResponseInput!]!) {
    respondToInterrupts(workflowId: $workflowId, responses: $responses) {
      __typename
      ... on RespondToInterruptsPayload { resumed workflow { id status lastSequence } }
      ... on Error { code message }
      ... on InvalidInputError { field issues { field message } }
      ... on InterruptNotOpenError { interruptId status }
      ... on NotFoundError { id }
    }
  }
`;

/** Polls the gateway at `url` with `PAUSED_WORKFLOW` until workflow `id` has `status`; returns it. */
export function waitForWorkflowStatus(url: string, id: string, status: string, timeoutMs = 10_000): Promise<LooseData> {
  return untilStatus(
    async () => (await graphqlRequest(url, PAUSED_WORKFLOW, { id })).data!.workflow,
    status,
    timeoutMs,
  );
}
