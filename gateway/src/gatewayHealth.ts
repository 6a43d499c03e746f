import { createHealth, type Health, type SubgraphName } from '@streaming/platform';
import { request } from 'undici';

/**
 * The gateway is ready when its supergraph is loaded and every subgraph answers its own
 * readiness check. The public body says which subgraph isn't ready, never where it lives.
 */
export function createGatewayHealth(subgraphUrls: Record<SubgraphName, string>, supergraphLoaded: () => boolean): Health {
  const subgraphChecks = Object.fromEntries(
    Object.entries(subgraphUrls).map(([name, url]) => [
      name,
      async () => {
        try {
          const response = await request(new URL('/health/ready', url), { headersTimeout: 1_000, bodyTimeout: 1_000 });
          const body = (await response.body.json().catch(() => ({}))) as { status?: string };
          return response.statusCode === 200 ? undefined : `${body.status ?? `HTTP ${response.statusCode}`}`;
        } catch {
          return 'unreachable';
        }
      },
    ]),
  );
  return createHealth({
    supergraph: async () => (supergraphLoaded() ? undefined : 'not loaded'),
    ...subgraphChecks,
  });
}
