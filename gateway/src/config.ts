import path from 'node:path';
import { DEFAULT_PORTS, subgraphUrlsFromEnv, type SubgraphName } from '@streaming/shared';

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
      maxStaleSeconds: positive(env, 'ENTITY_CACHE_MAX_STALE_SECONDS', 600),
    },
    lastGood: {
      subgraphs: (env.LAST_GOOD_SUBGRAPHS ?? 'recommendation').split(',').map((s) => s.trim()).filter((s): s is SubgraphName => s.length > 0),
      maxAgeSeconds: positive(env, 'LAST_GOOD_MAX_AGE_SECONDS', 86_400),
      maxEntries: positive(env, 'LAST_GOOD_MAX_ENTRIES', 100_000),
    },
    resilience: resilienceConfigFromEnv(env),
    shutdownDelayMs: positive(env, 'SHUTDOWN_DELAY_MS', 0),
  };
}

function positive(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of 0 or more, got "${raw}"`);
  return value;
}

export function resilienceConfigFromEnv(env: Record<string, string | undefined> = process.env): ResilienceConfig {
  const faultInjection = env.FAULT_INJECTION === 'true';
  // A header that makes subgraphs fail on demand is a denial-of-service switch in production.
  if (faultInjection && env.NODE_ENV === 'production') {
    throw new Error('FAULT_INJECTION=true is refused when NODE_ENV=production');
  }
  return {
    requestDeadlineMs: positive(env, 'REQUEST_DEADLINE_MS', 10_000),
    fetchTimeoutMs: positive(env, 'SUBGRAPH_TIMEOUT_MS', 3_000),
    connectionsPerSubgraph: positive(env, 'SUBGRAPH_CONNECTIONS', 64),
    breaker: {
      errorThresholdPercentage: positive(env, 'BREAKER_ERROR_PERCENT', 50),
      volumeThreshold: positive(env, 'BREAKER_VOLUME_THRESHOLD', 10),
      rollingWindowMs: positive(env, 'BREAKER_WINDOW_MS', 10_000),
      resetTimeoutMs: positive(env, 'BREAKER_RESET_MS', 5_000),
    },
    retryBudgetRatio: positive(env, 'RETRY_BUDGET_RATIO', 0.1),
    faultInjection,
  };
}
