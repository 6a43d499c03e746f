import Redis from 'ioredis';
import { createLogger, type Logger } from '../log';
import type { Cache, CacheStats } from './Cache';

export interface RedisCacheOptions {
  url: string;
  keyPrefix: string;
  component: string;
  /** A command slower than this counts as a failure and the request goes to the store. */
  commandTimeoutMs?: number;
}

/**
 * Redis behind the Cache interface, built to fail open: when Redis is down or slow, reads are
 * misses and requests are served from the store. The outage is logged once when it starts and
 * once when it ends, never per request. While the connection is not ready no command is even
 * tried, so an outage costs requests nothing but the store reads.
 *
 * Invalidations that could not be sent are kept (bounded) and sent first when Redis is back, so
 * a write made during the outage cannot leave a stale entry behind once the cache returns.
 */
export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly log: Logger;
  private readonly counters: CacheStats = { hits: 0, misses: 0, errors: 0 };
  private readonly pendingInvalidations = new Set<string>();
  private degraded = false;

  constructor(options: RedisCacheOptions) {
    this.log = createLogger(options.component);
    this.redis = new Redis(options.url, {
      keyPrefix: options.keyPrefix,
      // Queueing commands while disconnected would make requests wait for Redis; we'd rather miss.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 500,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    });
    this.redis.on('error', (err) => this.markDown(err));
    this.redis.on('ready', () => {
      if (this.degraded) {
        this.degraded = false;
        this.log.info('cache recovered: reading through Redis again');
      }
      void this.flushInvalidations();
    });
  }

  private markDown(err: unknown): void {
    this.counters.errors += 1;
    if (!this.degraded) {
      this.degraded = true;
      const reason = err instanceof Error ? err.message : String(err);
      this.log.warn(`cache unavailable (${reason}), serving from the store until Redis is back`);
    }
  }

  private get usable(): boolean {
    return this.redis.status === 'ready';
  }

  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    if (!this.usable) {
      this.counters.misses += keys.length;
      return keys.map(() => null);
    }
    try {
      const values = await this.redis.mget(...keys);
      for (const value of values) {
        if (value === null) this.counters.misses += 1;
        else this.counters.hits += 1;
      }
      return values;
    } catch (err) {
      this.markDown(err);
      this.counters.misses += keys.length;
      return keys.map(() => null);
    }
  }

  async mset(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds: number): Promise<void> {
    if (entries.length === 0 || !this.usable) return;
    try {
      const pipeline = this.redis.pipeline();
      for (const [key, value] of entries) pipeline.set(key, value, 'EX', ttlSeconds);
      await pipeline.exec();
    } catch (err) {
      this.markDown(err);
    }
  }

  async del(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    if (this.usable) {
      try {
        await this.redis.del(...keys);
        return;
      } catch (err) {
        this.markDown(err);
      }
    }
    for (const key of keys) {
      if (this.pendingInvalidations.size >= 10_000) break;
      this.pendingInvalidations.add(key);
    }
  }

  private async flushInvalidations(): Promise<void> {
    if (this.pendingInvalidations.size === 0) return;
    const keys = [...this.pendingInvalidations];
    this.pendingInvalidations.clear();
    await this.del(keys);
  }

  stats(): CacheStats {
    return { ...this.counters };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
