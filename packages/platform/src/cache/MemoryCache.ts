import { LRUCache } from 'lru-cache';
import { TOMBSTONE, TOMBSTONE_TTL_MS, type Cache } from './Cache';

/** The embedded default: one process, so an LRU in memory is the whole shared cache. */
export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  private readonly lru: LRUCache<string, string>;

  constructor(maxEntries = 100_000) {
    this.lru = new LRUCache<string, string>({ max: maxEntries });
  }

  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    return keys.map((key) => {
      const value = this.lru.get(key);
      return value === undefined || value === TOMBSTONE ? null : value;
    });
  }

  async mset(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds: number): Promise<void> {
    for (const [key, value] of entries) if (!this.lru.has(key)) this.lru.set(key, value, { ttl: ttlSeconds * 1000 });
  }

  async replace(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds: number): Promise<boolean> {
    for (const [key, value] of entries) this.lru.set(key, value, { ttl: ttlSeconds * 1000 });
    return true;
  }

  async del(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.lru.set(key, TOMBSTONE, { ttl: TOMBSTONE_TTL_MS });
  }

  /** Empties the cache (tests start measurements cold). */
  clear(): void {
    this.lru.clear();
  }

  async close(): Promise<void> {
    this.lru.clear();
  }
}
