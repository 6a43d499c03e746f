import { addressKey, countRefusal, ErrorCode, type RedisClient } from '@streaming/platform/core';
import type { Request, RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateLimitConfig {
  /** Requests allowed per key and window. */
  points: number;
  windowSeconds: number;
}

/**
 * The client's address as the gateway sees it. The anonymous rate limit counts against it, and
 * the subgraphs receive it (forwardClientAddress) for limits of their own, so both agree on who
 * a client is.
 */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/**
 * Whom a request counts against: the signed-in account once identity has verified it (the
 * identity middleware sets `req.viewer`), the client address otherwise: the socket's peer, or,
 * behind proxies named in TRUST_PROXY, the address the nearest untrusted hop forwarded (Express's
 * `req.ip`; a client's own X-Forwarded-For is never believed), an IPv6 one by its /64 (a host
 * holds the whole block and could take a fresh address per request). The one place to change
 * when what identifies a caller changes.
 */
export function rateLimitKey(req: Request): string {
  const accountId = (req as Request & { viewer?: { accountId?: string } }).viewer?.accountId;
  return accountId ? `account:${accountId}` : `ip:${addressKey(clientAddress(req))}`;
}

/**
 * Per-caller request rate, in Redis when the gateway has one (so the limit holds across
 * instances), in memory otherwise. Over the limit: 429, `Retry-After`, and a GraphQL error coded
 * RATE_LIMITED. If Redis is unreachable the request is let through: an outage of the limiter
 * must not become an outage of the API.
 */
export function rateLimit(config: RateLimitConfig, redis?: RedisClient, keyPrefix = ''): RequestHandler {
  const options = { points: config.points, duration: config.windowSeconds, keyPrefix: `${keyPrefix}ratelimit` };
  const limiter: RateLimiterAbstract = redis
    ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) })
    : new RateLimiterMemory(options);
  return (req, res, next) => {
    limiter.consume(rateLimitKey(req)).then(
      () => next(),
      (rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) return next();
        const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        countRefusal(ErrorCode.RATE_LIMITED);
        res.setHeader('Retry-After', String(retryAfter));
        res.status(429).json({
          errors: [{ message: `Too many requests: try again in ${retryAfter} s.`, extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: retryAfter } }],
        });
      },
    );
  };
}
