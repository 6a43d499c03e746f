import { deleteKeysWithPrefix } from '@streaming/platform';
import { newRunId, TEST_REDIS_URL } from '@streaming/testing';
import Redis from 'ioredis';
import { MemorySessionStore } from '../subgraphs/playback-session/src/sessions/MemorySessionStore';
import { RedisSessionStore } from '../subgraphs/playback-session/src/sessions/RedisSessionStore';
import type { SessionStore } from '../subgraphs/playback-session/src/sessions/SessionRecord';
import { sessionRecord } from './support/playback';

/**
 * The session stores' answer to the playback authorization check (licenseState), on real Redis
 * (a key prefix of its own) and on the embedded store: live only while the session plays within
 * the plan's limit, and, on Redis, one round trip per check.
 */
const runId = newRunId();
afterAll(async () => {
  const redis = new Redis(TEST_REDIS_URL);
  await deleteKeysWithPrefix(redis, `test:${runId}:`);
  redis.disconnect();
});

describe.each(['redis', 'memory'] as const)('%s session store: licenseState', (kind) => {
  let store: SessionStore;
  beforeAll(async () => {
    store = kind === 'redis' ? new RedisSessionStore(TEST_REDIS_URL, `test:${runId}:${kind}:playback:`) : new MemorySessionStore();
    if (store instanceof RedisSessionStore) await store.connected();
  });
  afterAll(() => store.close());

  it('is live while the session plays, and says why not once it stopped, was replaced or expired', async () => {
    const now = Date.now();
    await store.start(sessionRecord('a1', now, { accountId: 'acc-a' }), 1, now);
    expect(await store.licenseState('a1', 'acc-a', 1)).toBe('live');
    await store.stop('a1', 'acc-a', 10, now);
    expect(await store.licenseState('a1', 'acc-a', 1)).toBe('stopped');

    await store.start(sessionRecord('b1', now, { accountId: 'acc-b', deviceId: 'tv' }), 1, now);
    await store.start(sessionRecord('b2', now + 1, { accountId: 'acc-b', deviceId: 'tv' }), 1, now + 1);
    expect([await store.licenseState('b1', 'acc-b', 1), await store.licenseState('b2', 'acc-b', 1)]).toEqual(['replaced', 'live']);

    // Expired but not yet swept, then swept: expired either way.
    await store.start(sessionRecord('c1', now - 100_000, { accountId: 'acc-c', expiresAt: now - 1 }), 1, now - 100_000);
    expect(await store.licenseState('c1', 'acc-c', 1)).toBe('expired');
    await store.takeExpired(Date.now(), 100, 1_000);
    expect(await store.licenseState('c1', 'acc-c', 1)).toBe('expired');
  });

  it("knows no session it didn't start, nor another account's", async () => {
    const now = Date.now();
    await store.start(sessionRecord('d1', now, { accountId: 'acc-d' }), 1, now);
    expect(await store.licenseState('no-such-session', 'acc-d', 1)).toBe('unknown');
    expect(await store.licenseState('d1', 'acc-other', 1)).toBe('unknown');
  });

  it('over the limit (the plan shrank under its sessions), keeps the earliest started live', async () => {
    const now = Date.now();
    await store.start(sessionRecord('e1', now, { accountId: 'acc-e' }), 2, now);
    await store.start(sessionRecord('e2', now + 5, { accountId: 'acc-e' }), 2, now + 5);
    expect([await store.licenseState('e1', 'acc-e', 2), await store.licenseState('e2', 'acc-e', 2)]).toEqual(['live', 'live']);
    expect([await store.licenseState('e1', 'acc-e', 1), await store.licenseState('e2', 'acc-e', 1)]).toEqual(['live', 'over-limit']);
  });

  if (kind === 'redis') {
    it('costs one round trip to Redis per check, playing or not', async () => {
      const redis = (store as unknown as { redis: Redis }).redis;
      const sent: string[] = [];
      const send = redis.sendCommand.bind(redis);
      redis.sendCommand = ((command: Parameters<Redis['sendCommand']>[0]) => {
        sent.push(command.name);
        return send(command);
      }) as Redis['sendCommand'];
      try {
        await store.licenseState('a1', 'acc-a', 1); // loads the script if this connection hasn't yet
        sent.length = 0;
        for (const [id, account] of [['b2', 'acc-b'], ['a1', 'acc-a'], ['b1', 'acc-b'], ['c1', 'acc-c'], ['nobody', 'acc-a'], ['e2', 'acc-e']]) {
          await store.licenseState(id, account, 1);
        }
        expect(sent).toEqual(Array(6).fill('evalsha'));
      } finally {
        redis.sendCommand = send;
      }
    });
  }
});
