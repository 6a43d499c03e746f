import { useSyncExternalStore } from 'react';

/**
 * The subgraphs each operation's latest answer said it did without (`extensions.degraded`, handed
 * over by the kit's degraded link), for the banner.
 */
let latest: Record<string, string[]> = {};
const listeners = new Set<() => void>();

export function reportDegraded({ operationName, services }: { operationName: string; services: string[] }): void {
  const before = latest[operationName] ?? [];
  if (before.join() === services.join()) return;
  latest = { ...latest, [operationName]: services };
  for (const listener of listeners) listener();
}

export function useDegraded(): string[] {
  const snapshot = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => latest,
  );
  return [...new Set(Object.values(snapshot).flat())].sort();
}
