import { failFastRedisOptions } from '@streaming/platform';
import { TEST_REDIS_URL } from '@streaming/testing';
import Redis from 'ioredis';
import { FailedAttemptLimiter } from './FailedAttemptLimiter';

/**
 * The limiter against a real Redis (its own key prefix, deleted afterwards), and what happens
 * when that Redis stops answering mid-attack: a command that fails or times out (a loaded
 * machine, a Redis failover) sends the limiter to its in-process fallback, and that fallback
 * must already know the guesses this process has let through.
 */
const prefix = `fal-test-${process.pid}-${Date.now().toString(36)}:`;
const limits = { maxFails: 10, maxFailsPerAddress: 100, lockoutSeconds: 3_600 };
const attempt = { subject: 'victim@example.com|127.0.0.2', address: '127.0.0.2' };
let redis: Redis;

const connect = async () => {
  const client = new Redis(TEST_REDIS_URL, { ...failFastRedisOptions(), lazyConnect: true });
  await client.connect();
  return client;
};

beforeEach(async () => {
  redis = await connect();
});

afterEach(async () => {
  redis.disconnect();
  const admin = await connect();
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length) await admin.del(...keys);
  await admin.quit();
});

async function granted(limiter: FailedAttemptLimiter, times: number): Promise<number> {
  let n = 0;
  for (let i = 0; i < times; i++) if ((await limiter.reserve(attempt)).granted) n += 1;
  return n;
}

it('grants exactly maxFails attempts for one subject, then refuses with a Retry-After', async () => {
  const limiter = new FailedAttemptLimiter(limits, redis, prefix);
  expect(await granted(limiter, 25)).toBe(10);
  const refused = await limiter.reserve(attempt);
  expect(refused).toEqual({ granted: false, retryAfterSeconds: expect.any(Number) });
});

it('grants no more attempts in all when Redis stops answering partway', async () => {
  const limiter = new FailedAttemptLimiter(limits, redis, prefix);
  expect(await granted(limiter, 6)).toBe(6);
  // From here every command fails at once (no offline queue): the in-process fallback decides.
  redis.disconnect();
  expect(await granted(limiter, 25)).toBe(4);
});
