/**
 * The shapes the integration tests read from GraphQL results. A selection that leaves a field out
 * leaves it undefined; fields a test does not name stay `unknown` and are checked by assertions.
 */

/** One streamed or stored event: its typename, its sequence, and whatever else the selection asked for. */
export interface StreamEvent {
  __typename: string;
  sequence: number;
  [field: string]: unknown;
}

/** A pending interrupt as the HITL selections return it. */
export interface PendingInterrupt {
  interruptId: string;
  kind: string;
  [field: string]: unknown;
}

/** A workflow as the tests' selections return it. */
export interface WorkflowView {
  id: string;
  status: string;
  events: StreamEvent[];
  pendingInterrupts: PendingInterrupt[];
  output: unknown;
  [field: string]: unknown;
}
