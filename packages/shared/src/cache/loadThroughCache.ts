import type { Cache } from './Cache';

export interface CachedBatch<K, V> {
  cache: Cache;
  ttlSeconds: number;
  cacheKey: (key: K) => string;
  /** Loads what the cache missed, in one store query; absent keys are simply not in the map. */
  loadMissing: (keys: K[]) => Promise<Map<K, V>>;
}

/**
 * The body of every cached DataLoader batch function: one MGET for the whole batch, one store
 * query for the misses, the loaded values written back with a TTL. Values come back in key order,
 * null where the store has nothing (DataLoader's contract), and unknown keys are not cached so a
 * title created a moment later is found.
 */
export async function loadThroughCache<K, V>(keys: readonly K[], batch: CachedBatch<K, V>): Promise<(V | null)[]> {
  const cached = await batch.cache.mget(keys.map(batch.cacheKey));
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
    writeBack.push([batch.cacheKey(key), JSON.stringify(value)]);
  });
  await batch.cache.mset(writeBack, batch.ttlSeconds);
  return results;
}
