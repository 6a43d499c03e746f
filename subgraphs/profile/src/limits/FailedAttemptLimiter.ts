import { addressKey, type RedisClient } from '@streaming/platform';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

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
 * One limit, kept where every instance sees it (Redis) and, always, in this process too. The
 * local count is what decides while Redis fails or is slower than the client's command timeout
 * (a loaded machine, a failover): a fallback that started counting from zero then would hand an
 * attacker who can slow the service a fresh `maxFails` guesses each time. Counting locally all
 * along, the fallback already knows every attempt this process let through; across instances,
 * Redis is the bound while it answers.
 */
class Limit {
  private readonly local: RateLimiterMemory;
  private readonly shared?: RateLimiterRedis;

  constructor(name: string, points: number, blockDuration: number, redis: RedisClient | undefined, keyPrefix: string) {
    const options = { points, duration: DAY_SECONDS, blockDuration, keyPrefix: `${keyPrefix}password-fails:${name}` };
    this.local = new RateLimiterMemory(options);
    // Redis's own fallback is a separate memory limiter, so an attempt it counts while Redis
    // is down isn't counted twice in `local`.
    this.shared = redis ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) }) : undefined;
  }

  async consume(key: string): Promise<Reservation | undefined> {
    const locally = await refusal(this.local.consume(key));
    if (locally || !this.shared) return locally;
    const shared = await refusal(this.shared.consume(key));
    if (shared) await this.local.reward(key, 1);
    return shared;
  }

  async reward(key: string): Promise<void> {
    await Promise.all([this.local.reward(key, 1), this.shared?.reward(key, 1)]);
  }

  async clear(key: string): Promise<void> {
    await Promise.all([this.local.delete(key), this.shared?.delete(key)]);
  }
}

/**
 * Limits on wrong passwords, as rate-limiter-flexible's "login endpoint protection" does it:
 * consecutive failures per subject (cleared by a success, locked out for `lockoutSeconds` past
 * the limit) and slow guessing from one address across subjects (per day, locked out for a day).
 * In Redis when there is one, so the limits hold across instances, and always in this process
 * too (`Limit`), which decides alone while Redis is unreachable or slow; in memory otherwise.
 *
 * An attempt is counted before the password is checked (`reserve`), not after: concurrent
 * guesses can't all pass a "fewer than N so far" check, so exactly `maxFails` checks run. A
 * success then clears the subject and gives the address its point back; an attempt that never
 * reached the check (`cancel`) gives both back.
 */
export class FailedAttemptLimiter {
  private readonly bySubject: Limit;
  private readonly byAddress: Limit;

  constructor(limits: FailedAttemptLimits, redis?: RedisClient, keyPrefix = '') {
    this.bySubject = new Limit('subject', limits.maxFails, limits.lockoutSeconds, redis, keyPrefix);
    this.byAddress = new Limit('address', limits.maxFailsPerAddress, DAY_SECONDS, redis, keyPrefix);
  }

  async reserve(attempt: Attempt): Promise<Reservation> {
    const bySubject = await this.bySubject.consume(attempt.subject);
    if (bySubject) return bySubject;
    const byAddress = await this.byAddress.consume(addressKey(attempt.address));
    if (byAddress) await this.bySubject.reward(attempt.subject);
    return byAddress ?? { granted: true };
  }

  async succeeded(attempt: Attempt): Promise<void> {
    await Promise.all([this.bySubject.clear(attempt.subject), this.byAddress.reward(addressKey(attempt.address))]);
  }

  async cancel(attempt: Attempt): Promise<void> {
    await Promise.all([this.bySubject.reward(attempt.subject), this.byAddress.reward(addressKey(attempt.address))]);
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
