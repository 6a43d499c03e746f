import calculateSlot from 'cluster-key-slot';
import { isCluster, type RedisClient } from './createRedisClient';

/**
 * On a Redis Cluster, resolves once the write just sent for `key` has reached a replica of the
 * master serving it (WAIT 1 on that master's connection, the one the write went through), so a
 * failover right after cannot lose it: what the caller acknowledges next survives the master.
 * Throws if no replica confirmed it within `timeoutMs` while the master has one; a master with
 * no replica left (its replica was promoted and nothing has replaced it yet) is not waited on, or
 * every write would stop until one is back. A single Redis is not waited on.
 */
export async function waitForReplica(client: RedisClient, key: string, timeoutMs: number): Promise<void> {
  if (!isCluster(client)) return;
  const prefixed = `${client.options.keyPrefix ?? ''}${key}`;
  const owners = client.slots[calculateSlot(prefixed)];
  if (!owners || owners.length < 2) return;
  const master = client.nodes('master').find((node) => `${node.options.host}:${node.options.port}` === owners[0]);
  if (!master) return;
  const acknowledged = await master.wait(1, timeoutMs);
  if (acknowledged < 1) throw new Error(`the write to ${key} was not copied to a replica within ${timeoutMs} ms`);
}
