import { request } from 'undici';
import type { PlaybackPrisma } from '../subgraphs/playback-session/src/prisma';
import { familyMovies } from './support/playback';
import { supergraphBehindRedisProxy } from './support/redisOutage';
import type { TestSupergraph } from './support/supergraph';

/**
 * Playback's policy when Redis (its session store) is down: fail closed, at once, with a hint.
 * Start, heartbeat and stop answer SERVICE_UNAVAILABLE with `retryAfterSeconds`, change nothing,
 * and work again as soon as Redis is back; the same calls sent again lose no progress. The rest
 * of the screen (progress from Postgres) keeps rendering. The outage is real: the subgraphs reach
 * the shared Redis through a TCP proxy this test shuts and reopens (the shared Redis itself is
 * never stopped).
 */
const { redis: proxy, supergraph } = supergraphBehindRedisProxy();
let sg: TestSupergraph;
beforeAll(() => {
  sg = supergraph();
});

type Session = { id: string; state: string; positionSeconds: number; manifest?: { url: string } };
type Answer = { data?: Record<string, Session | null> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
const PROFILE = 'demo-standard-2';
const movie = familyMovies[3];
const start = (deviceId: string, profileId = PROFILE) => sg.run<{ startPlayback: Session }>('StartPlayback', { input: { profileId, titleId: movie.id, deviceId } });
/** On the BASIC plan: one stream at a time, so a stream the refused start had admitted would refuse the next. */
const ONE_STREAM_PROFILE = 'demo-basic-1';
const heartbeat = (sessionId: string, positionSeconds: number) => sg.run<{ heartbeat: Session }>('Heartbeat', { input: { sessionId, positionSeconds } });
const stop = (sessionId: string, positionSeconds: number) => sg.run<{ stopPlayback: Session }>('StopPlayback', { sessionId, positionSeconds });

function expectUnavailable(answer: Answer) {
  expect(answer.errors).toHaveLength(1);
  expect(answer.errors![0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 2 });
  expect(answer.errors![0].message).toMatch(/playback sessions are unavailable.*send the same request again in 2 s/);
  // Nothing about where Redis is.
  expect(answer.errors![0].message).not.toMatch(/127\.0\.0\.1|ECONN|6379|redis/i);
}

async function savedPosition(): Promise<number | undefined> {
  const prisma = sg.subgraphs['playback-session'].store.prisma as PlaybackPrisma;
  const row = await prisma.viewingProgress.findFirst({ where: { profileId: PROFILE, titleId: movie.id } });
  return row?.positionSeconds;
}

it('fails start, heartbeat and stop closed with SERVICE_UNAVAILABLE while Redis is down, and loses no progress', async () => {
  const started = await start('tv');
  expect(started.errors).toBeUndefined();
  const session = started.data!.startPlayback;
  expect((await heartbeat(session.id, 120)).errors).toBeUndefined();

  await proxy.stop();
  try {
    expectUnavailable(await start('phone', ONE_STREAM_PROFILE));
    expectUnavailable(await heartbeat(session.id, 240));
    expectUnavailable(await stop(session.id, 300));
    // The edge's authorization check fails closed too: not served, and told when to ask again.
    const denied = await request(`${sg.subgraphs['playback-session'].url}playback/authorize`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: new URL(session.manifest!.url).searchParams.get('token') }),
    });
    expect([denied.statusCode, denied.headers['retry-after'], await denied.body.json()]).toEqual([503, '2', { allow: false, reason: 'unavailable' }]);
    // The home screen doesn't need Redis: it renders, progress included (from Postgres).
    const home = await sg.run('HomeScreen', { profileId: PROFILE, rows: 3, itemsPerRow: 5 });
    expect(home.errors).toBeUndefined();
    expect(home.data!.profile.homeRows.length).toBeGreaterThan(0);
  } finally {
    await proxy.start();
  }

  // The player sends the same calls again once Redis answers (ioredis reconnects within ~2 s).
  let again = await heartbeat(session.id, 240);
  for (let i = 0; i < 50 && again.errors?.[0]?.extensions?.code === 'SERVICE_UNAVAILABLE'; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    again = await heartbeat(session.id, 240);
  }
  expect(again.errors).toBeUndefined();
  expect(again.data!.heartbeat).toMatchObject({ id: session.id, state: 'PLAYING', positionSeconds: 240 });
  const stopped = await stop(session.id, 300);
  expect(stopped.errors).toBeUndefined();
  expect(stopped.data!.stopPlayback).toMatchObject({ state: 'ENDED', positionSeconds: 300 });
  // The final position is in Postgres: written before the stop was acknowledged.
  expect(await savedPosition()).toBe(300);
  // The start refused during the outage admitted nothing: the one-stream account can play on
  // another device (a leftover session would make this CONCURRENT_STREAM_LIMIT).
  const after = await start('tablet', ONE_STREAM_PROFILE);
  expect(after.errors).toBeUndefined();
  await stop(after.data!.startPlayback.id, 10);
});
