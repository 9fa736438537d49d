import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyEntry, authedRequest } from '../helpers/auth-clients.js';
import { PAUSED_WORKFLOW, RESPOND } from '../helpers/interrupt-operations.js';
import { RUN_AGENT } from '../helpers/operations.js';
import { startSynapse, TEST_AGENTS } from '../helpers/synapse.js';
import { sleep } from '../helpers/async.js';
import type { WorkflowView } from '../helpers/shapes.js';

const ALL = ['agents:run', 'tools:call', 'workflows:read'];
const ACME = 'acme-key-0123456789';
const GLOBEX = 'globex-key-0123456789';
const READER = 'acme-reader-0123456789';

let server: Awaited<ReturnType<typeof startSynapse>>;
let workflowId: string;

beforeAll(async () => {
  server = await startSynapse({
    config: {
      agents: [...TEST_AGENTS, { id: 'ask', dialect: 'demo', demo: { wordDelayMs: 0, askHuman: true } }],
      auth: {
        apiKeys: [
          apiKeyEntry('acme', ACME, 'acme', ALL),
          apiKeyEntry('globex', GLOBEX, 'globex', ALL),
          apiKeyEntry('acme-reader', READER, 'acme', ['workflows:read']),
        ],
      },
    },
  });
  const run = await authedRequest(server.url, ACME, RUN_AGENT, { input: { agentId: 'ask', prompt: 'what is 6 + 6' } });
  workflowId = run.body.data!.runAgent.workflow.id;
  for (let attempt = 0; attempt < 200; attempt++) {
    const workflow = await authedRequest(server.url, ACME, PAUSED_WORKFLOW, { id: workflowId });
    if (workflow.body.data?.workflow?.status === 'INPUT_REQUIRED') return;
    await sleep(20);
  }
  throw new Error('the workflow did not pause');
});
afterAll(async () => {
  await server?.stop();
});

const APPROVE = [{ interruptId: 'approve_call_1', decision: 'APPROVE' }];

describe('human in the loop: tenants and scopes', () => {
  it('another tenant neither sees the paused workflow nor can answer it', async () => {
    expect(
      (await authedRequest(server.url, GLOBEX, PAUSED_WORKFLOW, { id: workflowId })).body.data!.workflow,
    ).toBeNull();
    const answered = await authedRequest(server.url, GLOBEX, RESPOND, { workflowId, responses: APPROVE });
    expect(answered.body.data!.respondToInterrupts).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      id: workflowId,
    });
    expect(
      (await authedRequest(server.url, ACME, PAUSED_WORKFLOW, { id: workflowId })).body.data!.workflow.status,
    ).toBe('INPUT_REQUIRED');
  });

  it('answering needs the scope agents:run', async () => {
    const answered = await authedRequest(server.url, READER, RESPOND, { workflowId, responses: APPROVE });
    expect(answered.status).toBe(403);
    expect(answered.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'agents:run' });
    const paused = await authedRequest(server.url, READER, PAUSED_WORKFLOW, { id: workflowId });
    expect(paused.body.data!.workflow.pendingInterrupts).toHaveLength(1);
  });

  it('the workflow tenant answers; respondedBy is its principal id (apiKey:<id>)', async () => {
    const answered = await authedRequest(server.url, ACME, RESPOND, { workflowId, responses: APPROVE });
    expect(answered.body.data!.respondToInterrupts).toMatchObject({ resumed: true });
    let workflow = {} as WorkflowView;
    for (let attempt = 0; attempt < 200 && workflow.status !== 'SUCCEEDED'; attempt++) {
      workflow = (await authedRequest(server.url, ACME, PAUSED_WORKFLOW, { id: workflowId })).body.data!.workflow;
      await sleep(20);
    }
    expect(workflow.status).toBe('SUCCEEDED');
    expect(workflow.events.find((event) => event.__typename === 'InterruptResolved')).toMatchObject({
      respondedBy: 'apiKey:acme',
    });
  });
});
