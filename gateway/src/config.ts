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
}

export const DEFAULT_SUPERGRAPH_PATH = path.resolve(__dirname, '../supergraph.graphql');

export function gatewayConfigFromEnv(env: Record<string, string | undefined> = process.env): GatewayConfig {
  return {
    port: Number(env.PORT || env.GATEWAY_PORT || DEFAULT_PORTS.gateway),
    host: env.HOST || '0.0.0.0',
    production: env.NODE_ENV === 'production',
    supergraphPath: env.SUPERGRAPH_PATH || DEFAULT_SUPERGRAPH_PATH,
    subgraphUrls: subgraphUrlsFromEnv(env),
  };
}
