import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { RedisClient } from '@streaming/platform/core';

/**
 * Apollo's cache interface over Redis, for automatic persisted queries: every gateway instance
 * sees a query registered through any other, so a client's hash-only retry works wherever the
 * load balancer sends it. With Redis unreachable a lookup is a miss and a registration is dropped:
 * the client sends the query text again (the APQ protocol's own recovery), never an error.
 */
export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(private readonly redis: RedisClient, private readonly prefix: string) {}

  async get(key: string): Promise<string | undefined> {
    return ((await this.redis.get(this.prefix + key).catch(() => null)) ?? undefined);
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const stored = options?.ttl ? this.redis.set(this.prefix + key, value, 'EX', Math.ceil(options.ttl)) : this.redis.set(this.prefix + key, value);
    await stored.catch(() => undefined);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key).catch(() => 0)) > 0;
  }
}
