import { ApolloGateway, type GatewayConfig as ApolloGatewayConfig } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import {
  assignRequestId, createHttpApp, createRedisClient, failFastRedisOptions, createLogger, requestIdPlugin, InternalCredentialSigner, structuralLimits,
  SUBGRAPH_NAMES, traceRequest, type Health, type InternalAuthConfig, type RedisClient, type SubgraphName,
} from '@streaming/platform/core';
import type { GraphQLDataSource } from '@apollo/gateway';
import { authenticate, gatewayContext, type GatewayContext, type GatewayIdentity } from './auth/gatewayContext';
import type { Express } from 'express';
import { concurrencyLimit, DEFAULT_CONCURRENCY_LIMIT, type ConcurrencyLimitConfig } from './http/concurrencyLimit';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { DEFAULT_TELEMETRY, demandConfigFromEnv, executorFromEnv, resilienceConfigFromEnv, type DemandConfig, type GatewayConfig, type ResilienceConfig } from './config';
import { costModelFromSupergraph } from './demand/costModel';
import { costLimitPlugin } from './demand/costLimitPlugin';
import { stringLiteralRule, stringVariablesPlugin } from './demand/stringLimits';
import { compressResponses, DEFAULT_COMPRESSION, type CompressionConfig } from './http/compressResponses';
import { httpCachingPlugin } from './http/httpCachingPlugin';
import { incrementalDeliveryPlugin } from './http/incrementalDelivery';
import { rateLimit } from './http/rateLimit';
import { CSRF_REQUEST_HEADERS, registeredQueriesByGet } from './http/registeredQueriesByGet';
import { rateLimitedMutationPlugin } from './http/rateLimitedMutationPlugin';
import { operationResolutionPlugin } from './http/operationResolutionPlugin';
import { RedisKeyValueCache } from './persistedQueries/RedisKeyValueCache';
import { ManifestFirstCache, readManifest, trustedDocumentsPlugin } from './persistedQueries/trustedDocumentsPlugin';
import { trustedDocumentsGate } from './persistedQueries/trustedDocumentsGate';
import { EntityCachingDataSource } from './EntityCachingDataSource';
import { formatError } from './formatError';
import { createGatewayHealth } from './gatewayHealth';
import { sanitizeError } from './sanitizeError';
import { createDataSource, createSubgraphFetcher } from './subgraphDataSource';
import { resiliencePlugins, withResilience } from './resilience/withResilience';
import { degradedPlugin } from './fallbacks/degraded';
import { homeRowsFallback } from './fallbacks/homeRowsFallback';
import { LastGoodDataSource } from './fallbacks/LastGoodDataSource';
import { createLastGoodStore } from './fallbacks/LastGoodStore';
import { profileRatings } from './fallbacks/profileRatings';
import { MeasuredDataSource } from './telemetry/MeasuredDataSource';
import { createMetricsApp } from './telemetry/metricsApp';
import { reportConcurrency } from './telemetry/metrics';
import { operationTelemetryPlugin } from './telemetry/operationTelemetryPlugin';
import { sandboxLandingPage } from './sandbox/sandboxLandingPage';
import { OwnExecutorGateway } from './executor/OwnExecutorGateway';
import { executorEvents } from './executor/executorEvents';
import { declareDefer } from './executor/deferDirective';
import { warmPlans, WarmupGuardDataSource } from './warmup/planWarmup';

export interface GatewayOptions {
  supergraphSdl: string;
  subgraphUrls: Record<SubgraphName, string>;
  production: boolean;
  /** Off when absent (tests that count subgraph work see every fetch). */
  entityCache?: GatewayConfig['entityCache'];
  /** Limits, cost, persisted queries; the environment's (or the defaults) when absent. */
  demand?: DemandConfig;
  /** Shares APQ registrations and rate-limit counters between instances; in memory when absent. */
  redisUrl?: string;
  keyPrefix?: string;
  /** Last good answers of these subgraphs stand in while they fail; off when absent. */
  lastGood?: GatewayConfig['lastGood'];
  /** Timeouts, circuit breakers, retries, fault injection; the documented defaults when absent. */
  resilience?: ResilienceConfig;
  /** Label caps of the per-operation metrics (defaults when absent). */
  telemetry?: GatewayConfig['telemetry'];
  /** Signs the gateway's credential on every subgraph fetch; none when absent (development without INTERNAL_AUTH_SECRET). */
  internalAuth?: InternalAuthConfig;
  /** Which plan executor runs: ours (gateway/src/executor) or stock's; the environment's (GATEWAY_EXECUTOR) when absent. */
  executor?: 'ours' | 'stock';
  /** What the development landing page opens with (no demo token when absent). */
  sandbox?: GatewayConfig['sandbox'];
  /** gzip and Brotli above a threshold (DEFAULT_COMPRESSION when absent). */
  compression?: CompressionConfig;
  /** Plan every registered operation before readiness says ready (warmup/planWarmup.ts). @default true */
  planWarmup?: boolean;
  /** How many GraphQL requests execute at once, the rest waiting at the door (DEFAULT_CONCURRENCY_LIMIT when absent). */
  concurrency?: ConcurrencyLimitConfig | 'off';
}

/**
 * Builds the public gateway without listening (tests start it on port 0). The supergraph is
 * static: composed ahead of time and checked in, so what the gateway serves is reviewed and
 * can't change under it because a subgraph redeployed.
 */
export function createGatewayServer(options: GatewayOptions, redis?: RedisClient, onSchema?: (apiSchema: GraphQLSchema) => void): ApolloServer<GatewayContext> {
  const demand = options.demand ?? demandConfigFromEnv();
  const log = createLogger('gateway');
  const structure = structuralLimits(demand.structure);
  const limits = demand.enabled;
  const manifest = readManifest(demand.persistedQueries.manifestPath);
  // Enforced trusted documents leave no room for client-registered (APQ) text.
  const apqCache = demand.persistedQueries.trustedDocuments === 'enforce'
    ? undefined
    : redis ? new RedisKeyValueCache(redis, options.keyPrefix ?? '') : new InMemoryLRUCache<string>({ maxSize: 30 * 1024 * 1024 });
  const resilience = options.resilience ?? resilienceConfigFromEnv({});
  const telemetry = options.telemetry ?? DEFAULT_TELEMETRY;
  const fetcher = createSubgraphFetcher({ connections: resilience.connectionsPerSubgraph, timeoutMs: resilience.fetchTimeoutMs });
  const internalCredentials = options.internalAuth && new InternalCredentialSigner(options.internalAuth, 'gateway');
  const lastGood = options.lastGood;
  // In the gateway's Redis when it has one (every instance, and a restarted one, sees them), bounded.
  const lastGoodStore = lastGood && createLastGoodStore(lastGood, redis, options.keyPrefix);
  // Recommendation's fallback for a profile never seen asks the catalog, through its resilient source.
  const sources = new Map<string, GraphQLDataSource>();
  // Sibling fetches go as one request, except to subgraphs whose layers above answer entity by
  // entity (the entity cache, last-good): a combined fetch would go around them. Filled as the
  // data sources are built, so it names exactly the subgraphs that got such a layer.
  const separateFetches = new Set<string>();
  const executor = options.executor ?? executorFromEnv();
  const gatewayConfig: ApolloGatewayConfig = {
    supergraphSdl: options.supergraphSdl,
    queryPlannerConfig: {
      // Hands each fetch's parsed operation to the data sources (the entity cache reads it).
      exposeDocumentNodeInFetchNode: true,
      // Plans with Defer nodes, which our executor delivers in parts (http/incrementalDelivery.ts);
      // stock's refuses them, so under it `@defer` is planned away and answered in one payload.
      incrementalDelivery: { enableDefer: executor === 'ours' },
    },
    buildService: ({ name, url }) => {
      const known = SUBGRAPH_NAMES.includes(name as SubgraphName) ? (name as SubgraphName) : undefined;
      const fetching = createDataSource(name, (known && options.subgraphUrls[known]) ?? url ?? '', fetcher, internalCredentials);
      // Measured inside the resilience layers: each real fetch, retries included, with its own latency.
      const source = withResilience(name, telemetry.metrics ? new MeasuredDataSource(name, fetching) : fetching, resilience);
      const cache = options.entityCache;
      let built = source;
      if (known && cache?.subgraphs.includes(known)) built = new EntityCachingDataSource(source, cache, known);
      else if (known && lastGood && lastGoodStore && lastGood.subgraphs.includes(known)) {
        const neverSeen = known === 'recommendation' ? homeRowsFallback(() => sources.get('catalog')) : undefined;
        built = new LastGoodDataSource(source, name, lastGood, lastGoodStore, neverSeen, profileRatings(() => sources.get('profile')));
      }
      if (built !== source) separateFetches.add(name);
      sources.set(name, built);
      // Outermost: a warm-up's fetches stop before any of the layers above sees them.
      return new WarmupGuardDataSource(built);
    },
  };
  const gateway = executor === 'ours' ? new OwnExecutorGateway(gatewayConfig, executorEvents(log), separateFetches) : new ApolloGateway(gatewayConfig);
  declareDefer(gateway);
  if (onSchema) gateway.onSchemaLoadOrUpdate(({ apiSchema }) => onSchema(apiSchema));
  return new ApolloServer<GatewayContext>({
    gateway,
    introspection: !options.production,
    plugins: [
      // What the gateway opened closes with it: the subgraph connection pools.
      { serverWillStart: async () => ({ serverWillStop: async () => { await fetcher.close(); } }) },
      ...(telemetry.metrics ? [operationTelemetryPlugin(telemetry)] : []),
      ...resiliencePlugins(resilience),
      degradedPlugin(),
      requestIdPlugin(),
      incrementalDeliveryPlugin(formatResponseError),
      // The one writer of Cache-Control (Apollo's own plugin is off: see ApolloServerPluginCacheControlDisabled below).
      httpCachingPlugin({ costHeader: demand.exposeCostHeader }),
      ApolloServerPluginCacheControlDisabled(),
      sandboxLandingPage(options.production, options.sandbox),
      operationResolutionPlugin,
      rateLimitedMutationPlugin(),
      trustedDocumentsPlugin(manifest, demand.persistedQueries.trustedDocuments, log),
      ...(limits ? [...structure.plugins, stringVariablesPlugin(demand.maxStringLength)] : []),
      ...(limits ? [costLimitPlugin(costModelFromSupergraph(options.supergraphSdl), { ...demand, exposeHeader: demand.exposeCostHeader })] : []),
    ],
    validationRules: limits ? [...structure.validationRules, stringLiteralRule(demand.maxStringLength)] : [],
    parseOptions: limits ? structure.parseOptions : {},
    // Apollo's CSRF prevention, waived only for GETs of registered queries by id (why: http/registeredQueriesByGet.ts).
    csrfPrevention: { requestHeaders: CSRF_REQUEST_HEADERS },
    persistedQueries: {
      ttl: demand.persistedQueries.apqTtlSeconds,
      cache: new ManifestFirstCache(manifest, apqCache),
    },
    formatError: formatResponseError,
    // index.ts owns signals (stopOnSignals); see the same setting in the subgraphs.
    stopOnTerminationSignals: false,
    // Stack traces stay in the logs; clients get the message and the code.
    includeStacktraceInErrorResponses: false,
  });
}

/** Every error a client sees, in a single answer or in a deferred part. */
const formatResponseError = (formatted: GraphQLFormattedError, error: unknown) => sanitizeError(formatError(formatted, error), error);

export interface Gateway {
  /** The started GraphQL server: stop it after the HTTP listener has drained. */
  apollo: ApolloServer<GatewayContext>;
  /** The HTTP app: GraphQL at / and /graphql, edge concerns in front of it. Not listening. */
  app: Express;
  /** Stops the GraphQL server and closes what it opened (Redis). */
  stop(): Promise<void>;
  /** /health/live and /health/ready; draining turns readiness off first when stopping. */
  health: Health;
  /** `GET /metrics`, for an admin listener of its own (never the public port); absent with METRICS=off. */
  metrics?: Express;
}

/**
 * Starts the gateway's GraphQL server, plans every registered operation (warmup/planWarmup.ts;
 * readiness says not ready while it does, also after a supergraph change), and wraps it in its
 * HTTP app; the caller listens. Health routes answer outside GraphQL. In front of GraphQL, in order: who is asking (`identity`), then
 * how often they may ask (per account, per address when anonymous).
 */
export async function createGateway(options: GatewayOptions, identity: GatewayIdentity): Promise<Gateway> {
  const demand = options.demand ?? demandConfigFromEnv();
  const redis = options.redisUrl ? await sharedRedis(options.redisUrl) : undefined;
  const manifest = readManifest(demand.persistedQueries.manifestPath);
  const log = createLogger('gateway');
  // Why the gateway isn't ready yet; undefined once it is.
  let notReady: string | undefined = 'supergraph not loaded';
  let apiSchema: GraphQLSchema | undefined;
  let started = false;
  let generation = 0;
  const warm = async () => {
    const mine = ++generation;
    if (options.planWarmup === false || !apiSchema) return;
    notReady = `planning the ${manifest.operations.length} registered operations`;
    const result = await warmPlans(apollo, manifest, apiSchema);
    for (const { name, error } of result.failed) log.warn(`plan warm-up: ${name} not planned (${error}); its first request plans it`);
    log.info(`plan warm-up: ${result.planned.length} of ${manifest.operations.length} registered operations planned in ${Math.round(result.ms)} ms`);
    // A newer supergraph arrived meanwhile: its own warm-up says when it is ready.
    if (mine === generation) notReady = undefined;
  };
  const apollo = createGatewayServer({ ...options, demand }, redis, (schema) => {
    apiSchema = schema;
    // A supergraph change after start: not ready again until its plans are made (Apollo drops the old ones).
    if (started) void warm();
  });
  const health = createGatewayHealth(options.subgraphUrls, () => notReady);
  await apollo.start();
  started = true;
  notReady = undefined;
  await warm();
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY_LIMIT;
  const admission = concurrency === 'off' ? undefined : concurrencyLimit(concurrency);
  const unreport = admission && reportConcurrency(admission.state);
  const app = createHttpApp(apollo, {
    context: gatewayContext,
    routes: [assignRequestId, health.routes],
    bodyLimit: demand.maxBodyBytes,
    // At the door, before the body is read: a request that waits costs nothing but its socket.
    admit: admission ? [admission] : [],
    before: [
      // First, so that every answer after it (refusals included) is compressed where it is worth it.
      ...compressResponses(options.compression ?? DEFAULT_COMPRESSION),
      traceRequest('gateway'),
      authenticate(identity),
      ...(demand.enabled && demand.rateLimit ? [rateLimit(demand.rateLimit, redis, options.keyPrefix)] : []),
      // After the rate limit, so refused documents count against it too.
      ...(demand.persistedQueries.trustedDocuments === 'enforce' ? [trustedDocumentsGate(manifest)] : []),
      registeredQueriesByGet(manifest),
    ],
  });
  // Who the client is, for the per-address rate limit: the socket's peer unless TRUST_PROXY names the proxies.
  app.set('trust proxy', demand.trustProxy);
  const metrics = (options.telemetry ?? DEFAULT_TELEMETRY).metrics ? createMetricsApp() : undefined;
  const stop = async () => {
    admission?.close();
    unreport?.();
    await apollo.stop();
    redis?.disconnect();
  };
  return { apollo, app, health, metrics, stop };
}

/**
 * The gateway's Redis (rate-limit counters, APQ registrations) fails fast: nothing is queued while
 * it is unreachable and a command that hangs is cut at 500 ms. Queued commands made every request
 * wait for ioredis's next reconnect attempt, which backs off: with Redis stopped, a home screen
 * went from 60 ms to over a second. Its users degrade on their own: rate limits fall back to
 * per-instance memory, an APQ lookup becomes a miss (the client sends the text again).
 */
async function sharedRedis(url: string): Promise<RedisClient> {
  const redis = createRedisClient(url, failFastRedisOptions());
  redis.on('error', () => undefined);
  // Connected before the first request, or the first requests would all count in memory only.
  // Redis down at start doesn't stop the gateway (it serves, degraded, and connects when it can).
  const connected = await Promise.race([
    new Promise<boolean>((resolve) => redis.once('ready', () => resolve(true))),
    new Promise<boolean>((resolve) => setTimeout(resolve, REDIS_CONNECT_WAIT_MS, false).unref()),
  ]);
  if (!connected) createLogger('gateway').warn(`Redis not reachable within ${REDIS_CONNECT_WAIT_MS} ms: rate limits count per instance and APQ registrations aren't shared until it is`);
  return redis;
}

const REDIS_CONNECT_WAIT_MS = 3_000;
