import { MemorySessionStore } from './MemorySessionStore';
import { RETENTION_MS, type SessionRecord } from './SessionRecord';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const TIMEOUT_MS = 90_000;

function session(id: string, deviceId: string, now: number, accountId = 'acc-1'): SessionRecord {
  return {
    id, accountId, profileId: `${accountId}-p1`, country: 'US', titleId: 't1', episodeId: null, nextEpisodeId: null, nextEpisodeRuntime: null,
    deviceId, state: 'PLAYING', positionSeconds: 0, durationSeconds: 3_600,
    startedAt: new Date(now).toISOString(), lastHeartbeatAt: new Date(now).toISOString(), expiresAt: now + TIMEOUT_MS, streamLimit: 1,
    manifest: { url: 'https://edge.example/m', token: 'token', cdnEdge: 'edge.example', expiresAt: new Date(now).toISOString(), startBitrateKbps: 235, renditions: [] },
  };
}

// The embedded store lives as long as `npm start` does: what it remembers per device must not
// grow with every device that ever played.
describe('MemorySessionStore devices', () => {
  it('forgets the device of a stopped session', async () => {
    const store = new MemorySessionStore();
    for (let i = 0; i < 1_000; i += 1) {
      const now = T0 + i;
      await store.start(session(`s${i}`, `device-${i}`, now), 1, now);
      await store.stop(`s${i}`, 'acc-1', 10, now);
    }
    expect(store['devices'].size).toBe(0);
  });

  it('forgets the device of an expired session once the session itself is forgotten', async () => {
    const store = new MemorySessionStore();
    for (let i = 0; i < 1_000; i += 1) await store.start(session(`s${i}`, `device-${i}`, T0, `acc-${i}`), 1, T0);
    const expired = await store.takeExpired(T0 + TIMEOUT_MS, 2_000, 1_000);
    expect(expired.ended).toBe(1_000);
    await store.finishExpired(expired.pending);

    const later = T0 + TIMEOUT_MS + RETENTION_MS + 1;
    await store.start(session('fresh', 'device-fresh', later), 1, later);
    expect(store['devices'].size).toBe(1);
    expect(store['sessions'].size).toBe(1);
  });

  it('still replaces the session of a device that starts again', async () => {
    const store = new MemorySessionStore();
    await store.start(session('first', 'tv', T0), 1, T0);
    const again = await store.start(session('second', 'tv', T0 + 1), 1, T0 + 1);
    expect(again).toMatchObject({ kind: 'started', replaced: { id: 'first', state: 'ENDED', endReason: 'replaced' } });
    expect(store['devices'].size).toBe(1);
  });
});
