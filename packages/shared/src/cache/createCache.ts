import type { Cache } from './Cache';
import { MemoryCache } from './MemoryCache';
import { RedisCache } from './RedisCache';

export function createCache(options: { redisUrl?: string; keyPrefix: string; component: string }): Cache {
  if (options.redisUrl) return new RedisCache({ url: options.redisUrl, keyPrefix: options.keyPrefix, component: options.component });
  return new MemoryCache();
}
