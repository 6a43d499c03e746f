import type Redis from 'ioredis';

/**
 * Deletes every key that starts with `prefix`, in batches (SCAN, never KEYS on a live server).
 * SCAN's MATCH is not prefixed by the client's own `keyPrefix` option while DEL is, so the keys
 * SCAN returns are stripped of that option's prefix before they are deleted.
 */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  const clientPrefix = redis.options.keyPrefix ?? '';
  for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) {
    if (keys.length) await redis.del(...keys.map((k) => k.slice(clientPrefix.length)));
  }
}
