import type { Client } from 'graphql-ws';
import { expect } from 'vitest';
import { collectSubscription, graphqlRequest, wsClient } from '../helpers/graphql-clients.js';
import { AGENT_STREAM, CANCEL, RUN_AGENT, WORKFLOW } from '../helpers/operations.js';
import { startSynapse } from '../helpers/synapse.js';
import type { LooseData } from '../helpers/graphql-clients.js';

export type StreamedEvent = LooseData & { __typename: string; sequence: number };
export const TERMINAL = ['RunCompleted', 'RunFailed', 'RunCancelled'];

/** A real gateway with the given agents, and a real graphql-ws client on it. */
export async function startGateway(agents: Record<string, unknown>[]) {
  const server = await startSynapse({ config: { agents } });
  const client: Client = wsClient(server.url);
  return {
    server,
    client,
    async run(input: Record<string, unknown>): Promise<{ id: string; threadId: string }> {
      const response = await graphqlRequest(server.url, RUN_AGENT, { input });
      expect(response.errors).toBeUndefined();
      const payload = response.data!.runAgent;
      expect(payload.__typename, JSON.stringify(payload)).toBe('RunAgentPayload');
      return payload.workflow;
    },
    async stream(workflowId: string, onEvent?: (event: StreamedEvent) => void): Promise<StreamedEvent[]> {
      const data = await collectSubscription<{ agentStream: StreamedEvent }>(
        client,
        AGENT_STREAM,
        { workflowId, afterSequence: 0 },
        (entry) => onEvent?.(entry.agentStream),
      );
      const events = data.map((entry) => entry.agentStream).filter((event) => event.__typename !== 'Heartbeat');
      expectWellFormed(events);
      return events;
    },
    /** runAgent, then the whole stream. */
    async runAndStream(input: Record<string, unknown>): Promise<StreamedEvent[]> {
      const workflow = await this.run(input);
      return this.stream(workflow.id);
    },
    async cancel(id: string) {
      const response = await graphqlRequest(server.url, CANCEL, { id });
      expect(response.errors).toBeUndefined();
      return response.data!.cancelWorkflow;
    },
    async workflow(id: string) {
      const response = await graphqlRequest(server.url, WORKFLOW, { id });
      expect(response.errors).toBeUndefined();
      return response.data!.workflow;
    },
    async stop() {
      await client.dispose();
      await server.stop();
    },
  };
}

export function expectWellFormed(events: StreamedEvent[]): void {
  expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => index + 1));
  expect(events.filter((event) => TERMINAL.includes(event.__typename))).toHaveLength(1);
  expect(TERMINAL).toContain(events.at(-1)!.__typename);
}

export const typesOf = (events: StreamedEvent[]) => events.map((event) => event.__typename);
export const ofType = (events: StreamedEvent[], type: string) => events.filter((event) => event.__typename === type);
export const textOf = (events: StreamedEvent[]) =>
  ofType(events, 'TextDelta')
    .map((event) => event.delta)
    .join('');
export const terminalOf = (events: StreamedEvent[]) => events.at(-1)!;
