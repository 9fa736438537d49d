import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/index.js';

const PG = 'postgres://postgres@127.0.0.1:5432/test';
const parse = (raw: unknown, env: Record<string, string> = {}) =>
  parseConfig(raw, { source: 'test.yaml', env, cwd: '/tmp' });
function issues(raw: unknown, env: Record<string, string> = {}) {
  try {
    parse(raw, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('the redis section', () => {
  it('is absent by default: in-process pubsub', () => {
    expect(parse({ database: { url: PG } }).redis).toBeUndefined();
  });

  it('takes url, keyPrefix and fallbackPollMs, with defaults', () => {
    expect(parse({ database: { url: PG }, redis: { url: 'redis://127.0.0.1:6379' } }).redis).toEqual({
      url: 'redis://127.0.0.1:6379',
      keyPrefix: 'synapse:',
      fallbackPollMs: 250,
    });
    expect(
      parse({ database: { url: PG }, redis: { url: 'rediss://h:6380/2', keyPrefix: 'eu:', fallbackPollMs: 1000 } })
        .redis,
    ).toEqual({
      url: 'rediss://h:6380/2',
      keyPrefix: 'eu:',
      fallbackPollMs: 1000,
    });
  });

  it('REDIS_URL wins over redis.url and turns Redis on alone', () => {
    const env = { REDIS_URL: 'redis://10.0.0.1:6379', DATABASE_URL: PG };
    expect(parse({ redis: { url: 'redis://127.0.0.1:6379', keyPrefix: 'x:' } }, env).redis).toMatchObject({
      url: 'redis://10.0.0.1:6379',
      keyPrefix: 'x:',
    });
    expect(parse({}, env).redis).toEqual({ url: 'redis://10.0.0.1:6379', keyPrefix: 'synapse:', fallbackPollMs: 250 });
    expect(parse({}, { REDIS_URL: '', DATABASE_URL: PG }).redis).toBeUndefined();
  });

  it('refuses bad values with the key named', () => {
    expect(issues({ database: { url: PG }, redis: { url: 'http://x' } })).toEqual([
      { path: 'redis.url', message: 'must be a redis:// or rediss:// URL' },
    ]);
    expect(issues({ database: { url: PG }, redis: { url: 'redis://x', kyePrefix: 'a' } })[0]?.message).toContain(
      'did you mean "keyPrefix"?',
    );
    expect(issues({ database: { url: PG } }, { REDIS_URL: 'localhost:6379' })).toEqual([
      { path: 'REDIS_URL', message: 'environment variable must be a redis:// or rediss:// URL' },
    ]);
    expect(issues({ database: { url: PG }, redis: {} })).toEqual([
      { path: 'redis.url', message: 'required when the redis section is present (or set REDIS_URL)' },
    ]);
  });

  it('is refused with the embedded SQLite store: instances must share one history', () => {
    const [issue] = issues({ redis: { url: 'redis://127.0.0.1:6379' } });
    expect(issue?.path).toBe('redis.url');
    expect(issue?.message).toMatch(/needs a shared PostgreSQL store/);
    expect(issues({ database: { url: 'sqlite:/tmp/x.db' } }, { REDIS_URL: 'redis://127.0.0.1:6379' })[0]?.path).toBe(
      'REDIS_URL',
    );
  });
});
