import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimiter } from '../../../src/server/limits/redis-rate-limiter.js';
import { graphqlRequest } from '../../helpers/graphql-clients.js';
import { RUN_AGENT } from '../../helpers/operations.js';
import { createPgTestSchema, type PgTestSchema } from '../../helpers/postgres.js';
import { REDIS_URL, uniqueRedisPrefix } from '../../helpers/redis.js';
import { startSynapse } from '../../helpers/synapse.js';

/** With Redis configured, per-tenant rates are counted once for all instances (docs/scaling.md). */
describe('rate limits shared through Redis', () => {
  let schema: PgTestSchema;
  let a: Awaited<ReturnType<typeof startSynapse>>;
  let b: Awaited<ReturnType<typeof startSynapse>>;

  beforeAll(async () => {
    schema = await createPgTestSchema();
    const config = {
      database: { url: schema.url },
      redis: { url: REDIS_URL, keyPrefix: uniqueRedisPrefix() },
      limits: { runsPerMinute: 3 },
    };
    a = await startSynapse({ config });
    b = await startSynapse({ config });
  }, 30_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await schema?.drop();
  });

  it('the fourth run of a tenant in a minute is RATE_LIMITED, whichever instance started the first three', async () => {
    const run = (gateway: typeof a) =>
      graphqlRequest(gateway.url, RUN_AGENT, { input: { agentId: 'demo', prompt: 'hi' } });
    for (const gateway of [a, b, a]) {
      expect((await run(gateway)).data?.runAgent.__typename).toBe('RunAgentPayload');
    }
    const refused = await run(b);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'runsPerMinute', max: 3 });
    expect(refused.errors?.[0]?.extensions?.retryAfterMs).toBeGreaterThan(0);
    expect(refused.errors?.[0]?.extensions?.retryAfterMs).toBeLessThanOrEqual(60_000);
  });
});

describe('RedisRateLimiter while Redis is unreachable', () => {
  it('falls back to a window of the same size in this process: neither refuses everything nor lifts the limit', async () => {
    // Nothing listens on port 1; no offline queue, so each call fails at once.
    const client = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    client.on('error', () => {});
    const limiter = new RedisRateLimiter(client, uniqueRedisPrefix());
    const decisions = [];
    for (let index = 0; index < 3; index++) decisions.push(await limiter.take('runs:t1', 2));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, false]);
    expect(decisions[2]).toMatchObject({ allowed: false });
    expect((decisions[2] as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    client.disconnect();
  });
});
