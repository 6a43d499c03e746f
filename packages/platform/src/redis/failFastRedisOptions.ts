import type { RedisOptions } from 'ioredis';

/**
 * ioredis options for a client whose callers would rather fail than wait: nothing is queued while
 * disconnected (a queued command waits for the next reconnect attempt, which backs off to
 * seconds), no command is retried, and one that hangs is cut at `commandTimeoutMs`. The client
 * keeps reconnecting in the background. Every request-path Redis client uses these; the callers
 * decide what a failure means (a cache miss, a fail-open check, SERVICE_UNAVAILABLE).
 *
 * Commands issued in the same tick go out in one write (auto-pipelining): under load a gateway
 * sends a revocation check and a rate-limit script per request, and one socket write per command
 * was a visible share of a ProfilePicker's CPU (bench/README.md). Replies, timeouts and errors are
 * still per command.
 */
export function failFastRedisOptions(commandTimeoutMs = 500): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    enableAutoPipelining: true,
  };
}
