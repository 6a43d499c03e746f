import { addressKey, type RedisClient } from '@streaming/platform';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface FailedAttemptLimits {
  /** Wrong passwords in a row per subject (an email from one address, or an account). */
  maxFails: number;
  /** Wrong passwords per address per day, across subjects. */
  maxFailsPerAddress: number;
  /** How long a subject stays refused once past `maxFails`. */
  lockoutSeconds: number;
}

/** Who is trying: the thing guessed at (e.g. an email from one address), and from where. */
export interface Attempt {
  subject: string;
  address: string;
}

export type Reservation = { granted: true } | { granted: false; retryAfterSeconds: number };

const DAY_SECONDS = 86_400;

/**
 * Limits on wrong passwords, as rate-limiter-flexible's "login endpoint protection" does it:
 * consecutive failures per subject (cleared by a success, locked out for `lockoutSeconds` past
 * the limit) and slow guessing from one address across subjects (per day, locked out for a day).
 * In Redis when there is one, so the limits hold across instances, with a per-process memory
 * fallback while Redis is unreachable; in memory otherwise.
 *
 * An attempt is counted before the password is checked (`reserve`), not after: concurrent
 * guesses can't all pass a "fewer than N so far" check, so exactly `maxFails` checks run. A
 * success then clears the subject and gives the address its point back; an attempt that never
 * reached the check (`cancel`) gives both back.
 */
export class FailedAttemptLimiter {
  private readonly bySubject: RateLimiterAbstract;
  private readonly byAddress: RateLimiterAbstract;

  constructor(limits: FailedAttemptLimits, redis?: RedisClient, keyPrefix = '') {
    const make = (name: string, points: number, blockDuration: number) => {
      const options = { points, duration: DAY_SECONDS, blockDuration, keyPrefix: `${keyPrefix}password-fails:${name}` };
      return redis
        ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) })
        : new RateLimiterMemory(options);
    };
    this.bySubject = make('subject', limits.maxFails, limits.lockoutSeconds);
    this.byAddress = make('address', limits.maxFailsPerAddress, DAY_SECONDS);
  }

  async reserve(attempt: Attempt): Promise<Reservation> {
    const address = addressKey(attempt.address);
    const bySubject = await refusal(this.bySubject.consume(attempt.subject));
    if (bySubject) return bySubject;
    const byAddress = await refusal(this.byAddress.consume(address));
    if (byAddress) await this.bySubject.reward(attempt.subject, 1);
    return byAddress ?? { granted: true };
  }

  async succeeded(attempt: Attempt): Promise<void> {
    await Promise.all([this.bySubject.delete(attempt.subject), this.byAddress.reward(addressKey(attempt.address), 1)]);
  }

  async cancel(attempt: Attempt): Promise<void> {
    await Promise.all([this.bySubject.reward(attempt.subject, 1), this.byAddress.reward(addressKey(attempt.address), 1)]);
  }
}

async function refusal(consumed: Promise<RateLimiterRes>): Promise<Reservation | undefined> {
  try {
    await consumed;
    return undefined;
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    return { granted: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
  }
}
