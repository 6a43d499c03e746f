import { growingLru } from '../cache/growingLru';
import { createLogger, type Logger } from '../log';
import { failFastRedisOptions } from '../redis/failFastRedisOptions';
import { createRedisClient, type RedisClient } from '../redis/createRedisClient';

/**
 * Signed-out sign-ins whose access tokens may still be inside their lifetime. An entry lives
 * only as long as such a token could (the access token TTL), so the list stays small.
 */
export interface RevocationList {
  revoke(sessionId: string, ttlSeconds: number): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** One process (the embedded mode, tests without Redis). */
export class MemoryRevocationList implements RevocationList {
  private readonly revoked = growingLru<string, true>(1_000_000);

  async revoke(sessionId: string, ttlSeconds: number): Promise<void> {
    this.revoked.set(sessionId, true, { ttl: ttlSeconds * 1000 });
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return this.revoked.has(sessionId);
  }

  async close(): Promise<void> {}
}

/**
 * Shared by the gateway and every subgraph through Redis: a sign-out anywhere is seen
 * everywhere on the next request. When Redis is unreachable the check fails open (the token's
 * signature and expiry still hold, and at most its 15 minutes remain): refusing every signed-in
 * request during a cache outage would be an outage of the whole API. Revocations this process
 * made are also kept locally, so they hold here even then. The outage is logged once.
 */
export class RedisRevocationList implements RevocationList {
  private readonly redis: RedisClient;
  private readonly local = new MemoryRevocationList();
  private readonly log: Logger;
  private degraded = false;

  constructor(url: string, keyPrefix: string, component: string) {
    this.log = createLogger(component);
    this.redis = createRedisClient(url, { ...failFastRedisOptions(), keyPrefix: `${keyPrefix}auth:revoked:` });
    this.redis.on('error', (err) => this.down(err));
    this.redis.on('ready', () => {
      if (this.degraded) this.log.info('revocation list reachable again');
      this.degraded = false;
    });
  }

  private down(err: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.log.warn(`revocation list unreachable (${err instanceof Error ? err.message : String(err)}); only this process's sign-outs are checked until it is back`);
  }

  async revoke(sessionId: string, ttlSeconds: number): Promise<void> {
    await this.local.revoke(sessionId, ttlSeconds);
    try {
      await this.redis.set(sessionId, '1', 'EX', Math.max(1, Math.ceil(ttlSeconds)));
    } catch (err) {
      this.down(err);
    }
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    if (await this.local.isRevoked(sessionId)) return true;
    if (this.redis.status !== 'ready') return false;
    try {
      return (await this.redis.exists(sessionId)) === 1;
    } catch (err) {
      this.down(err);
      return false;
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export function createRevocationList(options: { redisUrl?: string; keyPrefix: string; component: string }): RevocationList {
  return options.redisUrl ? new RedisRevocationList(options.redisUrl, options.keyPrefix, options.component) : new MemoryRevocationList();
}
