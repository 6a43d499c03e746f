import { createRedisClient, deleteKeysWithPrefix } from '@streaming/platform';
import { TEST_REDIS_URL } from './testDatabases';

/**
 * Deletes every key of a run's prefix (`test:<runId>:`) in the shared Redis: for tests that start
 * the deployed processes themselves, once those have stopped (a recommendation process leaves its
 * event stream and pool version, a gateway its last-good answers, none of them with a TTL).
 */
export async function deleteTestKeys(runId: string): Promise<void> {
  const redis = createRedisClient(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await deleteKeysWithPrefix(redis, `test:${runId}:`);
  } finally {
    redis.disconnect();
  }
}
