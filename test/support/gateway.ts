import { SUBGRAPH_NAMES, listen, type SubgraphName } from '@streaming/platform';
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
    internalAuth: sg.internalAuth,
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

/**
 * Extra gateways for one test file: `gateway(options)` starts one over the supergraph that
 * `supergraph()` returns (assigned in the file's beforeAll), and all of them stop after the file.
 */
export function extraGateways(supergraph: () => TestSupergraph) {
  const started: ExtraGateway[] = [];
  afterAll(async () => {
    for (const g of started.splice(0)) await g.stop();
  });
  return async (options: Parameters<typeof startExtraGateway>[1] = {}): Promise<ExtraGateway> => {
    const g = await startExtraGateway(supergraph(), options);
    started.push(g);
    return g;
  };
}

export interface TestGateway {
  url: string;
  /** Runs a committed operation as the demo account owning the profile or account it names. */
  run<T = Record<string, any>>(operationName: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/**
 * A second, real gateway over a running test supergraph's subgraphs, with its own resilience
 * settings and subgraph URLs: tests put a TCP proxy in front of one subgraph (to black-hole it,
 * reset its connections or take it away) without disturbing the supergraph other tests use.
 */
export async function startTestGateway(
  sg: TestSupergraph,
  options: {
    subgraphUrls: Record<SubgraphName, string>;
    resilience?: Partial<ResilienceConfig>;
    entityCache?: GatewayOptions['entityCache'];
    lastGood?: GatewayOptions['lastGood'];
    /** Limits and trusted documents (`demandConfigFromEnv`); the process environment's when absent. */
    demand?: GatewayOptions['demand'];
    /** Where last good answers are kept (and shared between instances); in memory when absent. */
    redisUrl?: string;
    keyPrefix?: string;
    /** Which plan executor runs; the environment's (GATEWAY_EXECUTOR) when absent. */
    executor?: GatewayOptions['executor'];
  },
): Promise<TestGateway> {
  const gateway = await createGateway({
    supergraphSdl: composeSupergraph(),
    subgraphUrls: options.subgraphUrls,
    production: false,
    entityCache: options.entityCache,
    lastGood: options.lastGood,
    demand: options.demand,
    redisUrl: options.redisUrl,
    keyPrefix: options.keyPrefix,
    resilience: { ...resilienceConfigFromEnv({}), ...options.resilience },
    internalAuth: sg.internalAuth,
    executor: options.executor,
  }, { verifier: sg.auth.services.verifier });
  const http = await listen(gateway.app, { port: 0, host: '127.0.0.1' });
  const operations = loadOperations();
  const tokens = new Map<string, string>();
  return {
    url: http.url,
    async run(operationName, variables = {}, headers = {}) {
      // The demo ids say their account: demo-premium-kids belongs to demo-premium.
      const named = Object.values(variables).find((v): v is string => typeof v === 'string' && /^demo-(basic|standard|premium)/.test(v));
      const account = named?.match(/^demo-(basic|standard|premium)/)![0] ?? 'demo-premium';
      const token = tokens.get(account) ?? (await sg.tokenFor(account, { ttlSeconds: 3_600 }));
      tokens.set(account, token);
      return postGraphQL(http.url, operations[operationName], variables, operationName, { authorization: `Bearer ${token}`, ...headers });
    },
    async stop() {
      await http.close(1_000);
      await gateway.stop();
    },
  };
}
