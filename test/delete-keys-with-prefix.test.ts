import Redis from 'ioredis';
import { deleteKeysWithPrefix } from '@streaming/platform';
import { newRunId, TEST_REDIS_URL } from '@streaming/testing';

/**
 * The one SCAN/DEL loop (the cache's overflow reset, the test harness and the bench use it), on
 * the real Redis: it deletes exactly the keys under a prefix, in more than one SCAN batch, and
 * with a client whose own keyPrefix option DEL would otherwise apply twice.
 */
describe('deleteKeysWithPrefix', () => {
  const base = `test:${newRunId()}:`;
  const redis = new Redis(TEST_REDIS_URL);
  afterAll(async () => {
    await deleteKeysWithPrefix(redis, base);
    redis.disconnect();
  });

  it('deletes every key under the prefix and nothing beside it', async () => {
    const keys = Array.from({ length: 2_500 }, (_, i) => `${base}cache:k${i}`);
    await redis.mset(...keys.flatMap((k) => [k, 'v']));
    await redis.set(`${base}playback:s:1`, 'session');

    await deleteKeysWithPrefix(redis, `${base}cache:`);

    expect(await redis.exists(...keys.slice(0, 100))).toBe(0);
    expect(await redis.get(`${base}playback:s:1`)).toBe('session');
  });

  it('works through a client that prefixes its keys itself', async () => {
    const prefixed = new Redis(TEST_REDIS_URL, { keyPrefix: `${base}ns:` });
    try {
      await prefixed.set('a', '1');
      await prefixed.set('b', '2');
      await deleteKeysWithPrefix(prefixed, `${base}ns:`);
      expect(await redis.exists(`${base}ns:a`, `${base}ns:b`)).toBe(0);
    } finally {
      prefixed.disconnect();
    }
  });
});
