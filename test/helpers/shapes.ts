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

/** A content block of an Anthropic message, with the fields the tests read. */
export interface ModelBlock {
  type: string;
  id: string;
  name: string;
  input: unknown;
  text: string;
  tool_use_id: string;
  content: unknown;
  is_error?: boolean;
}

/** A message of an OpenAI chat or Anthropic request, or an item of an OpenAI Responses `input`. */
export interface ModelMessage {
  role: string;
  type: string;
  content: string | ModelBlock[];
  tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
  tool_call_id: string;
  call_id: string;
  name: string;
  arguments: string;
  output: string;
}

/** A tool offered in a model request, in any of the three vendor formats. */
export interface ModelTool {
  type?: string;
  name: string;
  description?: string;
  parameters?: unknown;
  input_schema?: unknown;
  function: { name: string; description?: string; parameters?: unknown };
}

/** A model request body as the scripted model upstreams receive it (fields per vendor dialect). */
export interface ModelRequestBody {
  messages: ModelMessage[];
  input: ModelMessage[];
  tools?: ModelTool[];
  instructions?: unknown;
  system?: unknown;
  [field: string]: unknown;
}
