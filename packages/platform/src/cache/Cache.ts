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
  /**
   * Writes values just read from the store, with a TTL, in one round trip, but only into keys
   * that hold nothing: a key invalidated since the read holds a tombstone and keeps it, so a
   * read that raced a write can't put the old value back. Never throws.
   */
  mset(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds: number): Promise<void>;
  /**
   * Writes values that are the newest there is by definition (an answer just received, not a
   * read of a store that a write may invalidate): whatever the keys hold is replaced. Never
   * throws; false when the values could not be written (Redis unreachable).
   */
  replace(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds: number): Promise<boolean>;
  /**
   * Invalidation after a write: each key becomes a short-lived tombstone (a miss for readers,
   * a refusal for write-backs of reads that started before the write). Never throws; a Redis
   * that is down gets it when it is back.
   */
  del(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** What an invalidated key holds for a few seconds; never a real value (those are JSON). */
export const TOMBSTONE = '\u0000invalidated';

/** Longer than any store read, so a write-back that raced a write always meets the tombstone. */
export const TOMBSTONE_TTL_MS = 5_000;
