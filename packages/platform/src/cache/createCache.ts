import type { Cache } from './Cache';
import { MemoryCache } from './MemoryCache';
import { RedisCache } from './RedisCache';

/**
 * The cache's keys live under `<prefix>cache:`, apart from playback's sessions and the event
 * stream under the same prefix, so that invalidating "everything cached" never touches them.
 */
export function cacheNamespace(keyPrefix: string): string {
  return `${keyPrefix}cache:`;
}

export function createCache(options: { redisUrl?: string; keyPrefix: string; component: string; maxEntriesInMemory?: number; namespace?: string }): Cache {
  // A namespace of its own keeps data that is not a cache of a store (the gateway's last good
  // answers) out of reach of "invalidate everything cached".
  const keyPrefix = options.namespace ? `${options.keyPrefix}${options.namespace}` : cacheNamespace(options.keyPrefix);
  if (options.redisUrl) return new RedisCache({ url: options.redisUrl, keyPrefix, component: options.component });
  return new MemoryCache(options.maxEntriesInMemory);
}
