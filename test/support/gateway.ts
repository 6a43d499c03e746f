import { SUBGRAPH_NAMES, listen, type SubgraphName } from '@streaming/shared';
import { postGraphQL, type GraphQLResponse } from '@streaming/testing';
import { composeSupergraph } from '../../gateway/src/composeSupergraph';
import { demandConfigFromEnv, resilienceConfigFromEnv, type ResilienceConfig } from '../../gateway/src/config';
import { createGateway, type GatewayOptions } from '../../gateway/src/server';
import { loadOperations, type TestSupergraph } from './supergraph';

export interface ExtraGateway {
  url: string;
  stop(): Promise<void>;
}

/**
 * Another gateway over a running test supergraph's subgraphs, configured as the environment
 * `env` would configure it (production mode, tight limits, trusted documents, Redis): what a
 * second instance or a differently configured deployment looks like, on port 0.
 */
export async function startExtraGateway(
  sg: TestSupergraph,
  options: { env?: Record<string, string>; redisUrl?: string; keyPrefix?: string } = {},
): Promise<ExtraGateway> {
  const env = { ...process.env, ...options.env };
  const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, sg.subgraphs[n].url])) as Record<SubgraphName, string>;
  const gateway = await createGateway({
    supergraphSdl: composeSupergraph(),
    subgraphUrls,
    production: env.NODE_ENV === 'production',
    demand: demandConfigFromEnv(env),
    redisUrl: options.redisUrl,
    keyPrefix: options.keyPrefix,
  }, { verifier: sg.auth.services.verifier });
  const http = await listen(gateway.app, { port: 0, host: '127.0.0.1' });
  return {
    url: http.url,
    stop: async () => {
      await http.close();
      await gateway.stop();
    },
  };
}

export interface TestGateway {
  url: string;
  /** Runs a committed operation as a signed-in client of demo-premium (whose data the resilience tests ask for). */
  run<T = Record<string, any>>(operationName: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/**
 * A second, real gateway over a running test supergraph's subgraphs, with its own settings and
 * subgraph URLs: tests put a TCP proxy in front of one subgraph (to black-hole it, reset its
 * connections or take it away) without disturbing the supergraph other tests in the file use.
 */
export async function startTestGateway(sg: TestSupergraph, options: {
  subgraphUrls: Record<SubgraphName, string>;
  resilience?: Partial<ResilienceConfig>;
  entityCache?: GatewayOptions['entityCache'];
}): Promise<TestGateway> {
  const gateway = await createGateway({
    supergraphSdl: composeSupergraph(),
    subgraphUrls: options.subgraphUrls,
    production: false,
    entityCache: options.entityCache,
    resilience: { ...resilienceConfigFromEnv({}), ...options.resilience },
  }, { verifier: sg.auth.services.verifier });
  const http = await listen(gateway.app, { port: 0, host: '127.0.0.1' });
  const operations = loadOperations();
  const authorization = `Bearer ${await sg.tokenFor('demo-premium')}`;
  return {
    url: http.url,
    run: (operationName, variables = {}, headers = {}) =>
      postGraphQL(http.url, operations[operationName], variables, operationName, { authorization, ...headers }),
    async stop() {
      await http.close(1_000);
      await gateway.stop();
    },
  };
}
