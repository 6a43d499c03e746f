import { intFrom, type Env } from '@streaming/platform';

export interface RecommendationSettings {
  /** Seconds this process keeps the built ranking pool in memory before reading the shared cache again; 0: off. */
  localCacheSeconds: number;
  /** At most this often new views re-rank the shared rows. */
  poolRefreshMs: number;
  /** Events a consumer read but did not acknowledge for this long are taken over. */
  eventReclaimIdleMs: number;
  /** How long applied event ids are remembered for de-duplication. */
  eventDedupWindowMs: number;
}

export function recommendationSettingsFromEnv(env: Env): RecommendationSettings {
  return {
    localCacheSeconds: intFrom(env, 'LOCAL_CACHE_SECONDS', 10),
    poolRefreshMs: intFrom(env, 'POOL_REFRESH_MS', 5_000),
    eventReclaimIdleMs: intFrom(env, 'EVENT_RECLAIM_IDLE_MS', 30_000),
    eventDedupWindowMs: intFrom(env, 'EVENT_DEDUP_WINDOW_HOURS', 7 * 24) * 3_600_000,
  };
}
