import { captureLogs, RedisCache } from '@streaming/platform';
import { newRunId, TEST_REDIS_URL } from '@streaming/testing';
import { supergraphBehindRedisProxy } from './support/redisOutage';
import type { TestSupergraph } from './support/supergraph';

/**
 * Redis going away must cost latency, never answers: requests fall back to the stores, the
 * outage is logged once, and when Redis returns the cache is used again, without stale entries
 * from writes made while it was gone. The outage is real: the subgraphs reach the real Redis
 * through a TCP proxy that the test shuts and reopens.
 */
const { redis: proxy, supergraph } = supergraphBehindRedisProxy();
let sg: TestSupergraph;
beforeAll(() => {
  sg = supergraph();
});

const waitFor = async (check: () => boolean, ms = 10_000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

it('keeps serving from the stores while Redis is down, logs it once, and recovers', async () => {
  const logs = captureLogs('info');
  const lines = logs.lines;
  try {
    // The profile renamed during the outage is cached before it (so a lost invalidation shows).
    await sg.run('ProfilePicker', { accountId: 'demo-premium' });
    const cachedPicker = await sg.countStatements(() => sg.run('ProfilePicker', { accountId: 'demo-premium' }));
    expect(cachedPicker.profile).toBe(0);
    const before = await sg.run('HomeScreen', { profileId: 'demo-premium-1' });
    expect(before.errors).toBeUndefined();
    const warm = await sg.countStatements(() => sg.run('HomeScreen', { profileId: 'demo-premium-1' }));
    expect(warm.catalog).toBe(0);

    await proxy.stop();
    for (let i = 0; i < 5; i += 1) {
      const during = await sg.run('HomeScreen', { profileId: 'demo-premium-1' });
      expect(during.status).toBe(200);
      expect(during.errors).toBeUndefined();
      expect(during.data).toEqual(before.data);
    }
    // Served from the catalog store now that the cache is gone.
    const cold = await sg.countStatements(() => sg.run('HomeScreen', { profileId: 'demo-premium-1' }));
    expect(cold.catalog).toBeGreaterThan(0);
    const outageLines = lines.filter((l) => l.includes('cache unavailable'));
    // One line per process-wide cache client (the test shares one), not one per request.
    expect(outageLines).toHaveLength(1);

    // A write while Redis is down: its invalidation must not be lost.
    const renamed = await sg.run('UpdateProfile', { id: 'demo-premium-2', input: { name: 'Renamed Offline' } });
    expect(renamed.errors).toBeUndefined();

    await proxy.start();
    await waitFor(() => lines.some((l) => l.includes('cache recovered')));
    await sg.run('HomeScreen', { profileId: 'demo-premium-1' });
    const recovered = await sg.countStatements(() => sg.run('HomeScreen', { profileId: 'demo-premium-1' }));
    expect(recovered.catalog).toBe(0);

    const picker = await sg.run('ProfilePicker', { accountId: 'demo-premium' });
    expect(picker.data!.account.profiles.find((p: { id: string }) => p.id === 'demo-premium-2').name).toBe('Renamed Offline');
  } finally {
    logs.restore();
  }
});

it('keeps an invalidated key from being refilled by a read that started before the write (real Redis)', async () => {
  const cache = new RedisCache({ url: TEST_REDIS_URL, keyPrefix: `test:${newRunId()}:`, component: 'test' });
  try {
    // Until the connection is ready the cache reads as misses and skips writes: wait for it.
    for (let i = 0; i < 100 && (await cache.mget(['title:1']))[0] === null; i += 1) {
      await cache.mset([['title:1', '"v1"']], 60);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await cache.mget(['title:1'])).toEqual(['"v1"']);
    await cache.del(['title:1']);
    // A read that loaded "v1" before the write tries to put it back: refused.
    await cache.mset([['title:1', '"v1"']], 60);
    expect(await cache.mget(['title:1'])).toEqual([null]);
  } finally {
    await cache.close();
  }
});
