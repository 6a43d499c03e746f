import type Redis from 'ioredis';
import { bySlot } from '../redis/bySlot';
import { isCluster, type RedisClient } from '../redis/createRedisClient';

/**
 * Deletes every key that starts with `prefix`, in batches (SCAN, never KEYS on a live server).
 * On a Redis Cluster each master holds only its own slots, so every master is scanned, and each
 * batch is deleted slot by slot (one DEL may not span slots). SCAN's MATCH is not prefixed by the
 * client's own `keyPrefix` option while DEL is, so the keys SCAN returns are stripped of that
 * option's prefix before they are deleted.
 */
export async function deleteKeysWithPrefix(redis: RedisClient, prefix: string): Promise<void> {
  const clientPrefix = redis.options.keyPrefix ?? '';
  const scanned: Redis[] = isCluster(redis) ? redis.nodes('master') : [redis];
  for (const node of scanned) {
    for await (const keys of node.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length === 0) continue;
      const unprefixed = keys.map((k) => k.slice(clientPrefix.length));
      await bySlot(redis, unprefixed, async (group) => {
        await redis.del(...group);
        return group;
      });
    }
  }
}
