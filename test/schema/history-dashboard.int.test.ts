import type { ResultOf } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConversationDocument,
  NewerWorkflowsDocument,
  TokenSpendDocument,
  WorkflowBoardDocument,
} from '../../examples/generated/graphql.js';
import { graphqlRequest } from '../helpers/graphql-clients.js';
import { insertWorkflow } from '../helpers/history-server.js';
import { RUN_AGENT } from '../helpers/operations.js';
import { startSynapse } from '../helpers/synapse.js';

type Board = ResultOf<typeof WorkflowBoardDocument>['workflowUpdates'];

let server: Awaited<ReturnType<typeof startSynapse>>;
beforeAll(async () => {
  server = await startSynapse();
});
afterAll(() => server.stop());

describe('the dashboard operations of examples/operations/history-dashboard.graphql', () => {
  it('watch workflowUpdates over GraphQL over SSE, then read newer workflows, the thread and the spend', async () => {
    const sse = createSseClient({ url: server.url, retryAttempts: 0 });
    const received: Board[] = [];
    let wake: () => void = () => {};
    const iterator = sse.iterate<ResultOf<typeof WorkflowBoardDocument>>({
      query: print(WorkflowBoardDocument),
      variables: { filter: { agentId: 'demo' } },
    });
    const reading = (async () => {
      for await (const result of iterator) {
        expect(result.errors).toBeUndefined();
        received.push(result.data!.workflowUpdates);
        wake();
      }
    })();
    const waitFor = async (predicate: () => boolean, what: string) => {
      const deadline = Date.now() + 15_000;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(received)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
    };
    try {
      const probe = await insertWorkflow(server.services.store, { createdAt: new Date(), agentId: 'demo' });
      await waitFor(() => {
        server.services.pubsub.publishWorkflowUpdate(probe);
        return received.some((update) => update.id === probe.id);
      }, 'the probe');
      const { startCursor } = (
        await graphqlRequest<ResultOf<typeof NewerWorkflowsDocument>>(server.url, print(NewerWorkflowsDocument), {})
      ).data!.workflows.pageInfo;

      const run = await graphqlRequest(server.url, RUN_AGENT, {
        input: { agentId: 'demo', prompt: 'What is 5 * 5?', wait: true },
      });
      const workflow = run.data!.runAgent.workflow as { id: string; threadId: string };
      await waitFor(
        () => received.some((update) => update.id === workflow.id && update.status === 'SUCCEEDED'),
        'SUCCEEDED',
      );
      expect(received.filter((update) => update.id === workflow.id).map((update) => update.status)).toEqual([
        'RUNNING',
        'SUCCEEDED',
      ]);

      const newer = await graphqlRequest<ResultOf<typeof NewerWorkflowsDocument>>(
        server.url,
        print(NewerWorkflowsDocument),
        { before: startCursor },
      );
      expect(newer.data!.workflows.edges.map((edge) => edge.node.id)).toEqual([workflow.id]);

      const conversation = await graphqlRequest<ResultOf<typeof ConversationDocument>>(
        server.url,
        print(ConversationDocument),
        { id: workflow.threadId },
      );
      expect(conversation.data!.thread?.workflows.map((turn) => turn.id)).toEqual([workflow.id]);

      const spend = await graphqlRequest<ResultOf<typeof TokenSpendDocument>>(server.url, print(TokenSpendDocument), {
        groupBy: 'AGENT',
      });
      const demo = spend.data!.usageSummary.find((row) => row.key === 'demo');
      expect(demo?.workflows).toBe(2);
      expect(demo?.totalTokens).toBeGreaterThan(0);
    } finally {
      await iterator.return?.();
      sse.dispose();
      await reading.catch(() => {});
    }
  });
});
