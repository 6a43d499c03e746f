/**
 * The shared cache every subgraph reads hot entities through. Redis in production, an in-process
 * LRU when no Redis is configured; both behind this one interface so loaders never know which.
 *
 * Values are strings (JSON): the Redis shape, and it keeps the in-memory cache honest about
 * copying (a caller mutating a cached object can't corrupt other requests).
 */
export interface Cache {
  readonly kind: 'redis' | 'memory';
  /** One round trip for the whole batch (MGET); null for a miss. Never throws. */
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  /** Writes with a TTL in one round trip. Never throws. */
  mset(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds: number): Promise<void>;
  /** Invalidation after a write. Never throws; a Redis that is down gets it when it is back. */
  del(keys: readonly string[]): Promise<void>;
  stats(): CacheStats;
  close(): Promise<void>;
}

export interface CacheStats {
  hits: number;
  misses: number;
  errors: number;
}
