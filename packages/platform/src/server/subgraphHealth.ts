import { createHealth, type Health } from '../http/healthRoutes';
import type { Store } from '../store/openStore';

/**
 * How long one readiness answer stands: a second, so that any number of probes (several load
 * balancers, the gateways' own) costs the store one query a second, not one each.
 */
export const READINESS_CACHE_MS = 1_000;

/**
 * A subgraph is ready when its store answers, every committed migration is applied (compared
 * with the list read once at start: no file is read per probe), and its background work (event
 * consumers, flushers) has started.
 */
export function subgraphHealth(store: Store<unknown>, started: () => boolean): Health {
  return createHealth(
    {
      store: async () => {
        const pending = await store.pendingMigrations();
        return pending.length ? `migrations not applied: ${pending.join(', ')}` : undefined;
      },
      background: async () => (started() ? undefined : 'starting'),
    },
    { cacheMs: READINESS_CACHE_MS },
  );
}
