import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { createHttpApp, SUBGRAPH_NAMES, type HttpAppOptions, type SubgraphName } from '@streaming/shared';
import type { GatewayContext } from './auth/gatewayContext';
import type { Express } from 'express';
import type { GatewayConfig } from './config';
import { EntityCachingDataSource } from './EntityCachingDataSource';
import { formatError } from './formatError';
import { createDataSource, createSubgraphFetcher } from './subgraphDataSource';

export interface GatewayOptions {
  supergraphSdl: string;
  subgraphUrls: Record<SubgraphName, string>;
  production: boolean;
  /** Off when absent (tests that count subgraph work see every fetch). */
  entityCache?: GatewayConfig['entityCache'];
}

/**
 * Builds the public gateway without listening (tests start it on port 0). The supergraph is
 * static: composed ahead of time and checked in, so what the gateway serves is reviewed and
 * can't change under it because a subgraph redeployed.
 */
export function createGatewayServer(options: GatewayOptions): ApolloServer<GatewayContext> {
  const fetcher = createSubgraphFetcher();
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    // Hands each fetch's parsed operation to the data sources (the entity cache reads it).
    queryPlannerConfig: { exposeDocumentNodeInFetchNode: true },
    buildService: ({ name, url }) => {
      const known = SUBGRAPH_NAMES.includes(name as SubgraphName) ? (name as SubgraphName) : undefined;
      const source = createDataSource(name, (known && options.subgraphUrls[known]) ?? url ?? '', fetcher);
      const cache = options.entityCache;
      return known && cache?.subgraphs.includes(known) ? new EntityCachingDataSource(source, cache) : source;
    },
  });
  return new ApolloServer<GatewayContext>({
    gateway,
    introspection: !options.production,
    plugins: [
      options.production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
    ],
    formatError,
    // index.ts owns signals (stopOnSignals); see the same setting in the subgraphs.
    stopOnTerminationSignals: false,
    // Stack traces stay in the logs; clients get the message and the code.
    includeStacktraceInErrorResponses: false,
  });
}

export interface Gateway {
  /** The started GraphQL server: stop it after the HTTP listener has drained. */
  apollo: ApolloServer<GatewayContext>;
  /** The HTTP app: GraphQL at / and /graphql, edge concerns in front of it. Not listening. */
  app: Express;
}

/**
 * Starts the gateway's GraphQL server and wraps it in its HTTP app; the caller listens.
 * `context` verifies who is asking (createGatewayContext); every request goes through it.
 */
export async function createGateway(options: GatewayOptions, context: HttpAppOptions<GatewayContext>['context']): Promise<Gateway> {
  const apollo = createGatewayServer(options);
  await apollo.start();
  const app = createHttpApp(apollo, { context });
  return { apollo, app };
}
