import calculateSlot from 'cluster-key-slot';
import { isCluster, type RedisClient } from './createRedisClient';

/**
 * The hash tag that keeps keys used together in one slot of a Redis Cluster: `{<name>:<n>}`,
 * where n (of `shards`) follows from `owner` (an account, a viewer). Data that one script reads
 * across owners (a sweep's index of everything live) is kept per shard, each with its own tag,
 * and swept shard by shard: `shardTags` lists them. On a single Redis there is one shard and no
 * tag, so key names are those from before clusters were supported.
 */
export function shardTag(client: RedisClient, name: string, owner: string, shards: number): string {
  if (!isCluster(client)) return '';
  return `{${name}:${calculateSlot(owner) % shards}}`;
}

/** Every shard's tag (one empty tag on a single Redis). */
export function shardTags(client: RedisClient, name: string, shards: number): string[] {
  if (!isCluster(client)) return [''];
  return Array.from({ length: shards }, (_, n) => `{${name}:${n}}`);
}
