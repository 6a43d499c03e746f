import { randomUUID } from 'node:crypto';
import type { Cache } from '@streaming/platform';
import type { PoolSnapshot } from '../domain';
import { buildPoolSnapshot, Pool } from '../ranking/pool';
import type { FeatureRepository } from '../repositories/FeatureRepository';

/** The version of the read model the shared snapshot is current for (a JSON string, as every cached value is); replaced by every invalidation. */
const VERSION_KEY = 'recommendation:pool:version';
const poolKey = (version: string) => `recommendation:pool:v2:${version}`;
/** Only bounds a version nobody invalidates; a lost version costs one rebuild, never a stale read. */
const VERSION_TTL_SECONDS = 86_400;

/**
 * A process-wide cache (one per subgraph process, not per request) of the shared ranking pool,
 * read through two levels: this process keeps the built pool for a few
 * seconds (it is a few hundred kilobytes, and parsing it per request would cost more than the
 * rest of the request), and the shared cache keeps the snapshot so that replicas don't each
 * rebuild it from the store. Concurrent misses share one load.
 *
 * The shared snapshot is stored under the version it was built for, read before the build
 * started, and an invalidation moves the version on. A build that began before an invalidation
 * (on any replica, however long it then took: a GC pause, a starved CPU) can only write under
 * the old version, which no read after the invalidation asks for; the invalidation's tombstone
 * alone would let such a write in once its few seconds are up.
 */
export class RankingPoolCache {
  private current: { pool: Pool; expiresAt: number } | undefined;
  /** The load in flight, shared by concurrent misses of the same generation. */
  private loading: { generation: number; pool: Promise<Pool> } | undefined;

  constructor(
    private readonly features: FeatureRepository,
    private readonly cache: Cache,
    private readonly ttlSeconds: number,
    private readonly localSeconds: number,
  ) {}

  async get(): Promise<Pool> {
    if (this.current && this.current.expiresAt > Date.now()) return this.current.pool;
    // A load that started before an invalidation is not for requests that came after it.
    if (this.loading?.generation !== this.generation) {
      const loading = { generation: this.generation, pool: this.load() };
      this.loading = loading;
      void loading.pool.finally(() => {
        if (this.loading === loading) this.loading = undefined;
      }).catch(() => undefined);
    }
    return this.loading.pool;
  }

  private lastInvalidation = 0;
  /** Bumped by every invalidation; a load that started before one must not be kept. */
  private generation = 0;
  private pendingInvalidation: NodeJS.Timeout | undefined;
  /** The last invalidation's version change; this process's loads read the version only after it. */
  private movingVersion: Promise<void> = Promise.resolve();

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
    // The cache never throws, so neither does this: a load waiting on it is never failed by it.
    this.movingVersion = this.movingVersion.then(() => this.moveVersionOn());
  }

  private async moveVersionOn(): Promise<void> {
    const previous = parseVersion((await this.cache.mget([VERSION_KEY]))[0]);
    if (await this.cache.replace([[VERSION_KEY, JSON.stringify(randomUUID())]], VERSION_TTL_SECONDS)) {
      // The old snapshot is unreachable now; dropping it keeps one snapshot in the cache, not one per invalidation.
      if (previous) await this.cache.del([poolKey(previous)]);
    } else {
      // The cache is unreachable: a deletion is kept and replayed when it is back, and a missing
      // version starts a new one (below), so no replica reads the old snapshot after that.
      await this.cache.del([VERSION_KEY]);
    }
  }

  /** The version to read and build under; a missing one (first start, a cache that lost it) is started afresh. */
  private async currentVersion(): Promise<string> {
    const version = parseVersion((await this.cache.mget([VERSION_KEY]))[0]);
    if (version) return version;
    const fresh = randomUUID();
    // Replace, not write-if-empty: it must also overwrite the tombstone of a replayed deletion.
    // Two replicas racing here each build once under their own version; the last one written wins.
    await this.cache.replace([[VERSION_KEY, JSON.stringify(fresh)]], VERSION_TTL_SECONDS);
    return fresh;
  }

  dispose(): void {
    if (this.pendingInvalidation) clearTimeout(this.pendingInvalidation);
  }

  private async load(): Promise<Pool> {
    const generation = this.generation;
    await this.movingVersion;
    // The version is read before the store is, so a snapshot never carries a newer version than its data.
    const key = poolKey(await this.currentVersion());
    const [cached] = await this.cache.mget([key]);
    let snapshot: PoolSnapshot;
    if (cached) {
      snapshot = JSON.parse(cached) as PoolSnapshot;
    } else {
      snapshot = buildPoolSnapshot(await this.features.loadPoolSource());
      // Invalidated here meanwhile: the version has moved on and nobody would read it (nor should).
      if (generation === this.generation) await this.cache.mset([[key, JSON.stringify(snapshot)]], this.ttlSeconds);
    }
    const pool = new Pool(snapshot);
    if (this.localSeconds > 0 && generation === this.generation) this.current = { pool, expiresAt: Date.now() + this.localSeconds * 1000 };
    return pool;
  }
}

function parseVersion(raw: string | null): string | undefined {
  try {
    const version: unknown = raw === null ? undefined : JSON.parse(raw);
    return typeof version === 'string' && version ? version : undefined;
  } catch {
    return undefined;
  }
}
