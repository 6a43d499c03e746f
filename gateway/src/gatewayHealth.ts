import { createHealth, READINESS_CACHE_MS, type Health, type SubgraphName } from '@streaming/platform/core';
import { request } from 'undici';

/**
 * The gateway is ready when it can serve: its supergraph is loaded, every registered operation
 * is planned (warmup/planWarmup.ts; `notReady` says which step it is at) and it isn't draining. Its
 * subgraphs' readiness is reported in the body (`subgraphs: { catalog: "unreachable", ... }`),
 * never gating: a subgraph outage is the same for every replica, so gating on it would take
 * every replica out of the load balancer at once, and with them the fallbacks and the rest of
 * the API that still works. Probes share one answer for about a second, so probing the gateway
 * often doesn't probe the subgraphs as often. The body names subgraphs, never where they live.
 */
export function createGatewayHealth(subgraphUrls: Record<SubgraphName, string>, notReady: () => string | undefined): Health {
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
  return createHealth(
    { supergraph: async () => notReady() },
    { cacheMs: READINESS_CACHE_MS, reported: { key: 'subgraphs', checks: subgraphChecks } },
  );
}
