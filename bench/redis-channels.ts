/**
 * Per-workflow SUBSCRIBE or one PSUBSCRIBE for the Redis pubsub? Publishes a fixed number of
 * event batches round-robin over many workflows while a subscriber listens to a few of them,
 * once with one channel per workflow and once with a pattern, and reports the subscriber's CPU,
 * the messages it had to handle, and Redis's own CPU (`none`: publishing alone, the baseline). Also times subscription churn.
 *
 *   npx tsx bench/redis-channels.ts [--url redis://127.0.0.1:6379] [--batches 20000] [--workflows 100] [--watched 2]
 *
 * Bounded: a fixed number of publishes per mode, on loopback, under a random channel prefix.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'redis://127.0.0.1:6379' },
    batches: { type: 'string', default: '20000' },
    workflows: { type: 'string', default: '100' },
    watched: { type: 'string', default: '2' },
    churn: { type: 'string', default: '5000' },
  },
});
const BATCHES = Number(values.batches);
const WORKFLOWS = Number(values.workflows);
const WATCHED = Number(values.watched);
const CHURN = Number(values.churn);

const prefix = `bench-${randomBytes(4).toString('hex')}:events:`;
const payload = (workflow: number, sequence: number) =>
  `origin ${JSON.stringify([{ type: 'TextDelta', messageId: 'm1', delta: 'some words ', workflowId: `w${workflow}`, sequence, at: new Date().toISOString() }])}`;

async function redisCpu(client: Redis): Promise<number> {
  const info = await client.info('cpu');
  const user = Number(/used_cpu_user:([\d.]+)/.exec(info)![1]);
  const sys = Number(/used_cpu_sys:([\d.]+)/.exec(info)![1]);
  return (user + sys) * 1000;
}

async function run(mode: 'none' | 'subscribe' | 'psubscribe'): Promise<void> {
  const publisher = new Redis(values.url);
  const subscriber = new Redis(values.url);
  const watched = new Set(Array.from({ length: WATCHED }, (_, index) => `w${index}`));
  let handled = 0;
  let delivered = 0;
  const onMessage = (channel: string, message: string) => {
    handled++;
    const workflowId = channel.slice(prefix.length);
    if (!watched.has(workflowId)) return;
    JSON.parse(message.slice(message.indexOf(' ') + 1));
    delivered++;
  };
  if (mode === 'subscribe') {
    subscriber.on('message', onMessage);
    await subscriber.subscribe(...[...watched].map((id) => prefix + id));
  } else if (mode === 'psubscribe') {
    subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => onMessage(channel, message));
    await subscriber.psubscribe(`${prefix}*`);
  }
  const expected = mode === 'none' ? 0 : Math.ceil(BATCHES / WORKFLOWS) * WATCHED;
  const redisBefore = await redisCpu(publisher);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < BATCHES; index++) {
    const workflow = index % WORKFLOWS;
    void publisher.publish(prefix + `w${workflow}`, payload(workflow, index));
    if (index % 500 === 499) await publisher.ping(); // keep the pipeline bounded
  }
  await publisher.ping();
  while (delivered < expected && performance.now() - started < 30_000)
    await new Promise((resolve) => setTimeout(resolve, 5));
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const redisAfter = await redisCpu(publisher);
  console.log(
    `${mode.padEnd(10)} batches ${BATCHES} over ${WORKFLOWS} workflows, watching ${WATCHED}: ` +
      `handled ${handled}, delivered ${delivered}/${expected}, ${elapsed.toFixed(0)} ms, ` +
      `gateway CPU (publisher + subscriber) ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, redis CPU ${(redisAfter - redisBefore).toFixed(0)} ms`,
  );
  publisher.disconnect();
  subscriber.disconnect();
}

async function churn(): Promise<void> {
  const subscriber = new Redis(values.url);
  const started = performance.now();
  for (let index = 0; index < CHURN; index++) {
    void subscriber.subscribe(`${prefix}churn${index}`);
    void subscriber.unsubscribe(`${prefix}churn${index}`);
  }
  await subscriber.subscribe(`${prefix}last`);
  console.log(`churn      ${CHURN} SUBSCRIBE + UNSUBSCRIBE pairs: ${(performance.now() - started).toFixed(0)} ms`);
  subscriber.disconnect();
}

await run('none'); // the publisher alone: subtract it from the two below
await run('subscribe');
await run('psubscribe');
await churn();
