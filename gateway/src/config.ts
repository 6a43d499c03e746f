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
  entityCache: { subgraphs: SubgraphName[]; ttlSeconds: number; maxEntries: number };
  /** How many distinct operation and client names get series of their own in /metrics. */
  telemetry: { metrics: boolean; maxOperationNames: number; maxClients: number };
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
    },
    telemetry: {
      // METRICS=off: no /metrics and no per-request counting (the bench's baseline for its cost).
      metrics: env.METRICS !== 'off',
      maxOperationNames: Number(env.METRICS_MAX_OPERATION_NAMES || DEFAULT_TELEMETRY.maxOperationNames),
      maxClients: Number(env.METRICS_MAX_CLIENTS || DEFAULT_TELEMETRY.maxClients),
    },
  };
}
