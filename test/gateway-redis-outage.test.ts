import { createHash } from 'node:crypto';
import { postGraphQL } from '@streaming/testing';
import { request } from 'undici';
import { startExtraGateway, type ExtraGateway } from './support/gateway';
import { supergraphBehindRedisProxy } from './support/redisOutage';

/**
 * The gateway's own uses of Redis (rate-limit counters, APQ registrations) degrade, never fail,
 * while Redis is down: home screens answer, an APQ lookup is a miss the client recovers from,
 * and the rate limit still holds (per instance, in memory). How fast it stays is the chaos run's
 * measure (`npm run chaos`, redis-restart), not this test's.
 */
const { redis, supergraph } = supergraphBehindRedisProxy();
let gateway: ExtraGateway;

beforeAll(async () => {
  const sg = supergraph();
  gateway = await startExtraGateway(sg, { redisUrl: `redis://127.0.0.1:${redis.port}`, keyPrefix: `test:${sg.runId}:`, env: { RATE_LIMIT_REQUESTS: '6' } });
});

async function post(body: Record<string, unknown>) {
  const res = await request(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.statusCode, ...((await res.body.json()) as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] }) };
}

it('keeps answering with Redis down: home screens, APQ as misses, and the rate limit in memory', async () => {
  const sg = supergraph();
  const token = await sg.tokenFor('demo-premium');
  const home = () => postGraphQL(gateway.url, sg.operations.HomeScreen, { profileId: 'demo-premium-1' }, 'HomeScreen', { authorization: `Bearer ${token}` });
  const before = await home();
  expect(before.errors).toBeUndefined();

  await redis.stop();
  try {
    const during = await home();
    expect(during.errors).toBeUndefined();
    expect(during.data).toEqual(before.data);

    // Anonymous from here on: these count against this address's 6 requests.
    const text = '{ genres { id } }';
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(text).digest('hex') };
    const miss = await post({ extensions: { persistedQuery } });
    expect(miss.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const withText = await post({ query: text, extensions: { persistedQuery } });
    expect(withText.errors).toBeUndefined();

    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await post({ query: text })).status);
    // 2 APQ requests + 4 more are the 6 allowed; the rest are refused, Redis or not.
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  } finally {
    await redis.start();
    // Before the supergraph's own afterAll: its subgraphs close once no gateway holds connections.
    await gateway.stop();
  }
});
