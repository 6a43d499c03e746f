import path from 'node:path';
import { authConfigFromEnv, DEFAULT_PORTS, subgraphUrlsFromEnv, type AuthConfig, type SubgraphName } from '@streaming/shared';

export interface GatewayConfig {
  port: number;
  host: string;
  /** Production turns off introspection and the Sandbox landing page. */
  production: boolean;
  supergraphPath: string;
  /** Where each subgraph listens; overrides the URLs recorded in the supergraph at compose time. */
  subgraphUrls: Record<SubgraphName, string>;
  /** Subgraphs whose entities are the same for every viewer, cached in the gateway (see EntityCachingDataSource). */
  entityCache: { subgraphs: SubgraphName[]; ttlSeconds: number; maxEntries: number };
  /** Token verification (keys, issuer, audience); production refuses to start without AUTH_JWKS. */
  auth: AuthConfig;
  /** False only to measure the gateway's own token check (the subgraphs verify regardless). */
  verifyTokensAtGateway: boolean;
  /** Where signed-out sign-ins are listed (shared with the subgraphs); unset: this process only. */
  redisUrl?: string;
  cacheKeyPrefix: string;
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
    },
    auth: authConfigFromEnv(env),
    verifyTokensAtGateway: env.AUTH_GATEWAY_VERIFY !== 'false',
    redisUrl: env.REDIS_URL || undefined,
    cacheKeyPrefix: env.CACHE_KEY_PREFIX ?? 'streaming:',
  };
}
