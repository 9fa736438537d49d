import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectSubscription, graphqlRequest, wsClient } from '../helpers/graphql-clients.js';
import { AGENT_STREAM, RUN_AGENT, WORKFLOW } from '../helpers/operations.js';
import { runCli, startGatewayProcess } from '../helpers/process.js';
import { startSynapse } from '../helpers/synapse.js';
import { sleep } from '../helpers/async.js';
import { tempDir, removeTempDirs } from '../helpers/fs.js';

afterAll(removeTempDirs);

function writeConfig(dir: string, config: unknown): string {
  const file = path.join(dir, 'synapse.config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('the synapse process', () => {
  it('refuses an invalid config file with a message naming the key, and exits 1', async () => {
    const dir = tempDir('synapse-process-');
    const file = writeConfig(dir, { agents: [{ id: 'a', dialect: 'openai-chatt', url: 'http://127.0.0.1:1' }] });
    const { output } = runCli(['serve', '--config', file], { SYNAPSE_DATA_DIR: dir });
    const { code, stderr } = await output;
    expect(code).toBe(1);
    expect(stderr).toContain('agents[0].dialect');
    expect(stderr).toContain('openai-chatt');
  });

  it('prints the schema', async () => {
    const { output } = runCli(['schema'], {});
    const { code, stdout } = await output;
    expect(code).toBe(0);
    expect(stdout).toContain('agentStream(afterSequence: Int = 0, workflowId: ID!): AgentEvent!');
  });

  it('on SIGTERM ends running workflows as INTERRUPTED, closes sockets with 1001 and exits 0', async () => {
    const dir = tempDir('synapse-process-');
    const config = writeConfig(dir, {
      server: { shutdownGraceMs: 200 },
      agents: [{ id: 'slow', dialect: 'demo', demo: { wordDelayMs: 100 } }],
    });
    const gateway = await startGatewayProcess({ SYNAPSE_CONFIG: config, SYNAPSE_DATA_DIR: dir });
    const run = await graphqlRequest(gateway.url, RUN_AGENT, { input: { agentId: 'slow', prompt: 'take your time' } });
    const id = run.data!.runAgent.workflow.id as string;

    const closes: number[] = [];
    const client = wsClient(gateway.url);
    client.on('closed', (event) => closes.push((event as { code: number }).code));
    const events: Record<string, unknown>[] = [];
    const streamed = collectSubscription<{ agentStream: Record<string, unknown> }>(
      client,
      AGENT_STREAM,
      { workflowId: id },
      (data) => {
        events.push(data.agentStream);
        if (events.length === 10) gateway.child.kill('SIGTERM');
      },
    ).catch((error: Error) => error);

    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    await streamed;
    expect(events.at(-1)).toMatchObject({ __typename: 'RunFailed', code: 'INTERRUPTED', retryable: true });
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => index + 1));
    expect(closes).toContain(1001);
    await client.dispose();

    // Every event the subscriber saw is in the history after a restart on the same data dir.
    const restarted = await startSynapse({ dataDir: dir });
    try {
      const stored = await graphqlRequest(restarted.url, WORKFLOW, { id });
      expect(stored.data!.workflow.status).toBe('INTERRUPTED');
      expect(stored.data!.workflow.error).toMatchObject({ code: 'INTERRUPTED' });
      expect(stored.data!.workflow.events).toEqual(events);
    } finally {
      await restarted.stop();
    }
  });

  it('after a crash (SIGKILL) mid-run, the next start marks the workflow INTERRUPTED', async () => {
    const dir = tempDir('synapse-process-');
    const config = writeConfig(dir, { agents: [{ id: 'slow', dialect: 'demo', demo: { wordDelayMs: 100 } }] });
    const gateway = await startGatewayProcess({ SYNAPSE_CONFIG: config, SYNAPSE_DATA_DIR: dir });
    const run = await graphqlRequest(gateway.url, RUN_AGENT, { input: { agentId: 'slow', prompt: 'crash soon' } });
    const id = run.data!.runAgent.workflow.id as string;
    await sleep(500);
    gateway.child.kill('SIGKILL');
    await gateway.exited;

    const restarted = await startSynapse({ dataDir: dir });
    try {
      const stored = (await graphqlRequest(restarted.url, WORKFLOW, { id })).data!.workflow;
      expect(stored.status).toBe('INTERRUPTED');
      const sequences = stored.events.map((event: { sequence: number }) => event.sequence);
      expect(sequences).toEqual(sequences.map((_: number, index: number) => index + 1));
      expect(stored.events.at(-1)).toMatchObject({ __typename: 'RunFailed', code: 'INTERRUPTED' });
      expect(
        stored.events.filter(
          (event: { __typename: string }) => event.__typename.startsWith('Run') && event.__typename !== 'RunStarted',
        ),
      ).toHaveLength(1);
    } finally {
      await restarted.stop();
    }
  });
});

describe('restart on the same data dir', () => {
  it('keeps finished workflows, their events and the listing', async () => {
    const dir = tempDir('synapse-process-');
    const first = await startSynapse({ dataDir: dir });
    const ids: string[] = [];
    const before: unknown[] = [];
    for (const prompt of ['one + one is 1 + 1', 'two']) {
      const run = await graphqlRequest(first.url, RUN_AGENT, { input: { agentId: 'demo', prompt, wait: true } });
      ids.push(run.data!.runAgent.workflow.id);
      before.push((await graphqlRequest(first.url, WORKFLOW, { id: ids.at(-1) })).data!.workflow);
    }
    await first.stop();

    const second = await startSynapse({ dataDir: dir });
    try {
      for (const [index, id] of ids.entries()) {
        expect((await graphqlRequest(second.url, WORKFLOW, { id })).data!.workflow).toEqual(before[index]);
      }
      const listing = await graphqlRequest(
        second.url,
        '{ workflows(filter: { status: [SUCCEEDED] }) { edges { node { id } } } }',
      );
      expect(listing.data!.workflows.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(
        [...ids].reverse(),
      );
    } finally {
      await second.stop();
    }
  });
});
