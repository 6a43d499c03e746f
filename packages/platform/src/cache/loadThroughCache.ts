import { cacheLookups, loaderBatchSize } from '../observability/metrics';
import { withSpan } from '../observability/spans';
import type { Cache } from './Cache';

export interface CachedBatch<K, V> {
  cache: Cache;
  ttlSeconds: number;
  cacheKey: (key: K) => string;
  /** Loads what the cache missed, in one store query; absent keys are simply not in the map. */
  loadMissing: (keys: K[]) => Promise<Map<K, V>>;
}

/**
 * The loader's name in metrics and spans: the first two parts of its cache keys
 * (`catalog:title:<id>` is `catalog:title`), names from the code, never the id itself.
 */
function loaderName(cacheKey: string): string {
  const first = cacheKey.indexOf(':');
  const second = first < 0 ? -1 : cacheKey.indexOf(':', first + 1);
  return second < 0 ? 'other' : cacheKey.slice(0, second);
}

/**
 * The body of every cached DataLoader batch function: one MGET for the whole batch, one store
 * query for the misses, the loaded values written back with a TTL. Values come back in key order,
 * null where the store has nothing (DataLoader's contract), and unknown keys are not cached so a
 * title created a moment later is found.
 */
export async function loadThroughCache<K, V>(keys: readonly K[], batch: CachedBatch<K, V>): Promise<(V | null)[]> {
  const cacheKeys = keys.map(batch.cacheKey);
  const loader = cacheKeys.length ? loaderName(cacheKeys[0]) : 'other';
  loaderBatchSize.observe({ loader }, keys.length);
  return withSpan('dataloader.batch', { 'dataloader.name': loader, 'dataloader.batch_size': keys.length }, async () => {
    const cached = await withSpan('cache.lookup', { 'cache.loader': loader }, async (span) => {
      const values = await batch.cache.mget(cacheKeys);
      const hits = values.filter((v) => v !== null).length;
      span?.setAttributes({ 'cache.hits': hits, 'cache.misses': values.length - hits });
      cacheLookups.inc({ loader, result: 'hit' }, hits);
      cacheLookups.inc({ loader, result: 'miss' }, values.length - hits);
      return values;
    });
    const results: (V | null)[] = cached.map((raw) => (raw === null ? null : (JSON.parse(raw) as V)));
    const missing = keys.filter((_, index) => cached[index] === null);
    if (missing.length === 0) return results;

    const loaded = await batch.loadMissing([...new Set(missing)]);
    const writeBack: Array<[string, string]> = [];
    keys.forEach((key, index) => {
      if (cached[index] !== null) return;
      const value = loaded.get(key);
      if (value === undefined) return;
      results[index] = value;
      writeBack.push([cacheKeys[index], JSON.stringify(value)]);
    });
    await batch.cache.mset(writeBack, batch.ttlSeconds);
    return results;
  });
}
