import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlRequest } from '../../helpers/graphql-clients.js';
import { startSynapse, TEST_AGENTS } from '../../helpers/synapse.js';
import type { WorkflowView } from '../../helpers/shapes.js';

/** Both ways at once: one gateway's `a2a` agent is another gateway's A2A server (docs/a2a.md). */
describe('A2A both ways: a Synapse agent called through A2A by another Synapse', () => {
  let remote: Awaited<ReturnType<typeof startSynapse>>;
  let local: Awaited<ReturnType<typeof startSynapse>>;
  beforeAll(async () => {
    remote = await startSynapse({
      config: { agents: [...TEST_AGENTS, { id: 'asker', dialect: 'demo', demo: { wordDelayMs: 1, askHuman: true } }] },
    });
    const base = new URL('/', remote.url).href.replace(/\/$/, '');
    local = await startSynapse({
      config: {
        agents: [
          { id: 'via-a2a', dialect: 'a2a', url: `${base}/a2a/demo/.well-known/agent-card.json` },
          { id: 'asker-via-a2a', dialect: 'a2a', url: `${base}/a2a/asker/.well-known/agent-card.json` },
        ],
      },
    });
  });
  afterAll(async () => {
    await local.stop();
    await remote.stop();
  });

  const READ = `query($id: ID!) { workflow(id: $id) { id status text threadId pendingInterrupts { interruptId kind message responseSchema } } }`;
  const until = async (id: string, status: string) => {
    let workflow = {} as WorkflowView;
    for (let tries = 0; tries < 150; tries++) {
      workflow = (await graphqlRequest(local.url, READ, { id })).data!.workflow;
      if (workflow.status === status) break;
      await sleep(20);
    }
    return workflow;
  };

  it('streams the remote run as text, the remote thread is the local thread', async () => {
    const started = await graphqlRequest(
      local.url,
      `mutation($input: RunAgentInput!) { runAgent(input: $input) { ... on RunAgentPayload { workflow { id threadId } } } }`,
      {
        input: { agentId: 'via-a2a', prompt: 'What is 12 * (3 + 4)?' },
      },
    );
    const { id, threadId } = started.data!.runAgent.workflow;
    const workflow = await until(id, 'SUCCEEDED');
    expect(workflow.status).toBe('SUCCEEDED');
    expect(workflow.text).toContain('84');
    const remoteThread = await graphqlRequest(
      remote.url,
      `query($id: ID!) { thread(id: $id) { workflows { text } } }`,
      { id: threadId },
    );
    expect(remoteThread.data!.thread.workflows.map((flow: { text: string }) => flow.text)).toEqual([workflow.text]);
  });

  it('a remote INPUT interrupt is a local one; the local answer resumes the remote task', async () => {
    const started = await graphqlRequest(
      local.url,
      `mutation($input: RunAgentInput!) { runAgent(input: $input) { ... on RunAgentPayload { workflow { id } } } }`,
      {
        input: { agentId: 'asker-via-a2a', prompt: 'compute something please' },
      },
    );
    const id = started.data!.runAgent.workflow.id as string;
    const paused = await until(id, 'INPUT_REQUIRED');
    expect(paused.pendingInterrupts).toHaveLength(1);
    expect(paused.pendingInterrupts[0]).toMatchObject({
      kind: 'INPUT',
      message: 'Which expression should the calculator evaluate?',
    });
    const answered = await graphqlRequest(
      local.url,
      `mutation($id: ID!, $responses: [InterruptResponseInput!]!) { respondToInterrupts(workflowId: $id, responses: $responses) { __typename } }`,
      {
        id,
        responses: [
          {
            interruptId: paused.pendingInterrupts[0]!.interruptId,
            decision: 'RESPOND',
            value: { expression: '6 * 7' },
          },
        ],
      },
    );
    expect(answered.data!.respondToInterrupts.__typename).toBe('RespondToInterruptsPayload');
    const done = await until(id, 'SUCCEEDED');
    expect(done.status).toBe('SUCCEEDED');
    expect(done.text).toContain('42');
  });
});
