import { createRedisClient, deleteKeysWithPrefix } from '@streaming/platform';
import { TEST_REDIS_URL } from './testDatabases';

/** Deletes every key under `prefix` in the Redis at `url` (a cluster URL too). */
export async function deleteRedisKeys(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = createRedisClient(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await deleteKeysWithPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/**
 * Deletes every key of a run's prefix (`test:<runId>:`) in the shared Redis: for tests that start
 * the deployed processes themselves, once those have stopped (a recommendation process leaves its
 * event stream and pool version, a gateway its last-good answers, none of them with a TTL).
 */
export function deleteTestKeys(runId: string): Promise<void> {
  return deleteRedisKeys(`test:${runId}:`);
}
