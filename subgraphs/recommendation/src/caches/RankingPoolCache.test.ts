import { MemoryCache, TOMBSTONE_TTL_MS, type Cache } from '@streaming/platform';
import type { TitleFeature } from '../domain';
import type { FeatureRepository, PoolSource } from '../repositories/FeatureRepository';
import { RankingPoolCache } from './RankingPoolCache';

const feature = (id: string, popularity: number): TitleFeature =>
  ({ id, name: `Title ${id}`, maturityRating: 'ALL', releaseYear: 2020, addedAt: '2026-01-01T00:00:00.000Z', genreIds: [], popularity });

/**
 * The read model as the pool's store sees it, with a gate the test holds: a build reads the
 * store's state at once and then waits, as a replica paused mid-build would (CPU starved, a long
 * GC, SIGSTOP).
 */
class Store {
  mostPopular = 'old-favourite';
  private gates: Array<() => void> = [];

  /** `holdFirst`: this replica's first build waits for release(); later ones don't. */
  repository(options: { holdFirst?: boolean } = {}): FeatureRepository {
    let hold = options.holdFirst ?? false;
    return {
      loadPoolSource: async (): Promise<PoolSource> => {
        const source = { features: [feature(this.mostPopular, 100), feature('filler', 1)], genres: [], countryStats: [] };
        if (hold) {
          hold = false;
          await new Promise<void>((resolve) => this.gates.push(resolve));
        }
        return source;
      },
    } as unknown as FeatureRepository;
  }

  async whenHeld(): Promise<void> {
    while (this.gates.length === 0) await new Promise((r) => setImmediate(r));
  }

  release(): void {
    for (const open of this.gates.splice(0)) open();
  }
}

/**
 * The in-memory cache with a round trip: each command runs a turn of the event loop after it was
 * sent, in the order sent, as Redis runs a connection's commands.
 */
class RoundTripCache implements Cache {
  readonly kind = 'redis' as const;
  private readonly inner = new MemoryCache();
  private later<T>(command: () => Promise<T>): Promise<T> {
    return new Promise((resolve) => setImmediate(() => resolve(command())));
  }
  mget(keys: readonly string[]) { return this.later(() => this.inner.mget(keys)); }
  mset(entries: ReadonlyArray<readonly [string, string]>, ttl: number) { return this.later(() => this.inner.mset(entries, ttl)); }
  replace(entries: ReadonlyArray<readonly [string, string]>, ttl: number) { return this.later(() => this.inner.replace(entries, ttl)); }
  del(keys: readonly string[]) { return this.later(() => this.inner.del(keys)); }
  close() { return this.inner.close(); }
}

const top = async (cache: RankingPoolCache) => (await cache.get()).snapshot.globalTrending[0];

describe('RankingPoolCache', () => {
  it('never writes a snapshot built before an invalidation over the newer state, however long the build took', async () => {
    const shared = new MemoryCache();
    const store = new Store();
    // Two replicas over one shared cache: the slow one is mid-build when the other applies new views.
    const slow = new RankingPoolCache(store.repository({ holdFirst: true }), shared, 300, 10);
    const consumer = new RankingPoolCache(store.repository(), shared, 300, 10);

    const stale = slow.get();
    await store.whenHeld(); // the slow replica has read the store: its snapshot says old-favourite

    store.mostPopular = 'new-hit'; // the consumer commits new views...
    consumer.invalidate(0); // ...and drops the pool, for every replica
    // The slow build outlives the invalidation's tombstone before it gets to write back.
    await new Promise((r) => setTimeout(r, TOMBSTONE_TTL_MS + 200));
    store.release();
    expect((await stale).snapshot.globalTrending[0]).toBe('old-favourite'); // what it was asked before the change

    // Every read after the invalidation ranks the new state: the replica that invalidated, and
    // one that starts now.
    expect(await top(consumer)).toBe('new-hit');
    expect(await top(new RankingPoolCache(store.repository(), shared, 300, 10))).toBe('new-hit');
    slow.dispose();
    consumer.dispose();
  });

  it('does the same when the replica that is building is the one that invalidates', async () => {
    const shared = new MemoryCache();
    const store = new Store();
    const replica = new RankingPoolCache(store.repository({ holdFirst: true }), shared, 300, 10);

    const stale = replica.get();
    await store.whenHeld();
    store.mostPopular = 'new-hit';
    replica.invalidate(0);
    await new Promise((r) => setTimeout(r, TOMBSTONE_TTL_MS + 200));
    store.release();
    await stale;

    expect(await top(replica)).toBe('new-hit');
    expect(await top(new RankingPoolCache(store.repository(), shared, 300, 10))).toBe('new-hit');
    replica.dispose();
  });

  it('ranks the new state for a read that comes right after its own invalidation', async () => {
    const shared = new RoundTripCache();
    const store = new Store();
    const replica = new RankingPoolCache(store.repository(), shared, 300, 10);
    expect(await top(replica)).toBe('old-favourite');
    store.mostPopular = 'new-hit';
    replica.invalidate(0);
    expect(await top(replica)).toBe('new-hit');
    replica.dispose();
  });

  it("doesn't hand a request that came after an invalidation the build that started before it", async () => {
    const shared = new MemoryCache();
    const store = new Store();
    const replica = new RankingPoolCache(store.repository({ holdFirst: true }), shared, 300, 10);
    const before = top(replica);
    await store.whenHeld();
    store.mostPopular = 'new-hit';
    replica.invalidate(0);
    const after = top(replica);
    store.release();
    expect(await before).toBe('old-favourite');
    expect(await after).toBe('new-hit');
    replica.dispose();
  });

  it('reads the shared snapshot instead of rebuilding it when nothing changed', async () => {
    const shared = new MemoryCache();
    const store = new Store();
    const builds: string[] = [];
    const counting = (name: string): FeatureRepository => {
      const inner = store.repository();
      return { loadPoolSource: () => (builds.push(name), inner.loadPoolSource()) } as unknown as FeatureRepository;
    };
    expect(await top(new RankingPoolCache(counting('a'), shared, 300, 0))).toBe('old-favourite');
    expect(await top(new RankingPoolCache(counting('b'), shared, 300, 0))).toBe('old-favourite');
    expect(builds).toEqual(['a']);
  });
});
