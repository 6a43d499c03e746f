import os from 'node:os';
import path from 'node:path';
import { isIP } from 'node:net';
import {
  authConfigFromEnv, DEFAULT_PORTS, internalAuthConfigFromEnv, numberFrom, redisUrlFromEnv, structuralLimitsFromEnv, SUBGRAPH_NAMES, subgraphUrlsFromEnv,
  type AuthConfig, type InternalAuthConfig, type StructuralLimits, type SubgraphName,
} from '@streaming/platform/core';
import { entityCacheSubgraphs } from './EntityCachingDataSource';
import { DEFAULT_COMPRESSION, type CompressionConfig } from './http/compressResponses';
import { DEFAULT_CONCURRENCY_LIMIT, fixedConcurrencyLimit, type ConcurrencyLimitConfig } from './http/concurrencyLimit';
import type { RateLimitConfig } from './http/rateLimit';
import type { TrustedDocumentsMode } from './persistedQueries/trustedDocumentsPlugin';
import type { SandboxConfig } from './sandbox/sandboxLandingPage';

export interface GatewayConfig {
  port: number;
  host: string;
  /**
   * Processes serving the port (node:cluster); 1 runs the gateway in this process, without a
   * primary. @default the available cores when NODE_ENV=production, else 1
   */
  workers: number;
  /**
   * How far each gateway process lets V8's old generation grow past what survived its last full
   * collection (workers/heapGrowth.ts): less memory, at more CPU. @default V8's own choice
   */
  heapGrowth?: number;
  /**
   * How many GraphQL requests each gateway process executes at once; the rest wait at the door
   * (http/concurrencyLimit.ts). @default adaptive, from 16, never under 8
   */
  concurrency: ConcurrencyLimitConfig | 'off';
  /** Production turns off introspection and the Sandbox landing page. */
  production: boolean;
  supergraphPath: string;
  /** Where each subgraph listens; overrides the URLs recorded in the supergraph at compose time. */
  subgraphUrls: Record<SubgraphName, string>;
  /**
   * Subgraphs whose entities are the same for every viewer, cached in the gateway (see
   * EntityCachingDataSource); only those with entities declared public there are accepted.
   */
  entityCache: { subgraphs: SubgraphName[]; ttlSeconds: number; maxEntries: number; maxStaleSeconds?: number };
  /** Subgraphs whose last good per-viewer answers stand in while they fail (see fallbacks/LastGoodDataSource). */
  lastGood: { subgraphs: SubgraphName[]; maxAgeSeconds: number; maxEntries: number; maxEntriesPerViewer: number };
  resilience: ResilienceConfig;
  /**
   * On SIGTERM, how long readiness reports "draining" while still serving, before the listener
   * closes: the time a load balancer needs to stop sending new requests. @default 0
   */
  shutdownDelayMs: number;
  /** Token verification (keys, issuer, audience); production refuses to start without AUTH_JWKS. */
  auth: AuthConfig;
  /** False only to measure the gateway's own token check (the subgraphs verify regardless). */
  verifyTokensAtGateway: boolean;
  /** The credential it calls subgraphs with; required in production, off in development unless set. */
  internalAuth?: InternalAuthConfig;
  /** Signed-out sign-ins, APQ registrations and rate-limit counters, shared between instances; unset: this process only. */
  redisUrl?: string;
  cacheKeyPrefix: string;
  demand: DemandConfig;
  /** How many distinct operation and client names get series of their own in /metrics. */
  telemetry: { metrics: boolean; maxOperationNames: number; maxClients: number };
  /**
   * Where `/metrics` is served: a listener of its own, never the public port (field usage lists
   * the schema, and a scrape costs CPU no rate limit would count). Loopback unless told otherwise.
   */
  metricsListener: { port: number; host: string };
  /** What the development landing page opens with. */
  sandbox: SandboxConfig;
  /** Which plan executor runs: ours (gateway/src/executor) or stock @apollo/gateway's. @default 'ours' */
  executor: 'ours' | 'stock';
  /** gzip and Brotli of answers above a size (COMPRESSION, COMPRESSION_THRESHOLD_BYTES). */
  compression: CompressionConfig;
  /** Every registered operation planned before readiness says ready (PLAN_WARMUP). */
  planWarmup: boolean;
}

/** How the gateway bounds and survives its subgraph calls (see the resilience files in src/). */
export interface ResilienceConfig {
  /** Every request's overall budget: no subgraph fetch outlives it. @default 10000 */
  requestDeadlineMs: number;
  /** One subgraph fetch (headers and body), inside the deadline. @default 3000 */
  fetchTimeoutMs: number;
  /** Open connections per subgraph; further fetches queue (bounded by their timeout). @default 64 */
  connectionsPerSubgraph: number;
  breaker: {
    /** Failure share (%) over the rolling window that opens a subgraph's circuit. @default 50 */
    errorThresholdPercentage: number;
    /** Fetches in the window before the share counts, so one early failure doesn't open it. @default 10 */
    volumeThreshold: number;
    /** Rolling window over which failures are counted. @default 10000 */
    rollingWindowMs: number;
    /** How long an open circuit fails fast before one probe goes through (half-open). @default 5000 */
    resetTimeoutMs: number;
  };
  /** Retries allowed as a share of first attempts (0.1 = at most 10% extra load). @default 0.1 */
  retryBudgetRatio: number;
  /** Honours the `x-fault` request header (development and staging only). @default false */
  faultInjection: boolean;
}

/** What one request may ask of the service (README, "Limits"). */
export interface DemandConfig {
  /** False only to measure what the limits cost (the bench's `ours-no-limits`); the body cap stays. */
  enabled: boolean;
  /** Estimated worst-case cost above which an operation is refused before planning. */
  maxCost: number;
  /** Size assumed for a list field without `@listSize`. */
  defaultListSize: number;
  /** Request header that asks for the estimate in the response's `extensions.cost`. */
  exposeCostHeader: string;
  structure: StructuralLimits;
  /** Longest string accepted in an argument or variable. */
  maxStringLength: number;
  /** Largest request body, in bytes. */
  maxBodyBytes: number;
  /** Undefined: no rate limit. */
  rateLimit?: RateLimitConfig;
  /**
   * Express's `trust proxy`: which hops in front of the gateway may say who the client is
   * (`X-Forwarded-For`), for the rate limit's per-address key. False: nobody, the socket's peer
   * is the client. @default false
   */
  trustProxy: TrustProxy;
  persistedQueries: {
    trustedDocuments: TrustedDocumentsMode;
    manifestPath: string;
    /** How long an automatic persisted query stays registered. */
    apqTtlSeconds: number;
  };
}

export const DEFAULT_MANIFEST_PATH = path.resolve(__dirname, '../persisted-query-manifest.json');

/**
 * The cost of the largest legitimate home screen (HomeScreen with rows 50, itemsPerRow 100):
 * it passes, anything costlier is refused. demand/costEstimator.test.ts recomputes it from the
 * supergraph, so a schema annotation that changes it fails there first.
 */
export const DEFAULT_MAX_COST = 40_051;

const MODES: TrustedDocumentsMode[] = ['enforce', 'log', 'off'];

/** False, a number of hops, or the proxies' addresses and subnets (and Express's names for some). */
export type TrustProxy = false | number | string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY, as Express reads `trust proxy`, less its one unsafe value: `true` trusts every hop,
 * so the leftmost X-Forwarded-For entry (whatever the client wrote) would be its address, and one
 * client could spread its requests over any number of rate-limit keys.
 */
export function trustProxyFrom(env: Record<string, string | undefined>): TrustProxy {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '' || raw === 'false') return false;
  if (raw === 'true') throw new Error('TRUST_PROXY=true would trust every hop, so any client could name its own address: give the number of proxies in front of the gateway, or their addresses');
  if (/^\d+$/.test(raw)) return numberFrom(env, 'TRUST_PROXY', 0, 'wholeNonNegative');
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const ok = PROXY_NAMES.has(entry) || (extra === undefined && isIP(address) !== 0 && (bits === undefined || /^\d{1,3}$/.test(bits)));
    if (!ok) throw new Error(`TRUST_PROXY: "${entry}" is not a hop count, an IP address, a subnet (10.0.0.0/8) or one of ${[...PROXY_NAMES].join(', ')}`);
  }
  return entries;
}

export function demandConfigFromEnv(env: Record<string, string | undefined> = process.env): DemandConfig {
  const production = env.NODE_ENV === 'production';
  const int = (name: string, fallback: number) => numberFrom(env, name, fallback, 'wholeNonNegative');
  const mode = (env.TRUSTED_DOCUMENTS || (production ? 'enforce' : 'off')) as TrustedDocumentsMode;
  if (!MODES.includes(mode)) throw new Error(`TRUSTED_DOCUMENTS must be one of ${MODES.join(', ')}, got "${mode}"`);
  const ratePoints = int('RATE_LIMIT_REQUESTS', 6_000);
  return {
    enabled: env.GATEWAY_LIMITS !== 'off',
    maxCost: int('MAX_COST', DEFAULT_MAX_COST),
    defaultListSize: int('COST_DEFAULT_LIST_SIZE', 10),
    exposeCostHeader: env.COST_HEADER || 'x-graphql-cost',
    structure: structuralLimitsFromEnv(env),
    maxStringLength: int('MAX_STRING_LENGTH', 1_024),
    maxBodyBytes: int('MAX_BODY_BYTES', 1_048_576),
    // Per caller per minute: 100 requests a second, far above any UI and above what a bench
    // connection sends; 0 turns it off.
    rateLimit: ratePoints > 0 ? { points: ratePoints, windowSeconds: int('RATE_LIMIT_WINDOW_SECONDS', 60) } : undefined,
    trustProxy: trustProxyFrom(env),
    persistedQueries: {
      trustedDocuments: mode,
      manifestPath: env.PERSISTED_QUERY_MANIFEST || DEFAULT_MANIFEST_PATH,
      apqTtlSeconds: int('APQ_TTL_SECONDS', 86_400),
    },
  };
}

/**
 * Last good answers kept in all (a default home screen's takes about 8 KB of Redis; see the README's
 * Resilience) and per viewer (an account's profiles, each in a few screen shapes, and the titles
 * it opened lately): a bound on what they take of a Redis that also holds sessions.
 */
export const DEFAULT_LAST_GOOD_MAX_ENTRIES = 20_000;
export const DEFAULT_LAST_GOOD_MAX_ENTRIES_PER_VIEWER = 100;

export const DEFAULT_TELEMETRY: GatewayConfig['telemetry'] = { metrics: true, maxOperationNames: 200, maxClients: 50 };

export const DEFAULT_SUPERGRAPH_PATH = path.resolve(__dirname, '../supergraph.graphql');

/** The default admin port for `/metrics`: the OpenTelemetry Prometheus exporter's. */
export const DEFAULT_METRICS_PORT = 9464;

/** `on` or `off` (unset: the default); anything else stops the start, naming the variable. */
function onOff(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new Error(`${name} must be on or off, not ${JSON.stringify(value)}`);
}

/** A comma-separated list of subgraph names; empty means none. */
function subgraphList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

export function gatewayConfigFromEnv(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const whole = (name: string, fallback: number) => numberFrom(env, name, fallback, 'wholeNonNegative');
  return {
    port: whole(env.PORT ? 'PORT' : 'GATEWAY_PORT', DEFAULT_PORTS.gateway),
    host: env.HOST || '0.0.0.0',
    workers: workersFromEnv(env),
    heapGrowth: heapGrowthFromEnv(env),
    concurrency: concurrencyFromEnv(env),
    production: env.NODE_ENV === 'production',
    supergraphPath: env.SUPERGRAPH_PATH || DEFAULT_SUPERGRAPH_PATH,
    subgraphUrls: subgraphUrlsFromEnv(env),
    entityCache: {
      subgraphs: entityCacheSubgraphs(subgraphList(env.ENTITY_CACHE_SUBGRAPHS ?? 'catalog')),
      ttlSeconds: numberFrom(env, 'ENTITY_CACHE_TTL_SECONDS', 30, 'nonNegative'),
      maxEntries: whole('ENTITY_CACHE_MAX_ENTRIES', 50_000),
      maxStaleSeconds: numberFrom(env, 'ENTITY_CACHE_MAX_STALE_SECONDS', 600, 'nonNegative'),
    },
    lastGood: {
      subgraphs: subgraphList(env.LAST_GOOD_SUBGRAPHS ?? 'recommendation').map((name) => {
        if (!SUBGRAPH_NAMES.includes(name as SubgraphName)) throw new Error(`LAST_GOOD_SUBGRAPHS: ${name} is not a subgraph (${SUBGRAPH_NAMES.join(', ')})`);
        return name as SubgraphName;
      }),
      maxAgeSeconds: numberFrom(env, 'LAST_GOOD_MAX_AGE_SECONDS', 86_400, 'nonNegative'),
      maxEntries: whole('LAST_GOOD_MAX_ENTRIES', DEFAULT_LAST_GOOD_MAX_ENTRIES),
      maxEntriesPerViewer: whole('LAST_GOOD_MAX_ENTRIES_PER_VIEWER', DEFAULT_LAST_GOOD_MAX_ENTRIES_PER_VIEWER),
    },
    auth: authConfigFromEnv(env),
    verifyTokensAtGateway: env.AUTH_GATEWAY_VERIFY !== 'false',
    internalAuth: internalAuthConfigFromEnv(env),
    redisUrl: redisUrlFromEnv(env),
    cacheKeyPrefix: env.CACHE_KEY_PREFIX ?? 'streaming:',
    demand: demandConfigFromEnv(env),
    resilience: resilienceConfigFromEnv(env),
    shutdownDelayMs: numberFrom(env, 'SHUTDOWN_DELAY_MS', 0, 'nonNegative'),
    sandbox: sandboxConfigFromEnv(env),
    compression: {
      enabled: onOff(env, 'COMPRESSION', DEFAULT_COMPRESSION.enabled),
      thresholdBytes: whole('COMPRESSION_THRESHOLD_BYTES', DEFAULT_COMPRESSION.thresholdBytes),
    },
    planWarmup: onOff(env, 'PLAN_WARMUP', true),
    telemetry: {
      // METRICS=off: no /metrics and no per-request counting (the bench's baseline for its cost).
      metrics: env.METRICS !== 'off',
      maxOperationNames: whole('METRICS_MAX_OPERATION_NAMES', DEFAULT_TELEMETRY.maxOperationNames),
      maxClients: whole('METRICS_MAX_CLIENTS', DEFAULT_TELEMETRY.maxClients),
    },
    metricsListener: { port: whole('METRICS_PORT', DEFAULT_METRICS_PORT), host: env.METRICS_HOST || '127.0.0.1' },
    executor: executorFromEnv(env),
  };
}

/**
 * GATEWAY_EXECUTOR: `ours` (the default: gateway/src/executor) or `stock` (plain ApolloGateway's
 * executeQueryPlan). Ours gives stock's answers (the differential test, in CI), with less gateway
 * CPU per request (bench/README.md) and `@defer` in parts; stock stays one setting away for as
 * long as a deployment wants to compare the two.
 */
export function executorFromEnv(env: Record<string, string | undefined> = process.env): GatewayConfig['executor'] {
  const value = env.GATEWAY_EXECUTOR || 'ours';
  if (value !== 'ours' && value !== 'stock') throw new Error(`GATEWAY_EXECUTOR must be ours or stock, got "${value}"`);
  return value;
}

/** GATEWAY_HEAP_GROWTH: a factor from 1.1 to 4 (V8's own range); unset leaves V8's choice. */
function heapGrowthFromEnv(env: Record<string, string | undefined>): number | undefined {
  if (!env.GATEWAY_HEAP_GROWTH) return undefined;
  const factor = numberFrom(env, 'GATEWAY_HEAP_GROWTH', Number.NaN);
  if (factor < 1.1 || factor > 4) throw new Error(`GATEWAY_HEAP_GROWTH must be a factor from 1.1 to 4, got "${env.GATEWAY_HEAP_GROWTH}"`);
  return factor;
}

/**
 * GATEWAY_CONCURRENCY: `adaptive` (the default: follows the event loop and the garbage collector,
 * never under GATEWAY_CONCURRENCY_MIN, 8 unless set), `off`, or a whole number for a fixed limit.
 */
export function concurrencyFromEnv(env: Record<string, string | undefined> = process.env): GatewayConfig['concurrency'] {
  const value = env.GATEWAY_CONCURRENCY || 'adaptive';
  if (value === 'off') return 'off';
  if (value === 'adaptive') {
    const min = numberFrom(env, 'GATEWAY_CONCURRENCY_MIN', DEFAULT_CONCURRENCY_LIMIT.min, 'wholeNonNegative');
    if (min < 1) throw new Error(`GATEWAY_CONCURRENCY_MIN must be 1 or more, got "${env.GATEWAY_CONCURRENCY_MIN}"`);
    return { ...DEFAULT_CONCURRENCY_LIMIT, min, initial: Math.max(min, DEFAULT_CONCURRENCY_LIMIT.initial) };
  }
  const fixed = /^\d+$/.test(value) ? Number(value) : 0;
  if (fixed < 1) throw new Error(`GATEWAY_CONCURRENCY must be adaptive, off or a whole number of 1 or more, got "${value}"`);
  return fixedConcurrencyLimit(fixed);
}

/** GATEWAY_WORKERS: a whole number of 1 or more; production defaults to every core the process may use. */
export function workersFromEnv(env: Record<string, string | undefined> = process.env): number {
  const workers = numberFrom(env, 'GATEWAY_WORKERS', env.NODE_ENV === 'production' ? os.availableParallelism() : 1, 'wholeNonNegative');
  if (workers < 1) throw new Error(`GATEWAY_WORKERS must be 1 or more, got "${env.GATEWAY_WORKERS}"`);
  return workers;
}

export function sandboxConfigFromEnv(env: Record<string, string | undefined> = process.env): SandboxConfig {
  const demoToken = env.SANDBOX_DEMO_TOKEN || undefined;
  // A working token on a page anyone can open is a signed-in session for anyone.
  if (demoToken && env.NODE_ENV === 'production') throw new Error('SANDBOX_DEMO_TOKEN is refused when NODE_ENV=production');
  return { demoToken };
}

export function resilienceConfigFromEnv(env: Record<string, string | undefined> = process.env): ResilienceConfig {
  const faultInjection = env.FAULT_INJECTION === 'true';
  // A header that makes subgraphs fail on demand is a denial-of-service switch in production.
  if (faultInjection && env.NODE_ENV === 'production') {
    throw new Error('FAULT_INJECTION=true is refused when NODE_ENV=production');
  }
  return {
    requestDeadlineMs: numberFrom(env, 'REQUEST_DEADLINE_MS', 10_000, 'nonNegative'),
    fetchTimeoutMs: numberFrom(env, 'SUBGRAPH_TIMEOUT_MS', 3_000, 'nonNegative'),
    connectionsPerSubgraph: numberFrom(env, 'SUBGRAPH_CONNECTIONS', 64, 'nonNegative'),
    breaker: {
      errorThresholdPercentage: numberFrom(env, 'BREAKER_ERROR_PERCENT', 50, 'nonNegative'),
      volumeThreshold: numberFrom(env, 'BREAKER_VOLUME_THRESHOLD', 10, 'nonNegative'),
      rollingWindowMs: numberFrom(env, 'BREAKER_WINDOW_MS', 10_000, 'nonNegative'),
      // An open circuit lets one request through each second to see if its subgraph is back: a
      // restarted subgraph is used again within a second of being up (with 5 s, a restart could
      // wait out a whole second window after it missed the first: `npm run chaos`'s kill-catalog
      // recovered in 1.1 s or 5.9 s by the window's phase), and one request a second is nothing
      // to a subgraph still down. Only that one waits on it; the rest still fail fast.
      resetTimeoutMs: numberFrom(env, 'BREAKER_RESET_MS', 1_000, 'nonNegative'),
    },
    retryBudgetRatio: numberFrom(env, 'RETRY_BUDGET_RATIO', 0.1, 'nonNegative'),
    faultInjection,
  };
}
