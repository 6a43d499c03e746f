import { createHealth, type Health } from '../http/healthRoutes';
import type { Store } from '../store/openStore';

/**
 * A subgraph is ready when its store answers, every committed migration is applied, and its
 * background work (event consumers, flushers) has started.
 */
export function subgraphHealth(store: Store<unknown>, started: () => boolean): Health {
  return createHealth({
    store: async () => {
      const pending = await store.pendingMigrations();
      return pending.length ? `migrations not applied: ${pending.join(', ')}` : undefined;
    },
    background: async () => (started() ? undefined : 'starting'),
  });
}
