import v8 from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived its last full collection.
 *
 * V8 picks the factor from the heap's limit: up to 4x once the limit is 2 GB or more, which is
 * every machine with 8 GB of memory and no container limit (the limit is a quarter of the memory,
 * at most 4 GB). A gateway's live set is small and steady (about 60 MB: plans, the entity cache,
 * token caches) and almost all it allocates is one request's garbage, so under load that
 * headroom fills with garbage: old space grows to about 200 MB before a full collection, and
 * peak RSS follows. A factor set here holds on any machine; it is read by V8 at every full
 * collection, so it takes effect when set at start, before any load.
 */
export function setHeapGrowth(factor: number | undefined): void {
  if (factor === undefined) return;
  v8.setFlagsFromString(`--heap-growing-percent=${Math.round((factor - 1) * 100)}`);
}
