import { MemoryCache } from './MemoryCache';
import { loadThroughCache } from './loadThroughCache';

describe('loadThroughCache', () => {
  it('reads hits from the cache, loads only the misses in one call, writes them back, keeps key order', async () => {
    const cache = new MemoryCache();
    await cache.mset([['k:b', JSON.stringify({ id: 'b', cached: true })]], 60);
    const calls: string[][] = [];
    const batch = {
      cache, ttlSeconds: 60, cacheKey: (id: string) => `k:${id}`,
      loadMissing: async (ids: string[]) => {
        calls.push(ids);
        return new Map(ids.filter((id) => id !== 'missing').map((id) => [id, { id, cached: false }]));
      },
    };
    expect(await loadThroughCache(['a', 'b', 'missing', 'c'], batch)).toEqual([
      { id: 'a', cached: false }, { id: 'b', cached: true }, null, { id: 'c', cached: false },
    ]);
    expect(calls).toEqual([['a', 'missing', 'c']]);
    // Loaded values are cached now; unknown keys are not, so they are asked for again.
    expect(await loadThroughCache(['c', 'a', 'missing'], batch)).toEqual([{ id: 'c', cached: false }, { id: 'a', cached: false }, null]);
    expect(calls).toEqual([['a', 'missing', 'c'], ['missing']]);
  });

  it("doesn't put back a value read before a write that invalidated it", async () => {
    const cache = new MemoryCache();
    let release!: () => void;
    const loading = loadThroughCache(['x'], {
      cache, ttlSeconds: 60, cacheKey: (id: string) => `k:${id}`,
      loadMissing: async (ids: string[]) => {
        await new Promise<void>((resolve) => (release = resolve));
        return new Map(ids.map((id) => [id, { id, version: 'old' }]));
      },
    });
    await new Promise((r) => setImmediate(r));
    await cache.del(['k:x']); // the write commits and invalidates while the read is in flight
    release();
    expect(await loading).toEqual([{ id: 'x', version: 'old' }]);
    expect(await cache.mget(['k:x'])).toEqual([null]);
  });
});
