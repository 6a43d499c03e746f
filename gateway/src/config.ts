import path from 'node:path';
import { authConfigFromEnv, DEFAULT_PORTS, numberFrom, subgraphUrlsFromEnv, type AuthConfig, type SubgraphName } from '@streaming/platform';
import type { StructuralLimits } from './demand/structuralLimits';
import type { RateLimitConfig } from './http/rateLimit';
import type { TrustedDocumentsMode } from './persistedQueries/trustedDocumentsPlugin';
import type { SandboxConfig } from './sandbox/sandboxLandingPage';

export interface GatewayConfig {
  port: number;
  host: string;
  /** Production turns off introspection and the Sandbox landing page. */
  production: boolean;
  supergraphPath: string;
  /** Where each subgraph listens; overrides the URLs recorded in the supergraph at compose time. */
  subgraphUrls: Record<SubgraphName, string>;
  /** Subgraphs whose entities are the same for every viewer, cached in the gateway (see EntityCachingDataSource). */
  entityCache: { subgraphs: SubgraphName[]; ttlSeconds: number; maxEntries: number; maxStaleSeconds?: number };
  /** Subgraphs whose last good per-viewer answers stand in while they fail (see fallbacks/LastGoodDataSource). */
  lastGood: { subgraphs: SubgraphName[]; maxAgeSeconds: number; maxEntries: number };
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
  /** Signed-out sign-ins, APQ registrations and rate-limit counters, shared between instances; unset: this process only. */
  redisUrl?: string;
  cacheKeyPrefix: string;
  demand: DemandConfig;
  /** How many distinct operation and client names get series of their own in /metrics. */
  telemetry: { metrics: boolean; maxOperationNames: number; maxClients: number };
  /** What the development landing page opens with. */
  sandbox: SandboxConfig;
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
    structure: {
      maxDepth: int('MAX_DEPTH', 12),
      maxAliases: int('MAX_ALIASES', 30),
      maxRootFields: int('MAX_ROOT_FIELDS', 20),
      maxDirectives: int('MAX_DIRECTIVES', 50),
      maxTokens: int('MAX_TOKENS', 3_000),
      blockFieldSuggestions: production,
    },
    maxStringLength: int('MAX_STRING_LENGTH', 1_024),
    maxBodyBytes: int('MAX_BODY_BYTES', 1_048_576),
    // Per caller per minute: 100 requests a second, far above any UI and above what a bench
    // connection sends; 0 turns it off.
    rateLimit: ratePoints > 0 ? { points: ratePoints, windowSeconds: int('RATE_LIMIT_WINDOW_SECONDS', 60) } : undefined,
    persistedQueries: {
      trustedDocuments: mode,
      manifestPath: env.PERSISTED_QUERY_MANIFEST || DEFAULT_MANIFEST_PATH,
      apqTtlSeconds: int('APQ_TTL_SECONDS', 86_400),
    },
  };
}

export const DEFAULT_TELEMETRY: GatewayConfig['telemetry'] = { metrics: true, maxOperationNames: 200, maxClients: 50 };

export const DEFAULT_SUPERGRAPH_PATH = path.resolve(__dirname, '../supergraph.graphql');

export function gatewayConfigFromEnv(env: Record<string, string | undefined> = process.env): GatewayConfig {
  return {
    port: Number(env.PORT || env.GATEWAY_PORT || DEFAULT_PORTS.gateway),
    host: env.HOST || '0.0.0.0',
    production: env.NODE_ENV === 'production',
    supergraphPath: env.SUPERGRAPH_PATH || DEFAULT_SUPERGRAPH_PATH,
    subgraphUrls: subgraphUrlsFromEnv(env),
    entityCache: {
      subgraphs: (env.ENTITY_CACHE_SUBGRAPHS ?? 'catalog').split(',').map((s) => s.trim()).filter((s): s is SubgraphName => s.length > 0),
      ttlSeconds: Number(env.ENTITY_CACHE_TTL_SECONDS || 30),
      maxEntries: Number(env.ENTITY_CACHE_MAX_ENTRIES || 50_000),
      maxStaleSeconds: numberFrom(env, 'ENTITY_CACHE_MAX_STALE_SECONDS', 600, 'nonNegative'),
    },
    lastGood: {
      subgraphs: (env.LAST_GOOD_SUBGRAPHS ?? 'recommendation').split(',').map((s) => s.trim()).filter((s): s is SubgraphName => s.length > 0),
      maxAgeSeconds: numberFrom(env, 'LAST_GOOD_MAX_AGE_SECONDS', 86_400, 'nonNegative'),
      maxEntries: numberFrom(env, 'LAST_GOOD_MAX_ENTRIES', 100_000, 'nonNegative'),
    },
    auth: authConfigFromEnv(env),
    verifyTokensAtGateway: env.AUTH_GATEWAY_VERIFY !== 'false',
    redisUrl: env.REDIS_URL || undefined,
    cacheKeyPrefix: env.CACHE_KEY_PREFIX ?? 'streaming:',
    demand: demandConfigFromEnv(env),
    resilience: resilienceConfigFromEnv(env),
    shutdownDelayMs: numberFrom(env, 'SHUTDOWN_DELAY_MS', 0, 'nonNegative'),
    sandbox: sandboxConfigFromEnv(env),
    telemetry: {
      // METRICS=off: no /metrics and no per-request counting (the bench's baseline for its cost).
      metrics: env.METRICS !== 'off',
      maxOperationNames: Number(env.METRICS_MAX_OPERATION_NAMES || DEFAULT_TELEMETRY.maxOperationNames),
      maxClients: Number(env.METRICS_MAX_CLIENTS || DEFAULT_TELEMETRY.maxClients),
    },
  };
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
      resetTimeoutMs: numberFrom(env, 'BREAKER_RESET_MS', 5_000, 'nonNegative'),
    },
    retryBudgetRatio: numberFrom(env, 'RETRY_BUDGET_RATIO', 0.1, 'nonNegative'),
    faultInjection,
  };
}
