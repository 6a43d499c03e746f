import type { Manifest } from '../manifest';

import type { PlaybackState } from '../__generated__/resolvers-types';

export type { PlaybackState };

/** A playback session as the session store keeps it (JSON; Redis scripts edit it in place). */
export interface SessionRecord {
  id: string;
  accountId: string;
  profileId: string;
  country: string;
  titleId: string;
  episodeId: string | null;
  /** The episode that follows, so finishing this one can point Continue Watching at it. */
  nextEpisodeId: string | null;
  nextEpisodeRuntime: number | null;
  deviceId: string;
  state: PlaybackState;
  /** Why an ENDED session ended: heartbeats on it say which. */
  endReason?: 'stopped' | 'replaced' | 'expired';
  positionSeconds: number;
  durationSeconds: number;
  startedAt: string;
  lastHeartbeatAt: string;
  /** Epoch ms after which the session no longer holds a stream slot unless a heartbeat renews it. */
  expiresAt: number;
  /** The plan's concurrent streams when it started: what its renewed licenses carry. */
  streamLimit: number;
  manifest: Manifest;
}

/**
 * Where a session stands for the license of its manifests: playing (within the plan's limit),
 * or why it may not be served. `unknown`: no such session of that account (or its record is
 * gone, an hour after it ended).
 */
export type LicenseState = 'live' | 'unknown' | 'stopped' | 'replaced' | 'expired' | 'over-limit';

export type StartOutcome =
  | { kind: 'started'; session: SessionRecord; replaced: SessionRecord | null }
  | { kind: 'limit'; active: SessionRecord[] };

export type UpdateOutcome =
  | { kind: 'updated' | 'unchanged'; session: SessionRecord }
  | { kind: 'ended' | 'expired'; session: SessionRecord }
  | { kind: 'missing' };

export interface ExpiredSessions {
  /** How many sessions this call ended (each counted once, however often it is retried). */
  ended: number;
  /** Ended sessions whose final position is due to be written, oldest attempt first. */
  pending: SessionRecord[];
}

/**
 * Where live sessions are: Redis in production (shared by every replica, atomic through Lua),
 * memory in the embedded mode. Both enforce the stream limit atomically: of N concurrent starts
 * on a plan with room for k, exactly k succeed.
 */
export interface SessionStore {
  readonly kind: 'redis' | 'memory';
  /**
   * Admits the session if the account has a free slot; a session on the same device is replaced.
   * `now` is the memory store's clock: Redis judges expiry on its own (TIME) and moves the
   * session's `expiresAt` onto it, so the session returned is the one to use.
   */
  start(session: SessionRecord, limit: number, now: number): Promise<StartOutcome>;
  /**
   * The session, if it is the account's (null otherwise, as for an unknown id). Sessions are
   * found by account: on a Redis Cluster they live in their account's shard.
   */
  get(id: string, accountId: string): Promise<SessionRecord | null>;
  /** Records a heartbeat and renews the slot; a repeated position changes nothing. Another account's session is missing. */
  heartbeat(id: string, accountId: string, positionSeconds: number, now: number, timeoutMs: number): Promise<UpdateOutcome>;
  /** Ends the session and frees its slot at once; stopping an ended session changes nothing. */
  stop(id: string, accountId: string, positionSeconds: number | null, now: number): Promise<UpdateOutcome>;
  activeByProfile(profileId: string, accountId: string, now: number): Promise<SessionRecord[]>;
  /**
   * Whether the session may be served now, asked per segment request: one round trip (Redis: one
   * read-only script on Redis' own clock), reading only the account's active set while it plays.
   * Over the limit (more live sessions than `streamLimit`, e.g. the plan changed under them), the
   * `streamLimit` earliest started stay live.
   */
  licenseState(sessionId: string, accountId: string, streamLimit: number): Promise<LicenseState>;
  /** Takes (and forgets) the sessions whose position changed since the last call, as they are now. */
  takeDirty(max: number): Promise<SessionRecord[]>;
  /** Puts sessions back after a failed write, so their positions are written on the next flush. */
  markDirty(sessions: SessionRecord[]): Promise<void>;
  /**
   * Ends sessions whose device stopped sending heartbeats (expired, never stopped) and returns
   * those whose final position is still to be written (just ended, or a write that failed), so
   * it can be finalised like a stop. A session stays pending until `finishExpired`: each one
   * returned is withheld from other sweeps for `retryAfterMs`, then returned again.
   */
  takeExpired(now: number, max: number, retryAfterMs: number): Promise<ExpiredSessions>;
  /** The final positions of these expired sessions are written: they are no longer pending. */
  finishExpired(sessions: SessionRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** How long an ended or expired session stays readable (for its final state and clear errors). */
export const RETENTION_MS = 60 * 60 * 1000;
