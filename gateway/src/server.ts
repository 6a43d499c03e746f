import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { SUBGRAPH_NAMES, type SubgraphName } from '@streaming/shared';
import { formatError } from './formatError';
import { createDataSource, createSubgraphFetcher } from './subgraphDataSource';

export interface GatewayOptions {
  supergraphSdl: string;
  subgraphUrls: Record<SubgraphName, string>;
  production: boolean;
}

/**
 * Builds the public gateway without listening (tests start it on port 0). The supergraph is
 * static: composed ahead of time and checked in, so what the gateway serves is reviewed and
 * can't change under it because a subgraph redeployed.
 */
export function createGatewayServer(options: GatewayOptions): ApolloServer {
  const fetcher = createSubgraphFetcher();
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const configured = SUBGRAPH_NAMES.includes(name as SubgraphName) ? options.subgraphUrls[name as SubgraphName] : undefined;
      return createDataSource(configured ?? url ?? '', fetcher);
    },
  });
  return new ApolloServer({
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
