import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  authConfigFromEnv, cacheNamespace, createAuthServices, createCache, createEventBus, createRevocationList, DEFAULT_DB_POOL_SIZE,
  generatePrivateJwk, redisUrlFromEnv, internalAuthConfigFromEnv, keysFromPrivateJwk, listen, MemoryCache, subgraphConfigFromEnv, startSubgraph,
  type AuthConfig, type AuthKeys, type AuthServices, type Cache, type EventBus, type HttpListener, type InternalAuthConfig, type RunningSubgraph,
  type SubgraphName, type StoreConfig,
} from '@streaming/platform';
import {
  createTestDatabases, deleteRedisKeys, dropTestDatabases, newRunId, postGraphQL, TEST_REDIS_URL, type GraphQLResponse,
} from '@streaming/testing';
import { generateDataset } from '@streaming/demo-data';
import { catalogSubgraph } from '../../subgraphs/catalog/src/server';
import { playbackSessionSubgraph } from '../../subgraphs/playback-session/src/server';
import { profileSubgraph } from '../../subgraphs/profile/src/server';
import { recommendationSubgraph } from '../../subgraphs/recommendation/src/server';
import { composeSupergraph } from '../../gateway/src/composeSupergraph';
import { createGateway, type Gateway } from '../../gateway/src/server';
import { demandConfigFromEnv, resilienceConfigFromEnv } from '../../gateway/src/config';

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
  /**
   * A Redis Cluster (comma-separated host:port) instead of the shared Redis: every Redis user of
   * the subgraphs and the gateway gets it through REDIS_CLUSTER_NODES, as a deployment would.
   */
  redisClusterNodes?: string;
  /** Give the gateway the Redis too (rate limits, APQ, last good answers), as deployed. */
  gatewayRedis?: boolean;
  /** The gateway's last good answers, when a test wants them. */
  lastGood?: Parameters<typeof createGateway>[0]['lastGood'];
  seedScale?: number;
  /** Where PGlite keeps its files, for the embedded test. */
  dataDir?: string;
  /** Extra environment for the subgraphs (e.g. a short playback session timeout). */
  env?: Record<string, string>;
  /** The gateway's entity cache for the catalog, as shipped (off by default so counts see every fetch). */
  entityCache?: boolean;
  /**
   * Gateway settings as environment variables (limits, trusted documents), over the process's.
   * INTERNAL_AUTH_SECRET here (and in `env`, for the subgraphs) turns the internal credential on.
   */
  gatewayEnv?: Record<string, string>;
}

/** Test defaults: short timers so event flow and expiry are observable in seconds. */
const TEST_ENV: Record<string, string> = {
  PLAYBACK_PROGRESS_FLUSH_MS: '200',
  POOL_REFRESH_MS: '0',
  EVENT_RECLAIM_IDLE_MS: '5000',
  // Recommendation ranks afresh every request, so a test sees a change at once.
  LOCAL_CACHE_SECONDS: '0',
};

/**
 * Who a request is sent as. By default, as a signed-in client of the account that owns what
 * the variables name (an account, a profile, or a session or profile created through this
 * harness, whatever the variable is called), else as `demo-premium`: the way a real client only ever asks about
 * its own account. `as: null` sends no credential; `token` sends exactly that one.
 */
export interface RunOptions {
  as?: string | null;
  token?: string;
  headers?: Record<string, string>;
}

export interface TestSupergraph {
  runId: string;
  gatewayUrl: string;
  /** The gateway's admin listener (`GET /metrics`), apart from the public port. */
  gatewayMetricsUrl: string;
  subgraphs: Record<SubgraphName, RunningSubgraph<unknown>>;
  operations: Record<string, string>;
  /** The in-memory keys and verification settings every part of this run shares. */
  auth: { keys: AuthKeys; config: AuthConfig; services: AuthServices };
  /** The gateway's internal credential settings (from `gatewayEnv`), for more gateways over these subgraphs. */
  internalAuth?: InternalAuthConfig;
  /** A valid access token for an account (a fresh sign-in each call unless `sessionId` is given). */
  tokenFor(accountId: string, options?: { ttlSeconds?: number; sessionId?: string }): Promise<string>;
  /** Runs a committed operation by name through the gateway. */
  run<T = Record<string, any>>(operationName: string, variables?: Record<string, unknown>, options?: RunOptions): Promise<GraphQLResponse<T>>;
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, options?: RunOptions): Promise<GraphQLResponse<T>>;
  /** SQL statements each subgraph issued while `action` ran. */
  countStatements(action: () => Promise<unknown>): Promise<Record<SubgraphName, number>>;
  /** Empties this run's part of the shared cache (and the recommendation pool's memory copy). */
  flushCache(): Promise<void>;
  stop(): Promise<void>;
}

const SCALE = Number(process.env.TEST_SEED_SCALE || 0.1);

/** Test auth settings: the shipped defaults, keys generated per run in memory. */
export const TEST_AUTH_CONFIG: AuthConfig = { ...authConfigFromEnv({}), keys: { kind: 'dataDir', dir: '/nonexistent' } };

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
  const redisEnv: Record<string, string> = options.redisClusterNodes ? { REDIS_CLUSTER_NODES: options.redisClusterNodes } : { REDIS_URL: options.redisUrl ?? TEST_REDIS_URL };
  // What the services make of that environment (a `redis-cluster://` URL for a cluster).
  const redisUrl = redisUrlFromEnv(redisEnv)!;
  const cache: Cache = createCache({ redisUrl: cacheKind === 'redis' ? redisUrl : undefined, keyPrefix, component: 'test' });
  const events: EventBus = createEventBus({ redisUrl: cacheKind === 'redis' ? redisUrl : undefined, keyPrefix });

  const keys = await keysFromPrivateJwk(await generatePrivateJwk('test-key-1'));
  const revocations = createRevocationList({ redisUrl: cacheKind === 'redis' ? redisUrl : undefined, keyPrefix, component: 'test' });
  const auth = await createAuthServices({ config: TEST_AUTH_CONFIG, keys, revocations, keyPrefix, component: 'test' });

  const internalAuth = internalAuthConfigFromEnv(options.gatewayEnv ?? {});
  const urls = {} as Record<SubgraphName, string>;
  const running = {} as Record<SubgraphName, RunningSubgraph<unknown>>;
  const start = async (definition: Parameters<typeof startSubgraph>[0]) => {
    const name = definition.name;
    const store: StoreConfig = databaseUrls
      ? { kind: 'postgres', url: databaseUrls[name], createIfMissing: false, poolSize: DEFAULT_DB_POOL_SIZE }
      : { kind: 'pglite', dataDir: path.join(options.dataDir ?? path.resolve('.data/test'), name) };
    const env = { ...TEST_ENV, ...options.env, ...(cacheKind === 'redis' ? { ...redisEnv, CACHE_KEY_PREFIX: keyPrefix } : {}) };
    const config = {
      ...subgraphConfigFromEnv(name, env),
      store,
      seedIfEmpty: true,
      seedScale: options.seedScale ?? SCALE,
      subgraphUrls: { ...urls },
    };
    const subgraph = await startSubgraph(definition, config, { port: 0, cache, events, auth });
    urls[name] = subgraph.url;
    running[name] = subgraph as RunningSubgraph<unknown>;
  };
  let gateway: Gateway | undefined;
  let gatewayHttp: HttpListener | undefined;
  let gatewayMetrics: HttpListener | undefined;
  const stopGateway = async () => {
    await gatewayHttp?.close();
    await gatewayMetrics?.close();
    await gateway?.stop();
  };
  try {
    await start(catalogSubgraph);
    await start(profileSubgraph);
    await Promise.all([start(playbackSessionSubgraph), start(recommendationSubgraph)]);
    gateway = await createGateway({
      supergraphSdl: composeSupergraph(), subgraphUrls: urls, production: false,
      entityCache: options.entityCache ? { subgraphs: ['catalog'], ttlSeconds: 30, maxEntries: 10_000 } : undefined,
      demand: demandConfigFromEnv({ ...process.env, ...options.gatewayEnv }),
      // The shipped 3 s fetch timeout and 10 s deadline are for a quiet production machine; a test
      // file runs beside another on two loaded cores, where a burst of racing writes once took
      // longer and came back GATEWAY_TIMEOUT. Tests of timeouts start gateways of their own.
      resilience: resilienceConfigFromEnv({ SUBGRAPH_TIMEOUT_MS: '15000', REQUEST_DEADLINE_MS: '30000', ...options.gatewayEnv }),
      internalAuth,
      ...(options.gatewayRedis && cacheKind === 'redis' ? { redisUrl, keyPrefix } : {}),
      lastGood: options.lastGood,
    }, { verifier: auth.verifier });
    gatewayHttp = await listen(gateway.app, { port: 0, host: '127.0.0.1' });
    gatewayMetrics = gateway.metrics && (await listen(gateway.metrics, { port: 0, host: '127.0.0.1' }));
    const gatewayUrl = gatewayHttp.url;
    const operations = loadOperations();

    // Who owns what, so that run() can act as the owner (see RunOptions).
    const owners = new Map<string, string>();
    const seeded = generateDataset({ scale: options.seedScale ?? SCALE });
    for (const account of seeded.accounts) owners.set(account.id, account.id);
    for (const profile of seeded.profiles) owners.set(profile.id, profile.accountId);
    const tokens = new Map<string, string>();
    const tokenFor = async (accountId: string, opts: { ttlSeconds?: number; sessionId?: string } = {}) =>
      (await auth.issuer!.issue(accountId, opts.sessionId ?? `test-${newRunId()}`, opts.ttlSeconds)).token;
    /** The first variable (or input field) naming an account, a profile or a session decides. */
    const ownerOf = (variables: Record<string, unknown>): string => {
      const input = (variables.input ?? {}) as Record<string, unknown>;
      for (const value of [...Object.values(variables), ...Object.values(input)]) {
        const owner = typeof value === 'string' ? owners.get(value) : undefined;
        if (owner) return owner;
      }
      return 'demo-premium';
    };
    const send = async <T>(text: string, variables: Record<string, unknown>, operationName: string | undefined, opts: RunOptions) => {
      const account = opts.as === undefined ? ownerOf(variables) : opts.as;
      let token = opts.token;
      if (token === undefined && account !== null) {
        token = tokens.get(account) ?? (await tokenFor(account, { ttlSeconds: 3_600 }));
        tokens.set(account, token);
      }
      const headers = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...opts.headers };
      const response = await postGraphQL<T>(gatewayUrl, text, variables, operationName, headers);
      // Sessions and profiles created here belong to the account that created them.
      const data = response.data as Record<string, { id?: string } | null> | null | undefined;
      if (account) for (const field of ['startPlayback', 'createProfile']) if (data?.[field]?.id) owners.set(data[field]!.id!, account);
      return response;
    };

    /** Deletes this run's keys: all of them, or only the cache's (not sessions and events). */
    const flushRedis = async (cacheOnly = false) => {
      if (cacheKind !== 'redis') return;
      await deleteRedisKeys(cacheOnly ? cacheNamespace(keyPrefix) : keyPrefix, redisUrl);
    };

    return {
      runId,
      gatewayUrl,
      gatewayMetricsUrl: gatewayMetrics?.url ?? '',
      subgraphs: running,
      operations,
      auth: { keys, config: TEST_AUTH_CONFIG, services: auth },
      internalAuth,
      tokenFor,
      run: (operationName, variables = {}, opts = {}) => {
        const text = operations[operationName];
        if (!text) throw new Error(`no operation ${operationName} in ${OPERATIONS_DIR}`);
        return send(text, variables, operationName, opts);
      },
      query: (query, variables = {}, opts = {}) => send(query, variables, undefined, opts),
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
        await events.close();
        await cache.close();
        await revocations.close();
        // Last, once nothing of this run can write any more: a consumer still acknowledging an
        // event or a cache write in flight would otherwise leave keys (without a TTL) behind.
        await flushRedis().catch(() => undefined);
        if (databaseUrls) await dropTestDatabases(runId);
      },
    };
  } catch (err) {
    await stopGateway().catch(() => undefined);
    for (const subgraph of Object.values(running)) await subgraph.stop().catch(() => undefined);
    await revocations.close();
    await events.close();
    await cache.close();
    if (databaseUrls) await dropTestDatabases(runId).catch(() => undefined);
    throw err;
  }
}
