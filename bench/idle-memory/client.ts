// The subscribers of server.ts: N graphql-ws clients, one agentStream each, paced so the listen backlog never overflows.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
const N = Number(process.env.N);
const url = process.env.URL!;
const id = process.env.ID!;
const Q = `subscription Bench($id: ID!) { agentStream(workflowId: $id) { __typename ... on StreamEvent { workflowId sequence at } ... on TextDelta { messageId delta } ... on ReasoningDelta { delta } ... on RunFailed { code message } } }`;
let ready = 0;
const clients: Client[] = [];
const send = (m: string) => {
  try {
    process.send!(m);
  } catch {
    /* the parent has gone: nobody to tell */
  }
};
for (let i = 0; i < N; i++) {
  const c = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, keepAlive: 0, lazy: true });
  clients.push(c);
  let first = true;
  c.subscribe(
    { query: Q, variables: { id } },
    {
      next: (r) => {
        if (r.errors) send('err ' + JSON.stringify(r.errors));
        if (first) {
          first = false;
          if (++ready === N) send('ready');
        }
      },
      error: (e) => send('error ' + String((e as { message?: unknown } | null)?.message ?? e)),
      complete: () => {},
    },
  );
  if (i % 100 === 99) while (ready < i - 100) await new Promise((r) => setTimeout(r, 5));
}
const close = async () => {
  for (const c of clients) await c.dispose();
  setTimeout(() => process.exit(0), 100);
};
// A failed dispose rejects unhandled and ends the process, as it did inside an async listener.
process.on('message', (m) => {
  if (m === 'close') void close();
});
