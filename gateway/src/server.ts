import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { createHttpApp, SUBGRAPH_NAMES, type Health, type SubgraphName } from '@streaming/shared';
import type { Express } from 'express';
import { resilienceConfigFromEnv, type GatewayConfig, type ResilienceConfig } from './config';
import { EntityCachingDataSource } from './EntityCachingDataSource';
import { formatError } from './formatError';
import { createGatewayHealth } from './gatewayHealth';
import { sanitizeError } from './sanitizeError';
import { createDataSource, createSubgraphFetcher } from './subgraphDataSource';
import { resiliencePlugins, withResilience } from './resilience/withResilience';
import { degradedPlugin } from './fallbacks/degraded';
import { LastGoodDataSource } from './fallbacks/LastGoodDataSource';

export interface GatewayOptions {
  supergraphSdl: string;
  subgraphUrls: Record<SubgraphName, string>;
  production: boolean;
  /** Off when absent (tests that count subgraph work see every fetch). */
  entityCache?: GatewayConfig['entityCache'];
  /** Last good answers of these subgraphs stand in while they fail; off when absent. */
  lastGood?: GatewayConfig['lastGood'];
  /** Timeouts, circuit breakers, retries, fault injection; the documented defaults when absent. */
  resilience?: ResilienceConfig;
}

/**
 * Builds the public gateway without listening (tests start it on port 0). The supergraph is
 * static: composed ahead of time and checked in, so what the gateway serves is reviewed and
 * can't change under it because a subgraph redeployed.
 */
export function createGatewayServer(options: GatewayOptions): ApolloServer {
  const resilience = options.resilience ?? resilienceConfigFromEnv({});
  const fetcher = createSubgraphFetcher({ connections: resilience.connectionsPerSubgraph, timeoutMs: resilience.fetchTimeoutMs });
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const known = SUBGRAPH_NAMES.includes(name as SubgraphName) ? (name as SubgraphName) : undefined;
      const source = withResilience(name, createDataSource(name, (known && options.subgraphUrls[known]) ?? url ?? '', fetcher), resilience);
      const cache = options.entityCache;
      if (known && cache?.subgraphs.includes(known)) return new EntityCachingDataSource(source, cache, name);
      const lastGood = options.lastGood;
      return known && lastGood?.subgraphs.includes(known) ? new LastGoodDataSource(source, name, lastGood) : source;
    },
  });
  return new ApolloServer({
    gateway,
    introspection: !options.production,
    plugins: [
      ...resiliencePlugins(resilience),
      degradedPlugin(),
      options.production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
    ],
    formatError: (formatted, error) => sanitizeError(formatError(formatted), error),
    // index.ts owns signals (stopOnSignals); see the same setting in the subgraphs.
    stopOnTerminationSignals: false,
    // Stack traces stay in the logs; clients get the message and the code.
    includeStacktraceInErrorResponses: false,
  });
}

export interface Gateway {
  /** The started GraphQL server: stop it after the HTTP listener has drained. */
  apollo: ApolloServer;
  /** The HTTP app: GraphQL at / and /graphql, edge concerns in front of it. Not listening. */
  app: Express;
  /** /health/live and /health/ready; draining turns readiness off first when stopping. */
  health: Health;
}

/** Starts the gateway's GraphQL server and wraps it in its HTTP app; the caller listens. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const apollo = createGatewayServer(options);
  let loaded = false;
  const health = createGatewayHealth(options.subgraphUrls, () => loaded);
  await apollo.start();
  loaded = true;
  const app = createHttpApp(apollo, { context: async () => ({}), routes: [health.routes] });
  return { apollo, app, health };
}
