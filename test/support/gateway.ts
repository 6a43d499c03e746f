import { listen, type SubgraphName } from '@streaming/shared';
import { postGraphQL, type GraphQLResponse } from '@streaming/testing';
import { composeSupergraph } from '../../gateway/src/composeSupergraph';
import { resilienceConfigFromEnv, type ResilienceConfig } from '../../gateway/src/config';
import { createGateway, type GatewayOptions } from '../../gateway/src/server';
import { loadOperations } from './supergraph';

export interface TestGateway {
  url: string;
  run<T = Record<string, any>>(operationName: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/**
 * A second, real gateway over a running test supergraph's subgraphs, with its own settings and
 * subgraph URLs: tests put a TCP proxy in front of one subgraph (to black-hole it, reset its
 * connections or take it away) without disturbing the supergraph other tests in the file use.
 */
export async function startTestGateway(options: {
  subgraphUrls: Record<SubgraphName, string>;
  resilience?: Partial<ResilienceConfig>;
  entityCache?: GatewayOptions['entityCache'];
  lastGood?: GatewayOptions['lastGood'];
}): Promise<TestGateway> {
  const gateway = await createGateway({
    supergraphSdl: composeSupergraph(),
    subgraphUrls: options.subgraphUrls,
    production: false,
    entityCache: options.entityCache,
    lastGood: options.lastGood,
    resilience: { ...resilienceConfigFromEnv({}), ...options.resilience },
  });
  const http = await listen(gateway.app, { port: 0, host: '127.0.0.1' });
  const operations = loadOperations();
  return {
    url: http.url,
    run: (operationName, variables = {}, headers = {}) => postGraphQL(http.url, operations[operationName], variables, operationName, headers),
    async stop() {
      await http.close(1_000);
      await gateway.apollo.stop();
    },
  };
}
