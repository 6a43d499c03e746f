import calculateSlot from 'cluster-key-slot';
import { isCluster, type RedisClient } from './createRedisClient';

/**
 * Runs a multi-key command (MGET, DEL, a pipeline of SETs) over `keys`, once per hash slot on a
 * Redis Cluster (which refuses a command whose keys span slots, CROSSSLOT) and once in all on a
 * single Redis; results come back in the order of `keys`. Slots are those of the keys as sent,
 * after the client's own keyPrefix. `run` returns one result per key it is given.
 */
export async function bySlot<T>(client: RedisClient, keys: readonly string[], run: (keys: string[]) => Promise<T[]>): Promise<T[]> {
  if (!isCluster(client) || keys.length <= 1) return run([...keys]);
  const prefix = client.options.keyPrefix ?? '';
  const groups = new Map<number, number[]>();
  keys.forEach((key, i) => {
    const slot = calculateSlot(prefix + key);
    const group = groups.get(slot);
    if (group) group.push(i);
    else groups.set(slot, [i]);
  });
  const results = new Array<T>(keys.length);
  await Promise.all([...groups.values()].map(async (indexes) => {
    const answers = await run(indexes.map((i) => keys[i]));
    indexes.forEach((keyIndex, j) => (results[keyIndex] = answers[j]));
  }));
  return results;
}

/** MGET that works on a cluster (one MGET per slot there). */
export function mgetBySlot(client: RedisClient, keys: readonly string[]): Promise<(string | null)[]> {
  return bySlot(client, keys, (group) => client.mget(...group));
}

/** The first error of a pipeline's results, thrown; a pipeline reports errors per command. */
export function throwFirstError(results: [Error | null, unknown][] | null): void {
  const failed = results?.find(([err]) => err);
  if (failed) throw failed[0];
}
