import { SUBGRAPH_NAMES, listen, type SubgraphName } from '@streaming/shared';
import { composeSupergraph } from '../../gateway/src/composeSupergraph';
import { demandConfigFromEnv } from '../../gateway/src/config';
import { createGateway } from '../../gateway/src/server';
import type { TestSupergraph } from './supergraph';

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
