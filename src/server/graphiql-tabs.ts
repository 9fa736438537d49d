/**
 * GraphiQL's first tabs (development only; src/server/yoga.ts): the README's first session
 * instead of GraphiQL's welcome text, and a pointer to the Studio, which shows a stream as it
 * happens where GraphiQL shows only its latest event (docs/studio.md). GraphiQL uses these only
 * when the browser has no tabs stored from an earlier visit.
 */

export interface GraphiqlTab {
  query: string;
  variables?: string;
}

const RUN = `mutation Run {
  runAgent(input: { agentId: "demo", prompt: "What is 12 * (3 + 4)?" }) {
    __typename
    ... on RunAgentPayload { workflow { id status } }
    ... on Error { code message }
  }
}`;

const STREAM = `subscription Stream($workflowId: ID!) {
  agentStream(workflowId: $workflowId, afterSequence: 0) {
    __typename
    ... on StreamEvent { sequence at }
    ... on ReasoningStep { title detail }
    ... on ToolCallStarted { toolCallId toolName }
    ... on ToolCallCompleted { toolName arguments }
    ... on ToolResult { result isError }
    ... on TextDelta { delta }
    ... on UsageUpdated { usage { totalTokens } }
    ... on RunCompleted { text usage { inputTokens outputTokens totalTokens } }
    ... on RunFailed { code message }
  }
}`;

const HISTORY = `query History($workflowId: ID!) {
  workflow(id: $workflowId) {
    status
    text
    output
    usage { totalTokens }
    durationMs
    toolCalls { toolName arguments result }
    events(afterSequence: 0, first: 5) { __typename ... on StreamEvent { sequence } }
  }
  workflows(first: 5, filter: { agentId: "demo", status: [SUCCEEDED] }) {
    edges { cursor node { id status createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const CALL = `mutation Call {
  callTool(input: { agentId: "demo", tool: "calculator", arguments: { expression: "2 * 21" } }) {
    __typename
    ... on CallToolPayload { result isError workflow { id status } }
    ... on ToolArgumentsError { issues { field message } }
    ... on Error { code message }
  }
}`;

const WORKFLOW_VARIABLES = JSON.stringify({ workflowId: 'PASTE-THE-ID' }, null, 2);

/**
 * The tabs, each headed by a comment short enough for GraphiQL's editor pane; `studioUrl` (null
 * when `server.studio` is off) comes first in each, so it is seen whichever tab is open.
 */
export function graphiqlTabs(studioUrl: string | null): GraphiqlTab[] {
  const studio = studioUrl
    ? ['Synapse Studio shows a run as it streams and', `replays past workflows: ${studioUrl}`, '']
    : [];
  const header = (lines: string[]) => [...studio, ...lines].map((line) => (line ? `# ${line}` : '#')).join('\n');
  return [
    {
      query: `${header([
        'A first session (README.md):',
        '1. Run starts the demo agent; copy the workflow id.',
        '2. Stream: paste the id into Variables, then run.',
        '   Stored events replay first: no need to hurry.',
        '3. History: the finished workflow. 4. Call: a tool.',
      ])}\n${RUN}\n`,
    },
    {
      query: `${header(["One workflow's events, stored ones first, then live.", 'Set workflowId in Variables to the id Run gave.'])}\n${STREAM}\n`,
      variables: WORKFLOW_VARIABLES,
    },
    {
      query: `${header(["A finished workflow, and the demo agent's latest.", 'Set workflowId in Variables.'])}\n${HISTORY}\n`,
      variables: WORKFLOW_VARIABLES,
    },
    {
      query: `${header(['One tool call, checked against its JSON Schema,', 'run as a TOOL_CALL workflow.'])}\n${CALL}\n`,
    },
  ];
}
