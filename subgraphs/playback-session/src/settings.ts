import { intFrom, numberFrom, secretFrom, type Env } from '@streaming/platform';

export interface PlaybackSettings {
  /** A session without a heartbeat for this long frees its stream slot. */
  sessionTimeoutMs: number;
  /** How often coalesced heartbeat positions are written to the store and published. */
  progressFlushMs: number;
  manifestSecret: string;
  /** How long a license token (and the manifest URL carrying it) is good for; heartbeats renew it. */
  manifestTtlSeconds: number;
}

const DEVELOPMENT_SECRET = 'development-only-manifest-secret';

/**
 * Five minutes: dozens of heartbeats to renew it in, and a token copied off a device is worth
 * minutes at most even where an edge checks tokens offline (the authorization check denies it as
 * soon as its session stops playing).
 */
export const DEFAULT_MANIFEST_TTL_SECONDS = 300;
/** Minutes, not hours: a longer-lived token outlives the sessions it was issued for. */
export const MAX_MANIFEST_TTL_SECONDS = 3600;

export function playbackSettingsFromEnv(env: Env): PlaybackSettings {
  const secret = secretFrom(env, 'MANIFEST_SIGNING_SECRET', DEVELOPMENT_SECRET, 'manifest URLs');
  const manifestTtlSeconds = numberFrom(env, 'MANIFEST_TTL_SECONDS', DEFAULT_MANIFEST_TTL_SECONDS, 'wholeNonNegative');
  if (manifestTtlSeconds < 1 || manifestTtlSeconds > MAX_MANIFEST_TTL_SECONDS) {
    throw new Error(`MANIFEST_TTL_SECONDS must be between 1 and ${MAX_MANIFEST_TTL_SECONDS} (license tokens live minutes, renewed by heartbeats), got ${manifestTtlSeconds}`);
  }
  return {
    sessionTimeoutMs: intFrom(env, 'PLAYBACK_SESSION_TIMEOUT_SECONDS', 90) * 1000,
    progressFlushMs: intFrom(env, 'PLAYBACK_PROGRESS_FLUSH_MS', 1000),
    manifestSecret: secret,
    manifestTtlSeconds,
  };
}
