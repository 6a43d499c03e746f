import { DEFAULT_DB_POOL_SIZE, deleteKeysWithPrefix, openStore, type EventBus, type PlaybackEvent, type Store } from '@streaming/platform';
import { createTestDatabases, dropTestDatabases, newRunId, TEST_POSTGRES_URL, TEST_REDIS_URL } from '@streaming/testing';
import Redis from 'ioredis';
import pg from 'pg';
import { createPlaybackPrisma, type PlaybackPrisma } from '../subgraphs/playback-session/src/prisma';
import { ProgressRepository } from '../subgraphs/playback-session/src/repositories/ProgressRepository';
import { ProgressWriter } from '../subgraphs/playback-session/src/services/ProgressWriter';
import { MemorySessionStore } from '../subgraphs/playback-session/src/sessions/MemorySessionStore';
import { RedisSessionStore } from '../subgraphs/playback-session/src/sessions/RedisSessionStore';
import type { SessionStore } from '../subgraphs/playback-session/src/sessions/SessionRecord';
import { eventually, sessionRecord } from './support/playback';

/**
 * A device that vanishes (no stop, no heartbeats) is finalised by the progress writer's expiry
 * sweep: the session ends in the session store, then its final position goes to Postgres. If
 * Postgres fails between the two, the session must stay pending and its position land once
 * Postgres is back. The outage is real: this test's own playback database stops accepting
 * connections and its open ones are killed (pg_terminate_backend) right after the sweep took the
 * session, before the write; on real Redis (a key prefix of its own) and on the embedded store.
 */
const runId = newRunId();
let store: Store<PlaybackPrisma>;
let databaseName: string;
const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });

beforeAll(async () => {
  const urls = await createTestDatabases(runId);
  databaseName = new URL(urls['playback-session']).pathname.slice(1);
  store = await openStore('playback-session', { kind: 'postgres', url: urls['playback-session'], createIfMissing: false, poolSize: DEFAULT_DB_POOL_SIZE }, createPlaybackPrisma);
  await admin.connect();
});
afterAll(async () => {
  await admin.query(`ALTER DATABASE "${databaseName}" WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
  await admin.end();
  await store?.close();
  await dropTestDatabases(runId);
  const redis = new Redis(TEST_REDIS_URL);
  await deleteKeysWithPrefix(redis, `test:${runId}:`);
  redis.disconnect();
});

/** Postgres is gone for this database: open connections killed, new ones refused. */
async function cutPostgres(): Promise<void> {
  await admin.query(`ALTER DATABASE "${databaseName}" WITH ALLOW_CONNECTIONS false`);
  await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [databaseName]);
}
async function restorePostgres(): Promise<void> {
  await admin.query(`ALTER DATABASE "${databaseName}" WITH ALLOW_CONNECTIONS true`);
}

class RecordingBus implements EventBus {
  readonly kind = 'memory' as const;
  readonly published: PlaybackEvent[] = [];
  async publish(events: PlaybackEvent[]): Promise<void> {
    this.published.push(...events);
  }
  async subscribe(): Promise<never> {
    throw new Error('not used here');
  }
  async close(): Promise<void> {}
}

// 98% of the runtime: the final write (not a heartbeat flush) is what marks it watched.
const expiredSession = (id: string, now: number) =>
  sessionRecord(id, now - 60_000, { deviceId: 'vanished-tv', positionSeconds: 3_528, durationSeconds: 3_600, expiresAt: now - 1 });

describe.each(['redis', 'memory'] as const)('%s session store: Postgres fails during the expiry sweep', (kind) => {
  it('keeps the session pending and writes its final position once Postgres is back', async () => {
    const sessions: SessionStore = kind === 'redis' ? new RedisSessionStore(TEST_REDIS_URL, `test:${runId}:${kind}:playback:`) : new MemorySessionStore();
    if (sessions instanceof RedisSessionStore) await sessions.connected();
    const bus = new RecordingBus();
    const writer = new ProgressWriter(sessions, new ProgressRepository(store.prisma), bus, 50);
    const id = `${kind}-vanished`;
    try {
      const now = Date.now();
      expect(await sessions.start(expiredSession(id, now), 1, now - 2)).toMatchObject({ kind: 'started' });

      // The sweep takes the session from the store; Postgres dies before its final write.
      const take = sessions.takeExpired.bind(sessions);
      let cut = false;
      sessions.takeExpired = async (...args: Parameters<SessionStore['takeExpired']>) => {
        const taken = await take(...args);
        if (taken.pending.length > 0 && !cut) {
          cut = true;
          await cutPostgres();
        }
        return taken;
      };
      try {
        await writer.flush();
      } finally {
        await restorePostgres();
      }
      expect(cut).toBe(true);
      expect((await sessions.get(id, `acc-${id}`))?.state).toBe('ENDED');
      expect(bus.published).toEqual([]);

      // Postgres is back: a later flush writes what the failed one could not.
      const row = () => store.prisma.viewingProgress.findFirst({ where: { profileId: `profile-${id}` } });
      const { value } = await eventually(async () => {
        await writer.flush();
        return row();
      }, (r) => r !== null, 10_000);
      expect(value).toMatchObject({ titleId: `title-${id}`, positionSeconds: 3_528, completed: true });
      expect(bus.published.map((e) => [e.id, e.type])).toEqual([[`${id}:end`, 'PlaybackCompleted']]);

      // Written once: later sweeps leave it alone.
      await writer.flush();
      expect(bus.published).toHaveLength(1);
    } finally {
      await sessions.close();
    }
  });
});
