import { LRUCache } from 'lru-cache';

export type GrowingLruOptions<K extends {}, V extends {}> = Omit<LRUCache.Options<K, V, unknown>, 'max' | 'maxSize' | 'sizeCalculation'>;

/**
 * An LRU bounded by its number of entries that allocates as it fills. lru-cache given `max`
 * allocates its lists for `max` entries up front: the revocation list's million-entry bound alone
 * was 27 MB of live heap in every process from its first request (a gateway under load had 88 MB
 * live), and V8 lets the heap grow in proportion to what is live. Given the same bound as
 * `maxSize`, each entry weighing 1, it evicts exactly as `max` does and its lists grow with use.
 */
export function growingLru<K extends {}, V extends {}>(maxEntries: number, options: GrowingLruOptions<K, V> = {}): LRUCache<K, V> {
  return new LRUCache<K, V>({ ...options, maxSize: Math.max(1, maxEntries), sizeCalculation: () => 1 } as LRUCache.Options<K, V, unknown>);
}
