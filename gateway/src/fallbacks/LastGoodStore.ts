import { createHash } from 'node:crypto';
import { createLogger, isCluster, type RedisClient } from '@streaming/platform/core';
import { LRUCache } from 'lru-cache';

export interface LastGoodBounds {
  /** How long an answer may stand in. */
  maxAgeSeconds: number;
  /** Answers kept in all. */
  maxEntries: number;
  /** Answers kept per viewer (account; anonymous callers share one): the newest written stay. */
  maxEntriesPerViewer: number;
}

/**
 * Where last good answers are kept: bounded per viewer and in total, newest kept, each entry
 * expiring after `maxAgeSeconds`. Keys are digests the caller made (no ids, no variables); the
 * viewer is only ever stored as a digest too. Never throws: an unreachable store is a miss.
 */
export interface LastGoodStore {
  readonly kind: 'redis' | 'memory';
  get(viewer: string, keys: readonly string[]): Promise<(string | null)[]>;
  /** False when the answers could not be written (Redis unreachable). */
  put(viewer: string, entries: ReadonlyArray<readonly [key: string, json: string]>): Promise<boolean>;
}

export function createLastGoodStore(bounds: LastGoodBounds, redis?: RedisClient, keyPrefix = ''): LastGoodStore {
  return redis ? new RedisLastGoodStore(redis, `${keyPrefix}last-good:`, bounds) : new MemoryLastGoodStore(bounds);
}

function viewerDigest(viewer: string): string {
  return createHash('sha256').update(viewer).digest('base64url').slice(0, 22);
}

/**
 * On a Redis Cluster the keys one write touches must share a slot, and the global index spans
 * viewers: so viewers are split over this many shards by their digest, each shard with its own
 * index holding its share of `maxEntries`, and a viewer's keys carry the shard's hash tag
 * (`<prefix>last-good:{lg:<n>}v:<viewer>`). On a single Redis there is one shard and the key
 * names are those of before.
 */
const CLUSTER_SHARDS = 16;

/**
 * One write, atomically: the entries (with their TTL), their place in the viewer's index and the
 * global one (sorted sets scored by write time), then both trimmed to their bounds, oldest first,
 * dropping what falls out. Index members are `<viewer digest>:<key>`, so a member dropped from the
 * global index names the viewer index it also leaves.
 *   KEYS[1] the viewer's index, KEYS[2] the global index
 *   ARGV: namespace, viewer digest, ttl s, per viewer, total, then key, json pairs
 * Scored on Redis' clock (TIME), so gateways whose clocks differ agree on what is too old.
 */
const PUT = `
local ns, viewer = ARGV[1], ARGV[2]
local ttl, perViewer, total = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
for i = 6, #ARGV, 2 do
  local member = viewer .. ':' .. ARGV[i]
  redis.call('SET', ns .. 'e:' .. member, ARGV[i + 1], 'EX', ttl)
  redis.call('ZADD', KEYS[1], now, member)
  redis.call('ZADD', KEYS[2], now, member)
end
redis.call('EXPIRE', KEYS[1], ttl)
local oldest = now - ttl * 1000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', oldest)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', oldest)
local excess = redis.call('ZCARD', KEYS[1]) - perViewer
if excess > 0 then
  for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, excess - 1)) do
    redis.call('DEL', ns .. 'e:' .. member)
    redis.call('ZREM', KEYS[2], member)
  end
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1)
end
excess = redis.call('ZCARD', KEYS[2]) - total
if excess > 0 then
  for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, excess - 1)) do
    redis.call('DEL', ns .. 'e:' .. member)
    redis.call('ZREM', ns .. 'v:' .. string.match(member, '^[^:]+'), member)
  end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
end
return 1
`;

/**
 * In the Redis the gateway shares with sessions and the cache (so every gateway instance, and a
 * restarted one, has them): `<prefix>last-good:e:<viewer>:<key>` per answer, with its TTL, and two
 * sorted sets that bound them, `<prefix>last-good:v:<viewer>` and `<prefix>last-good:all`. At the
 * defaults (100 per viewer, 20,000 in all) that is at most about 170 MB of home screens (README,
 * Resilience). The script gets the two indexes in KEYS and derives the entries' keys from their
 * members, all under one hash tag on a cluster (CLUSTER_SHARDS), so one slot holds them.
 */
class RedisLastGoodStore implements LastGoodStore {
  readonly kind = 'redis' as const;
  private readonly log = createLogger('gateway');
  private failing = false;

  private readonly shards: number;

  constructor(private readonly redis: RedisClient, private readonly namespace: string, private readonly bounds: LastGoodBounds) {
    redis.defineCommand('lastGoodPut', { numberOfKeys: 2, lua: PUT });
    this.shards = isCluster(redis) ? CLUSTER_SHARDS : 1;
  }

  /** The namespace of a viewer's keys: with the shard's hash tag on a cluster. */
  private namespaceOf(digest: string): string {
    if (this.shards === 1) return this.namespace;
    return `${this.namespace}{lg:${Buffer.from(digest, 'base64url')[0] % this.shards}}`;
  }

  private failed(err: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.log.warn(`last good answers unavailable (Redis: ${(err as Error)?.message ?? err}); a failing subgraph's answers fall back to never-seen until it is back`);
  }

  private ok(): void {
    if (!this.failing) return;
    this.failing = false;
    this.log.info('last good answers available again');
  }

  async get(viewer: string, keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    const digest = viewerDigest(viewer);
    const namespace = this.namespaceOf(digest);
    try {
      const values = await this.redis.mget(keys.map((key) => `${namespace}e:${digest}:${key}`));
      this.ok();
      return values;
    } catch (err) {
      this.failed(err);
      return keys.map(() => null);
    }
  }

  async put(viewer: string, entries: ReadonlyArray<readonly [string, string]>): Promise<boolean> {
    if (entries.length === 0) return true;
    const digest = viewerDigest(viewer);
    const namespace = this.namespaceOf(digest);
    const { maxAgeSeconds, maxEntriesPerViewer, maxEntries } = this.bounds;
    try {
      await (this.redis as RedisClient & { lastGoodPut(...args: (string | number)[]): Promise<number> }).lastGoodPut(
        `${namespace}v:${digest}`, `${namespace}all`,
        namespace, digest, Math.max(1, Math.ceil(maxAgeSeconds)), maxEntriesPerViewer, Math.ceil(maxEntries / this.shards),
        ...entries.flat(),
      );
      this.ok();
      return true;
    } catch (err) {
      this.failed(err);
      return false;
    }
  }
}

/** In this process (no Redis: the embedded mode), with the same bounds. */
class MemoryLastGoodStore implements LastGoodStore {
  readonly kind = 'memory' as const;
  private readonly entries: LRUCache<string, { viewer: string; json: string }>;
  /** Each viewer's keys, oldest written first. */
  private readonly byViewer = new Map<string, Set<string>>();

  constructor(private readonly bounds: LastGoodBounds) {
    this.entries = new LRUCache({
      max: Math.max(1, bounds.maxEntries),
      ttl: bounds.maxAgeSeconds * 1000,
      // Evicted, expired or overwritten: out of its viewer's list too (a rewrite adds it back, last).
      dispose: (value, key) => {
        const keys = this.byViewer.get(value.viewer);
        keys?.delete(key);
        if (keys?.size === 0) this.byViewer.delete(value.viewer);
      },
    });
  }

  async get(viewer: string, keys: readonly string[]): Promise<(string | null)[]> {
    const digest = viewerDigest(viewer);
    return keys.map((key) => this.entries.get(`${digest}:${key}`)?.json ?? null);
  }

  async put(viewer: string, entries: ReadonlyArray<readonly [string, string]>): Promise<boolean> {
    const digest = viewerDigest(viewer);
    for (const [key, json] of entries) {
      const member = `${digest}:${key}`;
      this.entries.set(member, { viewer: digest, json });
      const keys = this.byViewer.get(digest) ?? new Set<string>();
      this.byViewer.set(digest, keys);
      keys.add(member);
      while (keys.size > this.bounds.maxEntriesPerViewer) {
        const oldest = keys.values().next().value!;
        keys.delete(oldest);
        this.entries.delete(oldest);
      }
    }
    return true;
  }
}
