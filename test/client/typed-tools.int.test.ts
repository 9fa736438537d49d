import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AgentToolsDocument, CallToolDocument } from '../../examples/generated/graphql.js';
import { startSynapse } from '../helpers/synapse.js';

let server: Awaited<ReturnType<typeof startSynapse>>;
beforeAll(async () => {
  server = await startSynapse();
});
afterAll(async () => {
  await server.stop();
});

async function typed<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data: TResult; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

it('the generated tool documents carry a discriminated result union the compiler narrows', async () => {
  const listed = await typed(AgentToolsDocument, { agentId: 'demo' });
  expect(listed.tools?.map((tool) => tool.name)).toEqual(['calculator']);

  const good = (
    await typed(CallToolDocument, {
      input: { agentId: 'demo', tool: 'calculator', arguments: { expression: '2 * 21' } },
    })
  ).callTool;
  if (good.__typename !== 'CallToolPayload') throw new Error(`unexpected ${good.__typename}`);
  expect(good.result).toEqual({ value: 42 });
  expect(good.workflow.status).toBe('SUCCEEDED');

  const bad = (
    await typed(CallToolDocument, { input: { agentId: 'demo', tool: 'calculator', arguments: { expr: 1 } } })
  ).callTool;
  if (bad.__typename !== 'ToolArgumentsError') throw new Error(`unexpected ${bad.__typename}`);
  expect(bad.issues.map((issue) => issue.field)).toEqual(['input.arguments.expression', 'input.arguments.expr']);
  expect(bad.code).toBe('INVALID_TOOL_ARGUMENTS');
});
