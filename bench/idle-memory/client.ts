// The subscribers of server.ts: N graphql-ws clients, one agentStream each, paced so the listen backlog never overflows.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
const N = Number(process.env.N); const url = process.env.URL!; const id = process.env.ID!;
const Q = `subscription Bench($id: ID!) { agentStream(workflowId: $id) { __typename ... on StreamEvent { workflowId sequence at } ... on TextDelta { messageId delta } ... on ReasoningDelta { delta } ... on RunFailed { code message } } }`;
let ready = 0; const clients: any[] = [];
const send = (m: string) => { try { process.send!(m); } catch {} };
for (let i = 0; i < N; i++) {
  const c = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, keepAlive: 0, lazy: true });
  clients.push(c);
  let first = true;
  c.subscribe({ query: Q, variables: { id } }, { next: (r) => { if (r.errors) send('err ' + JSON.stringify(r.errors)); if (first) { first = false; if (++ready === N) send('ready'); } }, error: (e) => send('error ' + String((e as any)?.message ?? e)), complete: () => {} });
  if (i % 100 === 99) while (ready < i - 100) await new Promise((r) => setTimeout(r, 5));
}
process.on('message', async (m) => { if (m === 'close') { for (const c of clients) await c.dispose(); setTimeout(() => process.exit(0), 100); } });
