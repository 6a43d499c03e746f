import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type Redis from 'ioredis';

/**
 * Apollo's cache interface over Redis, for automatic persisted queries: every gateway instance
 * sees a query registered through any other, so a client's hash-only retry works wherever the
 * load balancer sends it.
 */
export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    if (options?.ttl) await this.redis.set(this.prefix + key, value, 'EX', Math.ceil(options.ttl));
    else await this.redis.set(this.prefix + key, value);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key)) > 0;
  }
}
