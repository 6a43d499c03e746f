import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Env } from '../config';

/** What every Redis user holds: one server, or a Redis Cluster (REDIS_CLUSTER_NODES). */
export type RedisClient = Redis | Cluster;

/**
 * A Redis Cluster is named by the URL form `redis-cluster://[user:password@]host:port,host:port`:
 * every setting that carries a Redis URL (`redisUrl` in configs, REDIS_URL) carries this form
 * unchanged, so no user of Redis needs a second option to learn it is on a cluster.
 */
const CLUSTER_SCHEME = 'redis-cluster://';

/**
 * The Redis a service uses: REDIS_CLUSTER_NODES (comma-separated host:port of some of the
 * cluster's nodes; the rest are discovered) wins over REDIS_URL, turned into the URL form above
 * with REDIS_URL's credentials, if any. Unset both for no Redis.
 */
export function redisUrlFromEnv(env: Env): string | undefined {
  const nodes = (env.REDIS_CLUSTER_NODES ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  if (nodes.length === 0) return env.REDIS_URL || undefined;
  for (const node of nodes) {
    if (!/^[^:\s]+:\d+$/.test(node)) throw new Error(`REDIS_CLUSTER_NODES must be comma-separated host:port, got "${node}"`);
  }
  let credentials = '';
  if (env.REDIS_URL) {
    const url = new URL(env.REDIS_URL);
    if (url.username || url.password) credentials = `${url.username}:${url.password}@`;
  }
  return `${CLUSTER_SCHEME}${credentials}${nodes.join(',')}`;
}

export function isClusterUrl(url: string): boolean {
  return url.startsWith(CLUSTER_SCHEME);
}

/** The seed nodes and credentials of a `redis-cluster://` URL. */
export function parseClusterUrl(url: string): { nodes: { host: string; port: number }[]; username?: string; password?: string } {
  let rest = url.slice(CLUSTER_SCHEME.length).replace(/\/.*$/, '');
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const [user, ...pass] = rest.slice(0, at).split(':');
    username = decodeURIComponent(user) || undefined;
    password = decodeURIComponent(pass.join(':')) || undefined;
    rest = rest.slice(at + 1);
  }
  const nodes = rest.split(',').filter(Boolean).map((node) => {
    const colon = node.lastIndexOf(':');
    return { host: node.slice(0, colon), port: Number(node.slice(colon + 1)) };
  });
  if (nodes.length === 0 || nodes.some((n) => !n.host || !Number.isInteger(n.port))) throw new Error(`not a cluster URL: ${url}`);
  return { nodes, username, password };
}

/**
 * The one place Redis clients are made. A plain URL gives a `Redis`; a cluster URL gives an
 * ioredis `Cluster` with the same per-connection options (timeouts, offline queue, retries) and
 * the same `keyPrefix`, so callers only have to keep what they send cluster-safe: a script's keys
 * in KEYS and in one slot, multi-key commands split by slot (`keysBySlot`), SCANs run on every
 * master (`deleteKeysWithPrefix`).
 */
export function createRedisClient(url: string, options: RedisOptions = {}): RedisClient {
  if (!isClusterUrl(url)) return new Redis(url, options);
  const { nodes, username, password } = parseClusterUrl(url);
  const { keyPrefix, enableOfflineQueue, retryStrategy, lazyConnect, ...perNode } = options;
  const clusterOptions: ClusterOptions = {
    keyPrefix,
    lazyConnect,
    enableOfflineQueue: enableOfflineQueue ?? true,
    // Replicas serve no reads: a read right after a write must see it (sessions, limits).
    scaleReads: 'master',
    // Give up on the seed nodes as the single client would give up on its server, then again.
    clusterRetryStrategy: (attempt) => (retryStrategy ? retryStrategy(attempt) ?? null : Math.min(attempt * 100, 2_000)),
    // A failover moves slots: ask again for the map soon, and follow MOVED/ASK a few times.
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    maxRedirections: 16,
    slotsRefreshTimeout: 2_000,
    redisOptions: { ...perNode, username, password },
  };
  return new Cluster(nodes, clusterOptions);
}

/** Whether this client is a Cluster client (its callers split keys by slot, scan every master). */
export function isCluster(client: RedisClient): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}
