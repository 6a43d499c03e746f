import type { Cache } from '@streaming/platform';
import type { PoolSnapshot } from '../domain';
import { buildPoolSnapshot, Pool } from '../ranking/pool';
import type { FeatureRepository } from '../repositories/FeatureRepository';

const POOL_KEY = 'recommendation:pool:v1';

/**
 * A process-wide cache (one per subgraph process, not per request) of the shared ranking pool,
 * read through two levels: this process keeps the built pool for a few
 * seconds (it is a few hundred kilobytes, and parsing it per request would cost more than the
 * rest of the request), and the shared cache keeps the snapshot so that replicas don't each
 * rebuild it from the store. Concurrent misses share one load.
 */
export class RankingPoolCache {
  private current: { pool: Pool; expiresAt: number } | undefined;
  private loading: Promise<Pool> | undefined;

  constructor(
    private readonly features: FeatureRepository,
    private readonly cache: Cache,
    private readonly ttlSeconds: number,
    private readonly localSeconds: number,
  ) {}

  async get(): Promise<Pool> {
    if (this.current && this.current.expiresAt > Date.now()) return this.current.pool;
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private lastInvalidation = 0;
  /** Bumped by every invalidation; a load that started before one must not be kept. */
  private generation = 0;
  private pendingInvalidation: NodeJS.Timeout | undefined;

  /**
   * The read model changed (new views): drop the pool so the next request ranks afresh. At
   * most once per `minIntervalMs`, so a stream of events doesn't rebuild it on every batch; a
   * change inside the window is applied when the window ends.
   */
  invalidate(minIntervalMs: number): void {
    const wait = this.lastInvalidation + minIntervalMs - Date.now();
    if (wait > 0) {
      this.pendingInvalidation ??= setTimeout(() => {
        this.pendingInvalidation = undefined;
        this.invalidate(minIntervalMs);
      }, wait).unref();
      return;
    }
    this.lastInvalidation = Date.now();
    this.generation += 1;
    this.current = undefined;
    void this.cache.del([POOL_KEY]);
  }

  dispose(): void {
    if (this.pendingInvalidation) clearTimeout(this.pendingInvalidation);
  }

  private async load(): Promise<Pool> {
    const generation = this.generation;
    const [cached] = await this.cache.mget([POOL_KEY]);
    let snapshot: PoolSnapshot;
    if (cached) {
      snapshot = JSON.parse(cached) as PoolSnapshot;
    } else {
      snapshot = buildPoolSnapshot(await this.features.loadPoolSource());
      await this.cache.mset([[POOL_KEY, JSON.stringify(snapshot)]], this.ttlSeconds);
    }
    const pool = new Pool(snapshot);
    if (this.localSeconds > 0 && generation === this.generation) this.current = { pool, expiresAt: Date.now() + this.localSeconds * 1000 };
    return pool;
  }
}
