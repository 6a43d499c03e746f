import { intFrom, type Env } from '@streaming/platform';

export interface PlaybackSettings {
  /** A session without a heartbeat for this long frees its stream slot. */
  sessionTimeoutMs: number;
  /** How often coalesced heartbeat positions are written to the store and published. */
  progressFlushMs: number;
  manifestSecret: string;
  manifestTtlSeconds: number;
}

const DEVELOPMENT_SECRET = 'development-only-manifest-secret';

export function playbackSettingsFromEnv(env: Env): PlaybackSettings {
  const secret = env.MANIFEST_SIGNING_SECRET || DEVELOPMENT_SECRET;
  if (secret === DEVELOPMENT_SECRET && env.NODE_ENV === 'production') {
    throw new Error('MANIFEST_SIGNING_SECRET must be set in production: manifest URLs signed with the development secret can be forged');
  }
  return {
    sessionTimeoutMs: intFrom(env, 'PLAYBACK_SESSION_TIMEOUT_SECONDS', 90) * 1000,
    progressFlushMs: intFrom(env, 'PLAYBACK_PROGRESS_FLUSH_MS', 1000),
    manifestSecret: secret,
    manifestTtlSeconds: intFrom(env, 'MANIFEST_TTL_SECONDS', 6 * 3600),
  };
}
