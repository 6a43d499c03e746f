import { getHeapStatistics } from 'node:v8';
import { growingLru } from './growingLru';

describe('growingLru', () => {
  it('evicts the least recently used entry past its bound, as max would', () => {
    const lru = growingLru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect([...lru.keys()].sort()).toEqual(['a', 'c']);
    expect(lru.size).toBe(2);
  });

  it('keeps per-entry TTLs', async () => {
    const lru = growingLru<string, true>(10);
    lru.set('short', true, { ttl: 5 });
    lru.set('long', true, { ttl: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lru.has('short')).toBe(false);
    expect(lru.has('long')).toBe(true);
  });

  it('allocates for what it holds, not for its bound', () => {
    // Ten million-entry bounds: with `max`, lru-cache allocates their lists at once (~270 MB).
    const before = getHeapStatistics().used_heap_size;
    const caches = Array.from({ length: 10 }, () => growingLru<string, true>(1_000_000));
    const grown = getHeapStatistics().used_heap_size - before;
    expect(caches).toHaveLength(10);
    expect(grown).toBeLessThan(50 * 2 ** 20);
  });
});
