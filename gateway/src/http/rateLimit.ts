import { HeaderMap } from '@apollo/server';
import { ErrorCode, type HttpAppOptions } from '@streaming/shared';
import type { Request } from 'express';
import { GraphQLError } from 'graphql';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { GatewayContext } from '../auth/gatewayContext';

export interface RateLimitConfig {
  /** Requests allowed per key and window. */
  points: number;
  windowSeconds: number;
}

/**
 * Whom a request counts against: the account whose token the gateway verified, the client
 * address otherwise. The one place to change when what identifies a caller changes.
 */
export function rateLimitKey(req: Request, context: GatewayContext | undefined): string {
  const accountId = context?.viewer?.accountId;
  return accountId ? `account:${accountId}` : `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
}

type ContextFunction = HttpAppOptions<GatewayContext>['context'];

/**
 * Per-caller request rate, counted right after identity (so per account once the token is
 * verified) and before any GraphQL work. In Redis when the gateway has one, so the limit holds
 * across instances; in memory otherwise. Over the limit: HTTP 429, `Retry-After`, RATE_LIMITED.
 * Requests with a bad token count against their address before their 401, so a flood of forged
 * tokens is limited too. If Redis fails, a per-process limiter stands in: a limiter outage must
 * not become an API outage.
 */
export function withRateLimit(context: ContextFunction, config: RateLimitConfig, redis?: Redis, keyPrefix = ''): ContextFunction {
  const options = { points: config.points, duration: config.windowSeconds, keyPrefix: `${keyPrefix}ratelimit` };
  const limiter: RateLimiterAbstract = redis
    ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) })
    : new RateLimiterMemory(options);
  const consume = async (req: Request, value: GatewayContext | undefined) => {
    try {
      await limiter.consume(rateLimitKey(req, value));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) return;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      // Apollo Server answers an error thrown by the context function with its http status and headers.
      throw new GraphQLError(`Too many requests: try again in ${retryAfter} s.`, {
        extensions: {
          code: ErrorCode.RATE_LIMITED,
          retryAfterSeconds: retryAfter,
          http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
        },
      });
    }
  };
  return async (args) => {
    let value: GatewayContext;
    try {
      value = await context(args);
    } catch (err) {
      await consume(args.req, undefined);
      throw err;
    }
    await consume(args.req, value);
    return value;
  };
}
