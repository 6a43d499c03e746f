import { availableParallelism } from 'node:os';
import { numberFrom, type Env } from '@streaming/platform';

/** The profile subgraph's own settings (README, "Identity"), parsed once at start. */
export interface ProfileSettings {
  passwords: {
    /** Wrong passwords in a row per (email, address) at sign-in, per account for `accountPassword`. */
    maxFails: number;
    /** Wrong passwords per address per day, across emails and accounts. */
    maxFailsPerAddress: number;
    /** How long an (email, address) or an account stays refused once past `maxFails`. */
    lockoutSeconds: number;
    /** Password hashes (scrypt, 32 MiB each) computed at once. */
    hashConcurrency: number;
    /** Password checks that may wait for a hashing slot; past it, refused at once. */
    hashQueue: number;
    /** A password check that would likely wait longer than this for a slot is refused at once. */
    hashMaxWaitMs: number;
  };
  refreshTokens: {
    /** How long after a rotation the rotated token may be presented again (a retry, a second tab). */
    reuseGraceSeconds: number;
    /** How often expired and revoked refresh tokens are deleted. */
    pruneIntervalSeconds: number;
    /** Rows per delete statement of a pruning run. */
    pruneBatch: number;
  };
}

/**
 * Half the cores, 1 to 4 (libuv's default thread pool is 4): password hashing can take at most
 * half the machine, however many sign-ins arrive, and the rest keeps serving.
 */
function defaultHashConcurrency(): number {
  return Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2)));
}

export function profileSettingsFromEnv(env: Env): ProfileSettings {
  const count = (name: string, fallback: number) => numberFrom(env, name, fallback, 'wholeNonNegative');
  const hashConcurrency = Math.max(1, count('PASSWORD_HASH_CONCURRENCY', defaultHashConcurrency()));
  return {
    passwords: {
      maxFails: Math.max(1, count('PASSWORD_MAX_FAILS', 10)),
      maxFailsPerAddress: Math.max(1, count('PASSWORD_MAX_FAILS_PER_ADDRESS', 100)),
      lockoutSeconds: Math.max(1, count('PASSWORD_LOCKOUT_SECONDS', 3_600)),
      hashConcurrency,
      hashQueue: count('PASSWORD_HASH_QUEUE', 4 * hashConcurrency),
      // Well inside the gateway's 3 s fetch timeout: an answer after it reaches nobody.
      hashMaxWaitMs: count('PASSWORD_HASH_MAX_WAIT_MS', 1_000),
    },
    refreshTokens: {
      reuseGraceSeconds: numberFrom(env, 'REFRESH_TOKEN_REUSE_GRACE_SECONDS', 10, 'nonNegative'),
      pruneIntervalSeconds: Math.max(1, numberFrom(env, 'REFRESH_TOKEN_PRUNE_INTERVAL_SECONDS', 600, 'nonNegative')),
      pruneBatch: Math.max(1, count('REFRESH_TOKEN_PRUNE_BATCH', 1_000)),
    },
  };
}
