import { createLogger, type Logger } from '../log';
import { failFastRedisOptions } from '../redis/failFastRedisOptions';
import { createRedisClient, type RedisClient } from '../redis/createRedisClient';
import { bySlot, mgetBySlot, throwFirstError } from '../redis/bySlot';
import { cacheErrors, redisUp } from '../observability/metrics';
import { TOMBSTONE, TOMBSTONE_TTL_MS, type Cache } from './Cache';
import { deleteKeysWithPrefix } from './deleteKeysWithPrefix';

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
 * Invalidations that could not be sent are kept and sent as soon as a command succeeds again,
 * so a write made during an outage (or a timeout) cannot leave a stale entry behind. Past
 * MAX_PENDING of them, the whole prefix is invalidated instead: correct, if briefly colder.
 */
const MAX_PENDING = 10_000;

export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  private readonly redis: RedisClient;
  private readonly log: Logger;
  private readonly pendingInvalidations = new Set<string>();
  private pendingOverflow = false;
  private degraded = false;
  private readonly keyPrefix: string;
  private readonly component: string;

  constructor(options: RedisCacheOptions) {
    this.component = options.component;
    this.log = createLogger(options.component);
    this.keyPrefix = options.keyPrefix;
    // Waiting for Redis would make requests wait; we'd rather miss.
    this.redis = createRedisClient(options.url, { ...failFastRedisOptions(options.commandTimeoutMs), keyPrefix: options.keyPrefix });
    this.redis.on('error', (err) => this.markDown(err));
    this.redis.on('ready', () => this.succeeded());
  }

  /** A command went through: the outage (if any) is over, and owed invalidations go out now. */
  private succeeded(): void {
    redisUp.set({ component: this.component }, 1);
    if (this.degraded) {
      this.degraded = false;
      this.log.info('cache recovered: reading through Redis again');
    }
    if (this.pendingInvalidations.size > 0 || this.pendingOverflow) void this.flushInvalidations();
  }

  private markDown(err: unknown): void {
    cacheErrors.inc({ component: this.component });
    redisUp.set({ component: this.component }, 0);
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
    if (!this.usable) return keys.map(() => null);
    try {
      const values = await mgetBySlot(this.redis, keys);
      this.succeeded();
      return values.map((value) => (value === TOMBSTONE ? null : value));
    } catch (err) {
      this.markDown(err);
      return keys.map(() => null);
    }
  }

  async mset(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds: number): Promise<void> {
    await this.write(entries, ttlSeconds, true);
  }

  replace(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds: number): Promise<boolean> {
    return this.write(entries, ttlSeconds, false);
  }

  private async write(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds: number, onlyIfEmpty: boolean): Promise<boolean> {
    if (entries.length === 0) return true;
    if (!this.usable) return false;
    try {
      const values = new Map(entries);
      // A pipeline may not span slots on a cluster: one per slot there, one in all otherwise.
      await bySlot(this.redis, [...values.keys()], async (keys) => {
        const pipeline = this.redis.pipeline();
        for (const key of keys) {
          if (onlyIfEmpty) pipeline.set(key, values.get(key)!, 'EX', ttlSeconds, 'NX');
          else pipeline.set(key, values.get(key)!, 'EX', ttlSeconds);
        }
        throwFirstError(await pipeline.exec());
        return keys;
      });
      this.succeeded();
      return true;
    } catch (err) {
      this.markDown(err);
      return false;
    }
  }

  async del(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    if (this.usable) {
      try {
        await bySlot(this.redis, keys, async (group) => {
          const pipeline = this.redis.pipeline();
          for (const key of group) pipeline.set(key, TOMBSTONE, 'PX', TOMBSTONE_TTL_MS);
          throwFirstError(await pipeline.exec());
          return group;
        });
        this.succeeded();
        return;
      } catch (err) {
        this.markDown(err);
      }
    }
    for (const key of keys) {
      if (this.pendingInvalidations.size >= MAX_PENDING) {
        if (!this.pendingOverflow) this.log.warn(`more than ${MAX_PENDING} invalidations pending: the whole cache prefix will be invalidated on recovery`);
        this.pendingOverflow = true;
        break;
      }
      this.pendingInvalidations.add(key);
    }
  }

  private flushingInvalidations = false;

  private async flushInvalidations(): Promise<void> {
    if (this.flushingInvalidations) return;
    this.flushingInvalidations = true;
    try {
      if (this.pendingOverflow) {
        this.pendingOverflow = false;
        this.pendingInvalidations.clear();
        await deleteKeysWithPrefix(this.redis, this.keyPrefix);
        return;
      }
      const keys = [...this.pendingInvalidations];
      this.pendingInvalidations.clear();
      await this.del(keys);
    } catch (err) {
      this.markDown(err);
    } finally {
      this.flushingInvalidations = false;
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
