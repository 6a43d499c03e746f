import path from 'node:path';
import { redisUrlFromEnv } from './redis/createRedisClient';

/** The four subgraphs, by the name used for their folder, Prisma schema and env vars. */
export const SUBGRAPH_NAMES = ['profile', 'catalog', 'playback-session', 'recommendation'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export const DEFAULT_PORTS: Record<SubgraphName | 'gateway', number> = {
  gateway: 4000,
  profile: 4001,
  catalog: 4002,
  'playback-session': 4003,
  recommendation: 4004,
};

/** `playback-session` -> `PLAYBACK_SESSION`, the prefix of that subgraph's env vars. */
export function envPrefix(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/** Where a subgraph keeps its data: a Postgres database, or PGlite files under a folder. */
export type StoreConfig =
  | {
      kind: 'postgres';
      url: string;
      createIfMissing: boolean;
      poolSize: number;
      /**
       * Postgres cancels a statement that runs longer (0 = never). A request's SQL has no use
       * beyond the gateway's fetch timeout: past it nobody waits for the answer, and a runaway
       * query would hold a pooled connection others need. Batch jobs set 0.
       * @default DEFAULT_STATEMENT_TIMEOUT_MS
       */
      statementTimeoutMs?: number;
      /**
       * Apply pending migrations on start (MIGRATE_ON_START, default true). Kubernetes pods set
       * false: a migration Job (`node subgraphs/<name>/dist/migrate.js`) applies them once, and
       * a pod stays unready (pending migrations) until it has.
       * @default true
       */
      migrate?: boolean;
    }
  | { kind: 'pglite'; dataDir: string };

export interface SubgraphConfig {
  name: SubgraphName;
  /** NODE_ENV=production: introspection off, suggestions masked, the internal credential required. */
  production: boolean;
  port: number;
  /** Loopback by default: only the gateway is meant to be reachable from outside. */
  host: string;
  store: StoreConfig;
  /** Unset means the in-process LRU cache; `redis-cluster://` (REDIS_CLUSTER_NODES) a Redis Cluster. */
  redisUrl?: string;
  cacheKeyPrefix: string;
  /** Seconds a cached entity stays in the cache before it is read from the store again. */
  cacheTtlSeconds: number;
  /** Seed an empty store on start (the embedded default does, so `npm start` has data). */
  seedIfEmpty: boolean;
  seedScale: number;
  /** Other subgraphs this one calls directly, by name (entity lookups the gateway can't plan). */
  subgraphUrls: Record<SubgraphName, string>;
  /** The environment this config was read from; subgraph-specific settings are parsed from it. */
  env: Env;
}

export type Env = Record<string, string | undefined>;

/**
 * A number setting, or `fallback` when unset; anything else is refused at start with the
 * variable's name, rather than turning into NaN somewhere later. `wholeNonNegative` for counts
 * and sizes, `nonNegative` for durations and ratios.
 */
export function numberFrom(env: Env, key: string, fallback: number, kind: 'any' | 'nonNegative' | 'wholeNonNegative' = 'any'): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  const ok = Number.isFinite(value) && (kind === 'any' || (value >= 0 && (kind === 'nonNegative' || Number.isInteger(value))));
  if (!ok) throw new Error(`${key} must be ${kind === 'any' ? 'a number' : kind === 'nonNegative' ? 'a number of 0 or more' : 'a whole number'}, got "${raw}"`);
  return value;
}

export function intFrom(env: Env, key: string, fallback: number): number {
  return numberFrom(env, key, fallback);
}

/**
 * A signing secret: `developmentSecret` when unset, except in production (`NODE_ENV=production`),
 * where starting with a secret anyone can read in this repository is refused, naming the
 * variable and `risk` (what could be forged with it).
 */
export function secretFrom(env: Env, key: string, developmentSecret: string, risk: string): string {
  const secret = env[key] || developmentSecret;
  if (secret === developmentSecret && env.NODE_ENV === 'production') {
    throw new Error(`${key} must be set in production: ${risk} signed with the development secret can be forged`);
  }
  return secret;
}

/** A request's SQL statement limit (DB_STATEMENT_TIMEOUT_MS): above the gateway's 3 s fetch timeout. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;

/** Postgres connections per subgraph process. */
export const DEFAULT_DB_POOL_SIZE = 10;

/** The database name a subgraph uses on a shared Postgres server: `streaming_playback_session`. */
export function databaseName(name: SubgraphName, prefix = 'streaming'): string {
  return `${prefix}_${name.replace(/-/g, '_')}`;
}

/**
 * Store choice, in order: `<NAME>_DATABASE_URL` (a full URL, used as is); `POSTGRES_URL` (a server,
 * with one database per subgraph named `<DATABASE_PREFIX>_<name>`, created if missing); otherwise
 * the embedded PGlite store under `DATA_DIR/<name>`.
 */
export function storeConfigFromEnv(name: SubgraphName, env: Env = process.env): StoreConfig {
  const own = env[`${envPrefix(name)}_DATABASE_URL`];
  const poolSize = intFrom(env, 'DB_POOL_SIZE', DEFAULT_DB_POOL_SIZE);
  const statementTimeoutMs = intFrom(env, 'DB_STATEMENT_TIMEOUT_MS', DEFAULT_STATEMENT_TIMEOUT_MS);
  const migrate = env.MIGRATE_ON_START !== 'false';
  if (own) return { kind: 'postgres', url: own, createIfMissing: false, poolSize, statementTimeoutMs, migrate };
  const server = env.POSTGRES_URL;
  if (server) {
    const url = new URL(server);
    url.pathname = `/${databaseName(name, env.DATABASE_PREFIX || 'streaming')}`;
    return { kind: 'postgres', url: url.toString(), createIfMissing: true, poolSize, statementTimeoutMs, migrate };
  }
  return { kind: 'pglite', dataDir: path.resolve(env.DATA_DIR || '.data', name) };
}

export function subgraphUrlsFromEnv(env: Env = process.env): Record<SubgraphName, string> {
  const urls = {} as Record<SubgraphName, string>;
  for (const name of SUBGRAPH_NAMES) {
    urls[name] = env[`${envPrefix(name)}_URL`] || `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`;
  }
  return urls;
}

export function subgraphConfigFromEnv(name: SubgraphName, env: Env = process.env): SubgraphConfig {
  const store = storeConfigFromEnv(name, env);
  return {
    name,
    production: env.NODE_ENV === 'production',
    port: intFrom(env, `${envPrefix(name)}_PORT`, DEFAULT_PORTS[name]),
    host: env.SUBGRAPH_HOST || '127.0.0.1',
    store,
    redisUrl: redisUrlFromEnv(env),
    cacheKeyPrefix: env.CACHE_KEY_PREFIX ?? 'streaming:',
    cacheTtlSeconds: intFrom(env, 'CACHE_TTL_SECONDS', 300),
    seedIfEmpty: (env.SEED_IF_EMPTY ?? (store.kind === 'pglite' ? 'true' : 'false')) === 'true',
    seedScale: intFrom(env, 'SEED_SCALE', 1),
    subgraphUrls: subgraphUrlsFromEnv(env),
    env,
  };
}
