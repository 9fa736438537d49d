/** The tool operations the integration tests send. */

export const CALL_TOOL = /* GraphQL */ `
  mutation CallTool($input: CallToolInput!) {
    callTool(input: $input) {
      __typename
      ... on CallToolPayload { result isError workflow { id kind status agent { id } input output error { code message retryable } } }
      ... on Error { code message }
      ... on UnknownToolError { agentId tool }
      ... on ToolArgumentsError { tool field issues { field message } }
      ... on InvalidInputError { field issues { field message } }
      ... on ToolCallFailure { retryable workflow { id kind status error { code message retryable } } }
    }
  }
`;

export const TOOLS = /* GraphQL */ `
  query Tools($agentId: ID!) {
    tools(agentId: $agentId) { name description inputSchema source }
    agent(id: $agentId) { tools { name source } }
  }
`;
