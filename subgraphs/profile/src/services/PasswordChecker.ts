import { ErrorCode, graphQLError } from '@streaming/platform';
import { BoundedConcurrency, NoSlotAvailable } from '../limits/BoundedConcurrency';
import type { Attempt, FailedAttemptLimiter } from '../limits/FailedAttemptLimiter';
import { passwordChecks } from '../metrics';
import { verifyPassword } from './passwords';

/**
 * Every password check of the subgraph (signIn, a kids profile's accountPassword) goes through
 * here, in this order: the failed-attempt limits (refused: RATE_LIMITED with the lockout's
 * retryAfterSeconds, before any hashing), then a hashing slot (all busy and the line full:
 * RATE_LIMITED with retryAfterSeconds 1, at once, and the attempt isn't counted), then scrypt.
 * Both refusals are the same to a client: wait, then send the same request again (the gateway
 * turns them into HTTP 429 with Retry-After). Nothing else in the subgraph runs scrypt on a request.
 */
export class PasswordChecker {
  constructor(
    private readonly attempts: FailedAttemptLimiter,
    private readonly hashing: BoundedConcurrency,
  ) {}

  /** True when `password` matches the hash `storedHash` gives (read only once the attempt may go ahead). */
  async check(attempt: Attempt, password: string, storedHash: () => Promise<string>): Promise<boolean> {
    const reservation = await this.attempts.reserve(attempt);
    if (!reservation.granted) {
      passwordChecks.inc({ outcome: 'rate_limited' });
      const wait = reservation.retryAfterSeconds;
      throw graphQLError(ErrorCode.RATE_LIMITED, `too many wrong passwords: try again in ${wait} s`, { retryAfterSeconds: wait });
    }
    let matches: boolean;
    try {
      const stored = await storedHash();
      matches = await this.hashing.run(() => verifyPassword(password, stored));
    } catch (err) {
      // Not a wrong password: the attempt never reached the comparison.
      await this.attempts.cancel(attempt);
      if (!(err instanceof NoSlotAvailable)) throw err;
      passwordChecks.inc({ outcome: 'busy' });
      throw graphQLError(ErrorCode.RATE_LIMITED, 'too many password checks at once: try again in 1 s', { retryAfterSeconds: 1 });
    }
    passwordChecks.inc({ outcome: matches ? 'match' : 'mismatch' });
    if (matches) await this.attempts.succeeded(attempt);
    return matches;
  }
}
