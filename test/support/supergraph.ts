import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  cacheNamespace, createCache, DEFAULT_DB_POOL_SIZE, deleteKeysWithPrefix, createEventBus, listen, MemoryCache, subgraphConfigFromEnv, startSubgraph,
  type Cache, type HttpListener, type EventBus, type RunningSubgraph, type SubgraphName, type StoreConfig,
} from '@streaming/shared';
import {
  createTestDatabases, dropTestDatabases, newRunId, postGraphQL, TEST_REDIS_URL, type GraphQLResponse,
} from '@streaming/testing';
import Redis from 'ioredis';
import { catalogSubgraph } from '../../subgraphs/catalog/src/server';
import { playbackSessionSubgraph } from '../../subgraphs/playback-session/src/server';
import { profileSubgraph } from '../../subgraphs/profile/src/server';
import { recommendationSubgraph } from '../../subgraphs/recommendation/src/server';
import { composeSupergraph } from '../../gateway/src/composeSupergraph';
import { createGateway, type Gateway } from '../../gateway/src/server';

export const OPERATIONS_DIR = path.resolve(__dirname, '../../operations');

/** Every operation in operations/*.graphql, by operation name. */
export function loadOperations(): Record<string, string> {
  const operations: Record<string, string> = {};
  for (const file of readdirSync(OPERATIONS_DIR).filter((f) => f.endsWith('.graphql'))) {
    const text = readFileSync(path.join(OPERATIONS_DIR, file), 'utf8');
    // One operation per file, named like the file: HomeScreen.graphql holds `query HomeScreen`.
    operations[path.basename(file, '.graphql')] = text;
  }
  return operations;
}

export interface SupergraphOptions {
  /** 'postgres' (the default) uses fresh databases on the local server; 'pglite' the embedded store. */
  store?: 'postgres' | 'pglite';
  /** Redis (the default) or the in-process cache. */
  cache?: 'redis' | 'memory';
  /** Redis URL override, e.g. a proxy the test can cut. */
  redisUrl?: string;
  seedScale?: number;
  /** Where PGlite keeps its files, for the embedded test. */
  dataDir?: string;
  /** Extra environment for the subgraphs (e.g. a short playback session timeout). */
  env?: Record<string, string>;
  /** The gateway's entity cache for the catalog, as shipped (off by default so counts see every fetch). */
  entityCache?: boolean;
}

/** Test defaults: short timers so event flow and expiry are observable in seconds. */
const TEST_ENV: Record<string, string> = {
  PLAYBACK_PROGRESS_FLUSH_MS: '200',
  POOL_REFRESH_MS: '0',
  EVENT_RECLAIM_IDLE_MS: '5000',
  // Recommendation ranks afresh every request, so a test sees a change at once.
  LOCAL_CACHE_SECONDS: '0',
};

export interface TestSupergraph {
  runId: string;
  gatewayUrl: string;
  subgraphs: Record<SubgraphName, RunningSubgraph<unknown>>;
  operations: Record<string, string>;
  /** Runs a committed operation by name through the gateway. */
  run<T = Record<string, any>>(operationName: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** SQL statements each subgraph issued while `action` ran. */
  countStatements(action: () => Promise<unknown>): Promise<Record<SubgraphName, number>>;
  /** Empties this run's part of the shared cache (and the recommendation pool's memory copy). */
  flushCache(): Promise<void>;
  stop(): Promise<void>;
}

const SCALE = Number(process.env.TEST_SEED_SCALE || 0.1);

/**
 * Starts the four real subgraphs and the real gateway in this process, each on its own port 0
 * HTTP server, on fresh databases and a private slice of Redis; tests then talk HTTP to the
 * gateway as a client would. Subgraphs that call others start after them: catalog before
 * profile (My List checks titles), both before playback (a start checks the profile's plan and
 * the title) and recommendation (similar(profileId:)).
 */
export async function startTestSupergraph(options: SupergraphOptions = {}): Promise<TestSupergraph> {
  const runId = newRunId();
  const storeKind = options.store ?? 'postgres';
  const databaseUrls = storeKind === 'postgres' ? await createTestDatabases(runId) : undefined;
  const keyPrefix = `test:${runId}:`;
  const cacheKind = options.cache ?? 'redis';
  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
  const cache: Cache = createCache({ redisUrl: cacheKind === 'redis' ? redisUrl : undefined, keyPrefix, component: 'test' });
  const events: EventBus = createEventBus({ redisUrl: cacheKind === 'redis' ? redisUrl : undefined, keyPrefix });

  const urls = {} as Record<SubgraphName, string>;
  const running = {} as Record<SubgraphName, RunningSubgraph<unknown>>;
  const start = async (definition: Parameters<typeof startSubgraph>[0]) => {
    const name = definition.name;
    const store: StoreConfig = databaseUrls
      ? { kind: 'postgres', url: databaseUrls[name], createIfMissing: false, poolSize: DEFAULT_DB_POOL_SIZE }
      : { kind: 'pglite', dataDir: path.join(options.dataDir ?? path.resolve('.data/test'), name) };
    const env = { ...TEST_ENV, ...options.env, ...(cacheKind === 'redis' ? { REDIS_URL: redisUrl, CACHE_KEY_PREFIX: keyPrefix } : {}) };
    const config = {
      ...subgraphConfigFromEnv(name, env),
      store,
      seedIfEmpty: true,
      seedScale: options.seedScale ?? SCALE,
      subgraphUrls: { ...urls },
    };
    const subgraph = await startSubgraph(definition, config, { port: 0, cache, events });
    urls[name] = subgraph.url;
    running[name] = subgraph as RunningSubgraph<unknown>;
  };
  let gateway: Gateway | undefined;
  let gatewayHttp: HttpListener | undefined;
  const stopGateway = async () => {
    await gatewayHttp?.close();
    await gateway?.apollo.stop();
  };
  try {
    await start(catalogSubgraph);
    await start(profileSubgraph);
    await Promise.all([start(playbackSessionSubgraph), start(recommendationSubgraph)]);
    gateway = await createGateway({
      supergraphSdl: composeSupergraph(), subgraphUrls: urls, production: false,
      entityCache: options.entityCache ? { subgraphs: ['catalog'], ttlSeconds: 30, maxEntries: 10_000 } : undefined,
    });
    gatewayHttp = await listen(gateway.app, { port: 0, host: '127.0.0.1' });
    const gatewayUrl = gatewayHttp.url;
    const operations = loadOperations();

    /** Deletes this run's keys: all of them, or only the cache's (not sessions and events). */
    const flushRedis = async (cacheOnly = false) => {
      if (cacheKind !== 'redis') return;
      const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        await deleteKeysWithPrefix(redis, cacheOnly ? cacheNamespace(keyPrefix) : keyPrefix);
      } finally {
        redis.disconnect();
      }
    };

    return {
      runId,
      gatewayUrl,
      subgraphs: running,
      operations,
      run: (operationName, variables = {}) => {
        const text = operations[operationName];
        if (!text) throw new Error(`no operation ${operationName} in ${OPERATIONS_DIR}`);
        return postGraphQL(gatewayUrl, text, variables, operationName);
      },
      query: (query, variables = {}) => postGraphQL(gatewayUrl, query, variables),
      async countStatements(action) {
        const before = Object.fromEntries(Object.values(running).map((s) => [s.name, s.store.statements.total]));
        await action();
        return Object.fromEntries(Object.values(running).map((s) => [s.name, s.store.statements.total - before[s.name]])) as Record<SubgraphName, number>;
      },
      async flushCache() {
        if (cacheKind === 'redis') await flushRedis(true);
        else if (cache instanceof MemoryCache) cache.clear();
      },
      async stop() {
        await stopGateway();
        for (const subgraph of Object.values(running).reverse()) await subgraph.stop();
        await flushRedis().catch(() => undefined);
        await events.close();
        await cache.close();
        if (databaseUrls) await dropTestDatabases(runId);
      },
    };
  } catch (err) {
    await stopGateway().catch(() => undefined);
    for (const subgraph of Object.values(running)) await subgraph.stop().catch(() => undefined);
    await events.close();
    await cache.close();
    if (databaseUrls) await dropTestDatabases(runId).catch(() => undefined);
    throw err;
  }
}
