import { TcpProxy, TEST_REDIS_URL } from '@streaming/testing';
import { startTestSupergraph, type SupergraphOptions, type TestSupergraph } from './supergraph';

/**
 * A test supergraph whose processes reach the shared Redis through a TCP proxy, for one test file:
 * `redis.stop()` is a real outage (connections refused and reset) and `redis.start()` ends it,
 * while the shared Redis itself is never stopped. Registers its own beforeAll and afterAll.
 */
export function supergraphBehindRedisProxy(options: SupergraphOptions = {}): { redis: TcpProxy; supergraph: () => TestSupergraph } {
  const redis = new TcpProxy('127.0.0.1', Number(new URL(TEST_REDIS_URL).port || 6379));
  let sg: TestSupergraph | undefined;
  beforeAll(async () => {
    const port = await redis.start();
    sg = await startTestSupergraph({ ...options, redisUrl: `redis://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await sg?.stop();
    await redis.stop();
  });
  return { redis, supergraph: () => sg! };
}
