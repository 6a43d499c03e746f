import { intFrom, numberFrom, secretFrom, type Env } from '@streaming/platform';

export interface RecommendationSettings {
  /** Seconds this process keeps the built ranking pool in memory before reading the shared cache again; 0: off. */
  localCacheSeconds: number;
  /** At most this often new views re-rank the shared rows. */
  poolRefreshMs: number;
  /** Events a consumer read but did not acknowledge for this long are taken over. */
  eventReclaimIdleMs: number;
  /** How long applied event ids are remembered for de-duplication. */
  eventDedupWindowMs: number;
  /** HMAC key of home-screen cursors (`homeRows(after:)`, `items(after:)`). */
  cursorSecret: string;
  /** How long a home-screen visit lasts: its cursors are good and its ranking snapshot is kept. */
  homeVisitSeconds: number;
}

const DEVELOPMENT_CURSOR_SECRET = 'development-only-home-cursor-secret';

/**
 * Ten minutes: scrolling a home screen takes seconds to minutes, and an app back from the
 * background after longer loads the screen afresh anyway (it should: the rows have moved on).
 * Every visit's snapshot is kept this long, so longer costs shared-cache memory.
 */
export const DEFAULT_HOME_VISIT_SECONDS = 600;
export const MAX_HOME_VISIT_SECONDS = 3600;

export function recommendationSettingsFromEnv(env: Env): RecommendationSettings {
  const homeVisitSeconds = numberFrom(env, 'HOME_VISIT_TTL_SECONDS', DEFAULT_HOME_VISIT_SECONDS, 'wholeNonNegative');
  if (homeVisitSeconds < 1 || homeVisitSeconds > MAX_HOME_VISIT_SECONDS) {
    throw new Error(`HOME_VISIT_TTL_SECONDS must be between 1 and ${MAX_HOME_VISIT_SECONDS} (a visit lasts minutes; every one keeps a snapshot in the shared cache), got ${homeVisitSeconds}`);
  }
  return {
    localCacheSeconds: intFrom(env, 'LOCAL_CACHE_SECONDS', 10),
    poolRefreshMs: intFrom(env, 'POOL_REFRESH_MS', 5_000),
    eventReclaimIdleMs: intFrom(env, 'EVENT_RECLAIM_IDLE_MS', 30_000),
    eventDedupWindowMs: intFrom(env, 'EVENT_DEDUP_WINDOW_HOURS', 7 * 24) * 3_600_000,
    cursorSecret: secretFrom(env, 'CURSOR_SIGNING_SECRET', DEVELOPMENT_CURSOR_SECRET, 'home-screen cursors'),
    homeVisitSeconds,
  };
}
