import { request } from 'undici';
import { verifyPlaybackToken } from '../subgraphs/playback-session/src/manifest';
import type { PlaybackPrisma } from '../subgraphs/playback-session/src/prisma';
import { deleteKeysWithPrefix, SUBGRAPH_NAMES, type SubgraphName } from '@streaming/platform';
import { TEST_REDIS_URL, testDatabaseUrl } from '@streaming/testing';
import Redis from 'ioredis';
import pg from 'pg';
import { startTestGateway } from './support/gateway';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';
import { dataset, expectedContinueWatching, titleById } from './support/expectations';
import { accountsOnPlan, familyMovies, familySeries, eventually } from './support/playback';

/**
 * Playback through the gateway, on real Redis (sessions, limits) and Postgres (progress):
 * stream limits per plan and under races, device replacement, expiry, heartbeats, completion,
 * manifests, and bad input for every argument.
 */
let sg: TestSupergraph;
// Sessions expire on Redis' clock, at the moment each script runs: a request that waits long
// on a loaded machine (its profile and title lookups come first) no longer carries the earlier
// time it began with, so 2 s left sessions expiring between the steps of one test.
const TIMEOUT_SECONDS = 5;
beforeAll(async () => {
  sg = await startTestSupergraph({ env: { PLAYBACK_SESSION_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) } });
});
afterAll(async () => {
  await sg?.stop();
});

type Session = { id: string; state: string; positionSeconds: number; deviceId: string; manifest: any; lastHeartbeatAt?: string };
let movieCursor = 0;
const nextMovie = () => familyMovies[movieCursor++ % familyMovies.length];

async function start(profileId: string, deviceId: string, extra: Record<string, unknown> = {}) {
  return sg.run<{ startPlayback: Session }>('StartPlayback', { input: { profileId, titleId: nextMovie().id, deviceId, ...extra } });
}
async function startOk(profileId: string, deviceId: string, extra: Record<string, unknown> = {}): Promise<Session> {
  const res = await start(profileId, deviceId, extra);
  expect(res.errors).toBeUndefined();
  return res.data!.startPlayback;
}
const stop = (sessionId: string, positionSeconds?: number) => sg.run<{ stopPlayback: Session }>('StopPlayback', { sessionId, positionSeconds });
const heartbeat = (sessionId: string, positionSeconds: number, bitrateKbps?: number) =>
  sg.run<{ heartbeat: Session }>('Heartbeat', { input: { sessionId, positionSeconds, bitrateKbps } });
const code = (res: { errors?: { extensions?: Record<string, any> }[] }) => res.errors?.[0]?.extensions?.code;

describe('stream limits', () => {
  it.each([['BASIC', 1], ['STANDARD', 2], ['PREMIUM', 4]] as const)('lets a %s account play %i streams at once, lists them when full, frees a slot on stop', async (tier, limit) => {
    const account = accountsOnPlan(tier)[0];
    const profile = account.profiles[0];
    const started: Session[] = [];
    for (let i = 0; i < limit; i += 1) started.push(await startOk(account.profiles[i % account.profiles.length], `${tier}-tv-${i}`));

    const over = await start(profile, `${tier}-phone`);
    expect(code(over)).toBe('CONCURRENT_STREAM_LIMIT');
    expect(over.errors![0].message).toContain(`${limit} of ${limit} streams`);
    const listed = over.errors![0].extensions!.activeSessions as { id: string; deviceId: string; titleId: string }[];
    expect(listed.map((s) => s.id).sort()).toEqual(started.map((s) => s.id).sort());
    expect(listed.map((s) => s.deviceId).sort()).toEqual(started.map((s) => s.deviceId).sort());
    for (const s of listed) expect(titleById.has(s.titleId)).toBe(true);

    expect((await stop(started[0].id)).data!.stopPlayback.state).toBe('ENDED');
    const after = await startOk(profile, `${tier}-phone`);
    expect(after.state).toBe('PLAYING');
    for (const s of [...started.slice(1), after]) await stop(s.id);
  });

  it('admits exactly 2 of 8 parallel starts on a 2-stream plan', async () => {
    const account = accountsOnPlan('STANDARD')[1];
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => start(account.profiles[0], `race-device-${i}`)));
    const admitted = results.filter((r) => !r.errors);
    expect(admitted).toHaveLength(2);
    expect(results.filter((r) => code(r) === 'CONCURRENT_STREAM_LIMIT')).toHaveLength(6);
    const active = await sg.run('ActiveSessions', { profileId: account.profiles[0] });
    expect(active.data!.profile.activeSessions.map((s: { id: string }) => s.id).sort())
      .toEqual(admitted.map((r) => r.data!.startPlayback.id).sort());
  });

  it('replaces the session of a device that starts again instead of counting it twice', async () => {
    const account = accountsOnPlan('BASIC')[1];
    const first = await startOk(account.profiles[0], 'living-room');
    const second = await startOk(account.profiles[0], 'living-room');
    expect(second.id).not.toBe(first.id);
    const old = await sg.query('query($id: ID!) { playbackSession(id: $id) { state } }', { id: first.id });
    expect(old.data!.playbackSession.state).toBe('ENDED');
    const active = await sg.run('ActiveSessions', { profileId: account.profiles[0] });
    expect(active.data!.profile.activeSessions).toEqual([{ id: second.id, deviceId: 'living-room', state: 'PLAYING', title: { id: expect.any(String) } }]);
    expect(code(await heartbeat(first.id, 10))).toBe('SESSION_ENDED');
    await stop(second.id);
  });

  it('a plan downgrade reaches streams already playing: the earliest keeps renewing, the later one is refused', async () => {
    const account = accountsOnPlan('STANDARD')[5];
    const first = await startOk(account.profiles[0], 'downgrade-tv');
    const second = await startOk(account.profiles[0], 'downgrade-phone');
    expect(code(await heartbeat(second.id, 5))).toBeUndefined();
    // Billing moves the account to BASIC (one stream) and the profile subgraph's cached copy goes.
    const db = new pg.Client({ connectionString: testDatabaseUrl(sg.runId, 'profile') });
    await db.connect();
    try {
      expect((await db.query(`UPDATE accounts SET plan_tier = 'BASIC' WHERE id = $1`, [account.id])).rowCount).toBe(1);
      const redis = new Redis(TEST_REDIS_URL);
      await deleteKeysWithPrefix(redis, `test:${sg.runId}:cache:profile:`);
      redis.disconnect();

      const later = await heartbeat(second.id, 10);
      expect(code(later)).toBe('CONCURRENT_STREAM_LIMIT');
      expect(later.errors![0].message).toMatch(/plan now allows 1 stream at once/);
      const earliest = await sg.run<{ heartbeat: Session }>('RenewLicense', { input: { sessionId: first.id, positionSeconds: 10 } });
      expect(earliest.errors).toBeUndefined();
      // Its renewed license carries the plan's limit now.
      expect(verifyPlaybackToken(earliest.data!.heartbeat.manifest.token, 'development-only-manifest-secret'))
        .toMatchObject({ valid: true, claims: { sessionId: first.id, streamLimit: 1 } });
      // And no new stream starts beside it.
      expect(code(await start(account.profiles[0], 'downgrade-laptop'))).toBe('CONCURRENT_STREAM_LIMIT');
    } finally {
      await db.query(`UPDATE accounts SET plan_tier = 'STANDARD' WHERE id = $1`, [account.id]);
      await db.end();
    }
    await stop(first.id);
    await stop(second.id);
  });

  it('frees the slot of a device that vanished once the timeout passes', async () => {
    const account = accountsOnPlan('BASIC')[2];
    const gone = await startOk(account.profiles[0], 'vanishing-tablet');
    expect(code(await start(account.profiles[0], 'laptop'))).toBe('CONCURRENT_STREAM_LIMIT');
    await new Promise((r) => setTimeout(r, TIMEOUT_SECONDS * 1000 + 300));
    const next = await startOk(account.profiles[0], 'laptop');
    expect(code(await heartbeat(gone.id, 30))).toBe('SESSION_EXPIRED');
    await stop(next.id);
  });
});

describe('heartbeats and progress', () => {
  const progressOf = async (profileId: string, titleId: string) =>
    (await sg.query('query($t: ID!, $p: ID!) { title(id: $t) { progress(profileId: $p) { positionSeconds durationSeconds completed } } }', { t: titleId, p: profileId })).data!.title.progress;

  it('records positions; a retried heartbeat changes nothing; the position becomes durable', async () => {
    const profile = accountsOnPlan('PREMIUM')[1].profiles[0];
    const session = await startOk(profile, 'hb-device');
    const title = (await sg.query('query($id: ID!) { playbackSession(id: $id) { title { id } } }', { id: session.id })).data!.playbackSession.title.id;
    const first = await heartbeat(session.id, 120);
    expect(first.errors).toBeUndefined();
    expect(first.data!.heartbeat).toMatchObject({ id: session.id, state: 'PLAYING', positionSeconds: 120 });
    await new Promise((r) => setTimeout(r, 20));
    const retried = await heartbeat(session.id, 120);
    expect(retried.data!.heartbeat).toEqual(first.data!.heartbeat);

    const { value } = await eventually(() => progressOf(profile, title), (p) => p?.positionSeconds === 120, 3_000);
    expect(value).toEqual({ positionSeconds: 120, durationSeconds: titleById.get(title)!.runtimeSeconds, completed: false });
    await stop(session.id, 130);
    expect(await progressOf(profile, title)).toMatchObject({ positionSeconds: 130, completed: false });
  });

  it('counts 95% of the runtime as watched, and 94% as not', async () => {
    const profile = accountsOnPlan('PREMIUM')[2].profiles[0];
    const [almost, done] = [nextMovie(), nextMovie()];
    for (const [movie, share, completed] of [[almost, 0.94, false], [done, 0.95, true]] as const) {
      const res = await sg.run('StartPlayback', { input: { profileId: profile, titleId: movie.id, deviceId: 'tv' } });
      const position = Math.ceil(movie.runtimeSeconds * share);
      await stop(res.data!.startPlayback.id, position);
      expect(await progressOf(profile, movie.id)).toEqual({ positionSeconds: position, durationSeconds: movie.runtimeSeconds, completed });
    }
    const cw = await sg.run('ActiveSessions', { profileId: profile });
    const ids = cw.data!.profile.continueWatching.map((p: { title: { id: string } }) => p.title.id);
    expect(ids[0]).toBe(almost.id);
    expect(ids).not.toContain(done.id);
  });

  it('moves a series on to the next episode when one is finished', async () => {
    const profile = accountsOnPlan('PREMIUM')[3].profiles[0];
    const [first, second] = familySeries.seasons[0].episodes;
    const started = await sg.run('StartPlayback', { input: { profileId: profile, titleId: familySeries.id, episodeId: first.id, deviceId: 'tv' } });
    expect(started.data!.startPlayback.episode).toEqual({ id: first.id, number: 1 });
    await stop(started.data!.startPlayback.id, first.runtimeSeconds);

    const cw = await sg.run('ActiveSessions', { profileId: profile });
    expect(cw.data!.profile.continueWatching[0]).toMatchObject({
      title: { id: familySeries.id }, episode: { id: second.id }, positionSeconds: 0, durationSeconds: second.runtimeSeconds, completed: false,
    });
    expect(await progressOf(profile, familySeries.id)).toEqual({ positionSeconds: 0, durationSeconds: second.runtimeSeconds, completed: false });
    // Starting the series without an episode resumes at the next one.
    const resumed = await sg.run('StartPlayback', { input: { profileId: profile, titleId: familySeries.id, deviceId: 'tv' } });
    expect(resumed.data!.startPlayback.episode).toEqual({ id: second.id, number: 2 });
    await stop(resumed.data!.startPlayback.id);
  });
});

describe('devices that share or vanish', () => {
  const progressOf = async (profileId: string, titleId: string) =>
    (await sg.query('query($t: ID!, $p: ID!) { title(id: $t) { progress(profileId: $p) { positionSeconds completed } } }', { t: titleId, p: profileId })).data!.title.progress;

  it('keeps the newest position when two devices of a profile play the same title', async () => {
    const profile = accountsOnPlan('PREMIUM')[6].profiles[0];
    const movie = familyMovies[3];
    const input = (deviceId: string) => ({ input: { profileId: profile, titleId: movie.id, deviceId } });
    const tv = (await sg.run('StartPlayback', input('tv'))).data!.startPlayback.id;
    const phone = (await sg.run('StartPlayback', input('phone'))).data!.startPlayback.id;
    await heartbeat(tv, 300);
    await new Promise((r) => setTimeout(r, 5));
    await heartbeat(phone, 400);
    await eventually(() => progressOf(profile, movie.id), (p) => p?.positionSeconds === 400, 3_000);
    await stop(tv);
    await stop(phone);
  });

  it('finalises a session whose device vanished: the last position counts, 95% completes it', async () => {
    const profile = accountsOnPlan('BASIC')[4].profiles[0];
    const movie = familyMovies[4];
    const session = (await sg.run('StartPlayback', { input: { profileId: profile, titleId: movie.id, deviceId: 'dies-in-credits' } })).data!.startPlayback.id;
    await heartbeat(session, movie.runtimeSeconds - 10);
    await eventually(() => progressOf(profile, movie.id), (p) => p?.completed === true, TIMEOUT_SECONDS * 1000 + 3_000);
    const cw = await sg.run('ActiveSessions', { profileId: profile });
    expect(cw.data!.profile.activeSessions).toEqual([]);
    expect(cw.data!.profile.continueWatching.map((p: { title: { id: string } }) => p.title.id)).not.toContain(movie.id);
    expect(code(await heartbeat(session, movie.runtimeSeconds))).toBe('SESSION_EXPIRED');
  });
});

describe('continue watching for several profiles in one request', () => {
  it("limits history per profile, so one binge-watcher doesn't empty the others' rows", async () => {
    const account = dataset.accounts.find((a) => dataset.profiles.filter((p) => p.accountId === a.id).length >= 3 && !a.id.startsWith('demo'))!;
    const [binger, other] = dataset.profiles.filter((p) => p.accountId === account.id);
    const prisma = sg.subgraphs['playback-session'].store.prisma as PlaybackPrisma;
    const now = Date.now();
    await prisma.viewingProgress.createMany({
      // More rows than the old batch-wide limit (200 x profiles) allowed for the whole batch.
      data: Array.from({ length: 1_100 }, (_, i) => ({
        profileId: binger.id, contentId: `binge-${i}`, titleId: familyMovies[i % familyMovies.length].id, episodeId: null,
        positionSeconds: 1, durationSeconds: 100, completed: true, updatedAt: new Date(now - i),
      })),
      skipDuplicates: true,
    });
    const res = await sg.query('query($id: ID!) { account(id: $id) { profiles { id continueWatching(first: 100) { title { id } } } } }', { id: account.id });
    expect(res.errors).toBeUndefined();
    const rows = res.data!.account.profiles as { id: string; continueWatching: { title: { id: string } }[] }[];
    const otherRow = rows.find((p) => p.id === other.id)!;
    expect(otherRow.continueWatching.map((p) => p.title.id)).toEqual(expectedContinueWatching(other.id));
    expect(otherRow.continueWatching.length).toBeGreaterThan(0);
  });
});

describe('manifests', () => {
  const qualities = (session: Session) => new Set(session.manifest.renditions.map((r: { quality: string }) => r.quality));

  it('caps the bitrate ladder by the plan and licenses the URL for minutes', async () => {
    const basic = await startOk(accountsOnPlan('BASIC')[3].profiles[0], 'm1', { bandwidthKbps: 50_000 });
    const standard = await startOk(accountsOnPlan('STANDARD')[3].profiles[0], 'm2', { bandwidthKbps: 5_000 });
    const premium = await startOk(accountsOnPlan('PREMIUM')[4].profiles[0], 'm3');
    expect([...qualities(basic)]).toEqual(['SD']);
    expect([...qualities(standard)].sort()).toEqual(['HD', 'SD']);
    expect([...qualities(premium)].sort()).toEqual(['HD', 'SD', 'UHD']);
    const top = (s: Session) => Math.max(...s.manifest.renditions.map((r: { height: number }) => r.height));
    expect([top(basic), top(standard), top(premium)]).toEqual([480, 1080, 2160]);
    // Start bitrate: the best rung within 70% of the bandwidth, capped by the plan; none reported: conservative.
    expect(basic.manifest.startBitrateKbps).toBe(Math.max(...basic.manifest.renditions.map((r: { bitrateKbps: number }) => r.bitrateKbps)));
    expect(standard.manifest.startBitrateKbps).toBe(3000);
    expect(premium.manifest.startBitrateKbps).toBeLessThanOrEqual(1750);

    // The URL carries a license token for this session, account and edge, for minutes.
    const secret = 'development-only-manifest-secret';
    const token = new URL(premium.manifest.url).searchParams.get('token');
    const verified = verifyPlaybackToken(token, secret);
    expect(verified).toMatchObject({ valid: true, claims: { sessionId: premium.id, accountId: accountsOnPlan('PREMIUM')[4].id, streamLimit: 4, edge: premium.manifest.cdnEdge } });
    expect(new URL(premium.manifest.url).host).toBe(premium.manifest.cdnEdge);
    const lifetime = Date.parse(premium.manifest.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(250_000);
    expect(lifetime).toBeLessThanOrEqual(300_000);
    expect(verifyPlaybackToken(token, 'another-secret')).toEqual({ valid: false, reason: 'bad-signature' });
    const afterExpiry = new Date(Date.parse(premium.manifest.expiresAt) + 1000);
    expect(verifyPlaybackToken(token, secret, afterExpiry)).toEqual({ valid: false, reason: 'expired' });
    for (const s of [basic, standard, premium]) await stop(s.id);
  });

  it("picks the CDN edge from the account's country", async () => {
    const gb = dataset.accounts.find((a) => a.country === 'GB' && a.planTier === 'PREMIUM' && !a.id.startsWith('demo'))!;
    const profile = dataset.profiles.find((p) => p.accountId === gb.id)!;
    const session = await startOk(profile.id, 'edge-test');
    expect(session.manifest.cdnEdge).toMatch(/\.oca\.streaming\.example$/);
    const us = await startOk(accountsOnPlan('PREMIUM').find((a) => dataset.accounts.find((x) => x.id === a.id)!.country === 'US')!.profiles[0], 'edge-test');
    expect(session.manifest.cdnEdge).not.toBe(us.manifest.cdnEdge);
    await stop(session.id);
    await stop(us.id);
  });
});

describe('bad input', () => {
  const profile = () => accountsOnPlan('PREMIUM')[5].profiles[0];
  const movie = familyMovies[0];
  const adult = dataset.titles.find((t) => t.maturityRating === 'EIGHTEEN_PLUS' && t.kind === 'MOVIE')!;
  const otherSeries = dataset.titles.filter((t) => t.kind === 'SERIES' && t.id !== familySeries.id && t.maturityRating === 'ALL')[0];

  it('rejects each bad startPlayback argument with a code and a message', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ profileId: 'nobody', titleId: movie.id, deviceId: 'd' }, 'NOT_FOUND', /profile nobody does not exist/],
      [{ profileId: profile(), titleId: 'no-title', deviceId: 'd' }, 'NOT_FOUND', /title no-title does not exist/],
      [{ profileId: profile(), titleId: familySeries.id, episodeId: 'no-episode', deviceId: 'd' }, 'NOT_FOUND', /episode no-episode does not exist/],
      [{ profileId: profile(), titleId: familySeries.id, episodeId: otherSeries.seasons[0].episodes[0].id, deviceId: 'd' }, 'BAD_USER_INPUT', /belongs to title/],
      [{ profileId: profile(), titleId: movie.id, episodeId: familySeries.seasons[0].episodes[0].id, deviceId: 'd' }, 'BAD_USER_INPUT', /is a movie/],
      [{ profileId: profile(), titleId: movie.id, deviceId: '  ' }, 'BAD_USER_INPUT', /deviceId must not be empty/],
      [{ profileId: profile(), titleId: movie.id, deviceId: 'd', bandwidthKbps: -1 }, 'BAD_USER_INPUT', /bandwidthKbps must be between/],
      [{ profileId: 'demo-premium-kids', titleId: adult.id, deviceId: 'd' }, 'FORBIDDEN', /rated EIGHTEEN_PLUS/],
    ];
    for (const [input, expected, message] of cases) {
      const res = await sg.run('StartPlayback', { input });
      expect({ input, code: code(res) }).toEqual({ input, code: expected });
      expect(res.errors![0].message).toMatch(message);
    }
  });

  it('rejects each bad heartbeat and stopPlayback argument', async () => {
    const session = await startOk(profile(), 'bad-input');
    const runtime = titleById.get((await sg.query('query($id: ID!) { playbackSession(id: $id) { title { id } } }', { id: session.id })).data!.playbackSession.title.id)!.runtimeSeconds;
    const cases: [Promise<any>, string, RegExp][] = [
      [heartbeat('no-session', 1), 'NOT_FOUND', /playback session no-session does not exist/],
      [heartbeat(session.id, -5), 'BAD_USER_INPUT', /positionSeconds must be 0 or more/],
      [heartbeat(session.id, runtime + 1), 'BAD_USER_INPUT', /past the end/],
      [heartbeat(session.id, 10, -1), 'BAD_USER_INPUT', /bitrateKbps must be between/],
      [stop('no-session'), 'NOT_FOUND', /does not exist/],
      [stop(session.id, -1), 'BAD_USER_INPUT', /positionSeconds must be 0 or more/],
      [stop(session.id, runtime + 60), 'BAD_USER_INPUT', /past the end/],
    ];
    for (const [pending, expected, message] of cases) {
      const res = await pending;
      expect(code(res)).toBe(expected);
      expect(res.errors[0].message).toMatch(message);
    }
    const stopped = await stop(session.id, 42);
    expect(stopped.data!.stopPlayback).toEqual({ id: session.id, state: 'ENDED', positionSeconds: 42 });
    expect(code(await heartbeat(session.id, 50))).toBe('SESSION_ENDED');
    // Stopping again (a retry) returns the ended session unchanged.
    expect((await stop(session.id, 60)).data!.stopPlayback).toEqual({ id: session.id, state: 'ENDED', positionSeconds: 42 });
  });
});

describe('catalog down', () => {
  it('ActiveSessions still returns the profile and its sessions; only continueWatching is null, with the catalog error', async () => {
    const urls = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, sg.subgraphs[n].url])) as Record<SubgraphName, string>;
    const gw = await startTestGateway(sg, { subgraphUrls: urls, resilience: { faultInjection: true } });
    try {
      const profileId = 'demo-standard-3';
      const started = await sg.run('StartPlayback', { input: { profileId, titleId: familyMovies[6].id, deviceId: 'catalog-outage-tv' } });
      expect(started.errors).toBeUndefined();
      const session = started.data!.startPlayback;
      const healthy = await gw.run('ActiveSessions', { profileId });
      expect(healthy.errors).toBeUndefined();
      expect(healthy.data!.profile.continueWatching.length).toBeGreaterThan(0);

      const degraded = await gw.run('ActiveSessions', { profileId }, { 'x-fault': 'catalog=error' });
      expect(degraded.data!.profile).toEqual({
        id: profileId,
        activeSessions: [{ id: session.id, deviceId: 'catalog-outage-tv', state: 'PLAYING', title: { id: familyMovies[6].id } }],
        continueWatching: null,
      });
      expect(degraded.errors!.map((e) => [e.extensions?.code, e.extensions?.serviceName])).toContainEqual(['SUBGRAPH_UNAVAILABLE', 'catalog']);
      expect(degraded.errors!.every((e) => e.path?.[1] === 'continueWatching' || e.path === undefined)).toBe(true);
      await stop(session.id);
    } finally {
      await gw.stop();
    }
  });
});

/**
 * The plan's stream limit where the video is served: every manifest carries a short-lived
 * license token bound to its session, and the edge asks playback-session's own HTTP endpoint,
 * POST /playback/authorize, whether to serve a request for it. Only a live session's token is
 * allowed, so stopping, replacing or losing a session ends what its manifests can fetch.
 */
describe('playback licenses, checked where the video is served', () => {
  type Decision = { allow: boolean; reason?: string; sessionId?: string; expiresAt?: string };
  type Manifest = { url: string; expiresAt: string };
  const tokenOf = (manifest: Manifest) => new URL(manifest.url).searchParams.get('token')!;

  /** What an edge sends for a request of the manifest itself: the token, its host and path. */
  async function authorize(body: unknown): Promise<{ status: number; body: Decision }> {
    const response = await request(`${sg.subgraphs['playback-session'].url}playback/authorize`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.statusCode, body: (await response.body.json()) as Decision };
  }
  const authorizeManifest = (manifest: Manifest) => {
    const url = new URL(manifest.url);
    return authorize({ token: tokenOf(manifest), host: url.hostname, path: url.pathname });
  };

  it('a BASIC account that starts and stops 10 times, keeping every manifest, has one token authorized, then none', async () => {
    const profile = accountsOnPlan('BASIC')[6].profiles[0];
    const manifests: Manifest[] = [];
    // Nine full cycles, then a tenth start that stays live: the account ends with one stream.
    for (let cycle = 1; cycle <= 10; cycle += 1) {
      const session = await startOk(profile, 'tv');
      manifests.push(session.manifest);
      if (cycle < 10) await stop(session.id);
    }
    const decisions = await Promise.all(manifests.map(authorizeManifest));
    expect(decisions.map((d) => d.body.allow)).toEqual([...Array(9).fill(false), true]);
    expect(decisions.slice(0, 9).map((d) => [d.status, d.body.reason])).toEqual(Array(9).fill([403, 'stopped']));
    expect(decisions[9]).toMatchObject({ status: 200, body: { allow: true, expiresAt: manifests[9].expiresAt } });

    const last = decisions[9].body.sessionId!;
    expect((await stop(last)).data!.stopPlayback.state).toBe('ENDED');
    const after = await Promise.all(manifests.map(authorizeManifest));
    expect(after.map((d) => d.body.allow)).toEqual(Array(10).fill(false));
  });

  it("denies a replaced device's old token", async () => {
    const profile = accountsOnPlan('BASIC')[7].profiles[0];
    const first = await startOk(profile, 'living-room');
    const second = await startOk(profile, 'living-room');
    expect(await authorizeManifest(first.manifest)).toEqual({ status: 403, body: { allow: false, reason: 'replaced' } });
    expect((await authorizeManifest(second.manifest)).body.allow).toBe(true);
    await stop(second.id);
  });

  it("denies an expired session's token once the session timeout passes, long before the token itself expires", async () => {
    const profile = accountsOnPlan('BASIC')[8].profiles[0];
    const session = await startOk(profile, 'vanishing-phone');
    expect((await authorizeManifest(session.manifest)).body.allow).toBe(true);
    await new Promise((r) => setTimeout(r, TIMEOUT_SECONDS * 1000 + 200));
    expect(await authorizeManifest(session.manifest)).toEqual({ status: 403, body: { allow: false, reason: 'expired' } });
    expect(Date.parse(session.manifest.expiresAt) - Date.now()).toBeGreaterThan(60_000);
  });

  it('renews the token with every heartbeat (RenewLicense), and the renewed one is authorized', async () => {
    const profile = accountsOnPlan('BASIC')[9].profiles[0];
    const session = await startOk(profile, 'tablet');
    await new Promise((r) => setTimeout(r, 1_100));
    const renewed = await sg.run<{ heartbeat: Session }>('RenewLicense', { input: { sessionId: session.id, positionSeconds: 60 } });
    expect(renewed.errors).toBeUndefined();
    const manifest = renewed.data!.heartbeat.manifest;
    expect(manifest.token).toBe(tokenOf(manifest));
    expect(manifest.token).not.toBe(tokenOf(session.manifest));
    expect(Date.parse(manifest.expiresAt)).toBeGreaterThan(Date.parse(session.manifest.expiresAt));
    expect(new URL(manifest.url).pathname).toBe(new URL(session.manifest.url).pathname);
    expect(await authorizeManifest(manifest)).toMatchObject({ status: 200, body: { allow: true, sessionId: session.id } });
    await stop(session.id);
    expect((await authorizeManifest(manifest)).body).toEqual({ allow: false, reason: 'stopped' });
  });

  it('denies forged, tampered and malformed tokens, and tokens for another edge or title', async () => {
    const profile = accountsOnPlan('BASIC')[10].profiles[0];
    const session = await startOk(profile, 'tv');
    const token = tokenOf(session.manifest);
    const url = new URL(session.manifest.url);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forgedClaims = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86_400 })).toString('base64url');
    const cases: [unknown, string][] = [
      [{ token: `${header}.${forgedClaims}.${signature}`, host: url.hostname, path: url.pathname }, 'bad-signature'],
      [{ token: `${header}.${payload}.${Buffer.alloc(32, 7).toString('base64url')}`, host: url.hostname, path: url.pathname }, 'bad-signature'],
      [{ token: `${header}.${payload}`, host: url.hostname, path: url.pathname }, 'malformed'],
      [{ token: 'not-a-token', host: url.hostname, path: url.pathname }, 'malformed'],
      [{ token, host: 'other.oca.streaming.example', path: url.pathname }, 'wrong-edge'],
      [{ token, host: url.hostname, path: '/titles/another-title/feature/manifest.mpd' }, 'wrong-path'],
      [{ token, host: url.hostname, path: `${url.pathname.replace(/manifest\.mpd$/, '')}../../another-title/feature/seg-1.m4s` }, 'wrong-path'],
    ];
    for (const [body, reason] of cases) expect({ body, answer: await authorize(body) }).toEqual({ body, answer: { status: 403, body: { allow: false, reason } } });
    // A segment of the same title on the same edge is covered by the manifest's token.
    const segment = url.pathname.replace(/manifest\.mpd$/, 'video/1050/seg-00042.m4s');
    expect((await authorize({ token, host: url.hostname, path: segment })).body.allow).toBe(true);
    await stop(session.id);
  });

  it('answers 400 to a request without a token', async () => {
    for (const body of [{}, { token: 42 }, 'not json']) expect(await authorize(body)).toEqual({ status: 400, body: { allow: false, reason: 'bad-request' } });
  });
});
