import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { request } from 'undici';
import { startRedisCluster, type RedisClusterHarness } from './support/redisCluster';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';
import { dataset } from './support/expectations';
import { accountsOnPlan, eventually, familyMovies } from './support/playback';

/**
 * Every Redis user on a real Redis Cluster (3 masters, 3 replicas, started here from
 * redis-server): REDIS_CLUSTER_NODES given to the subgraphs and the gateway as a deployment would,
 * and the contract, playback and identity flows sent through the real gateway over HTTP. The
 * cluster refuses what a single Redis forgives (a script that doesn't declare its keys, one
 * command over keys of several slots, a SCAN that only sees one master), so each of those would
 * fail here.
 */
let cluster: RedisClusterHarness;
let sg: TestSupergraph;

beforeAll(async () => {
  cluster = await startRedisCluster();
  sg = await startTestSupergraph({
    redisClusterNodes: cluster.nodes.join(','),
    gatewayRedis: true,
    lastGood: { subgraphs: ['recommendation'], maxAgeSeconds: 3_600, maxEntries: 1_000, maxEntriesPerViewer: 100 },
    env: { PASSWORD_MAX_FAILS: '3' },
  });
}, 300_000);

afterAll(async () => {
  await sg?.stop();
  await cluster?.stop();
}, 120_000);

const DEMO_PASSWORD = 'streaming-demo';
type Res = Awaited<ReturnType<TestSupergraph['run']>>;
const code = (res: Res) => res.errors?.[0]?.extensions?.code as string | undefined;
function ok(res: Res, what: string): Record<string, any> {
  if (res.errors || !res.data) throw new Error(`${what}: ${JSON.stringify(res).slice(0, 600)}`);
  return res.data;
}

/** Every key of this run, from every master (each holds only its own slots). */
async function keysOfRun(): Promise<Map<number, string[]>> {
  const byMaster = new Map<number, string[]>();
  for (const port of await cluster.masters()) {
    const redis = new Redis({ host: '127.0.0.1', port });
    try {
      const keys: string[] = [];
      for await (const batch of redis.scanStream({ match: `test:${sg.runId}:*`, count: 1000 }) as AsyncIterable<string[]>) keys.push(...batch);
      byMaster.set(port, keys);
    } finally {
      redis.disconnect();
    }
  }
  return byMaster;
}

describe('the contract on a Redis Cluster', () => {
  it('signs in, browses, keeps a list, plays and signs out: every committed operation', async () => {
    const covered = new Set<string>();
    const as = (token: string) => ({ token });
    const run = async (operation: string, variables: Record<string, unknown>, options: Parameters<TestSupergraph['run']>[2] = {}) => {
      covered.add(operation);
      return ok(await sg.run(operation, variables, options), operation);
    };
    const signedIn = (await run('SignIn', { email: 'demo-standard@example.com', password: DEMO_PASSWORD }, { as: null })).signIn;
    expect(signedIn.account).toMatchObject({ id: 'demo-standard', plan: { tier: 'STANDARD' } });
    const token = signedIn.accessToken as string;
    const profileId = dataset.profiles.find((p) => p.accountId === 'demo-standard' && !p.isKids)!.id;

    expect((await run('Viewer', {}, as(token))).viewer.account.id).toBe('demo-standard');
    expect((await run('ProfilePicker', { accountId: 'demo-standard' }, as(token))).account.profiles.map((p: { id: string }) => p.id)).toContain(profileId);
    const home = (await run('HomeScreen', { profileId, rows: 3, itemsPerRow: 5 }, as(token))).profile.homeRows;
    expect(home.length).toBeGreaterThan(0);
    // Read again: the titles come from the cache (MGET split by slot on a cluster), not the catalog's store.
    let again: Record<string, any> = {};
    const counts = await sg.countStatements(async () => (again = await run('HomeScreen', { profileId, rows: 3, itemsPerRow: 5 }, as(token))));
    expect(again.profile.homeRows).toEqual(home);
    expect(counts.catalog).toBe(0);
    // As JSON (no multipart Accept): the same rows in one answer, the deferred tile details included.
    const deferred = (await run('HomeScreenDeferred', { profileId, rows: 3, itemsPerRow: 5 }, as(token))).profile.homeRows;
    expect(deferred.map((r: { id: string }) => r.id)).toEqual(home.map((r: { id: string }) => r.id));
    const page = (await run('HomeScreenMoreRows', { profileId, rows: 2, itemsPerRow: 3 }, as(token))).profile.homeRows;
    const row = page.find((r: { itemsPageInfo: { hasNextPage: boolean } }) => r.itemsPageInfo.hasNextPage);
    const more = await run('RowMoreItems', { profileId, rowId: row.id, after: row.itemsPageInfo.endCursor, first: 2 }, as(token));
    expect(more.profile.homeRow.items.length).toBeGreaterThan(0);
    expect((await run('Search', { profileId, query: 'a', first: 3 }, as(token))).profile.search.length).toBeGreaterThan(0);

    const movie = familyMovies[3];
    expect((await run('AddToMyList', { profileId, titleId: movie.id }, as(token))).addToMyList.myList[0].id).toBe(movie.id);
    expect((await run('RemoveFromMyList', { profileId, titleId: movie.id }, as(token))).removeFromMyList.myList.map((t: { id: string }) => t.id)).not.toContain(movie.id);
    const created = (await run('CreateProfile', { input: { accountId: 'demo-standard', name: 'Cluster' } }, as(token))).createProfile;
    expect((await run('UpdateProfile', { id: created.id, input: { language: 'en-GB' } }, as(token))).updateProfile).toMatchObject({ id: created.id, language: 'en-GB' });
    expect(await run('DeleteProfile', { id: created.id }, as(token))).toEqual({ deleteProfile: true });

    const started = (await run('StartPlayback', { input: { profileId, titleId: movie.id, deviceId: 'cluster-tv' } }, as(token))).startPlayback;
    expect(started).toMatchObject({ state: 'PLAYING', deviceId: 'cluster-tv' });
    expect((await run('Heartbeat', { input: { sessionId: started.id, positionSeconds: 120 } }, as(token))).heartbeat).toMatchObject({ positionSeconds: 120 });
    expect((await run('RenewLicense', { input: { sessionId: started.id, positionSeconds: 130 } }, as(token))).heartbeat.manifest.token).toEqual(expect.any(String));
    expect((await run('ActiveSessions', { profileId }, as(token))).profile.activeSessions.map((s: { id: string }) => s.id)).toEqual([started.id]);
    expect((await run('StopPlayback', { sessionId: started.id, positionSeconds: 150 }, as(token))).stopPlayback).toMatchObject({ state: 'ENDED' });
    const details = await run('TitleDetails', { id: movie.id, profileId }, as(token));
    expect(details.title.progress).toMatchObject({ positionSeconds: 150 });
    // The public page of the same title: its name, and nothing per viewer, for anyone.
    expect((await run('PublicTitleDetails', { id: movie.id }, { as: null })).title).toMatchObject({ id: movie.id, name: details.title.name });
    expect((await run('ActiveSessions', { profileId }, as(token))).profile.activeSessions).toEqual([]);

    const refreshed = (await run('RefreshSession', { refreshToken: signedIn.refreshToken }, { as: null })).refreshSession;
    expect(await run('SignOut', {}, as(refreshed.accessToken))).toEqual({ signOut: true });

    expect([...covered].sort()).toEqual(Object.keys(sg.operations).sort());
  });
});

describe('playback on a Redis Cluster', () => {
  const start = (profileId: string, deviceId: string, titleId = familyMovies[0].id) =>
    sg.run<{ startPlayback: { id: string } }>('StartPlayback', { input: { profileId, titleId, deviceId } });

  it("admits exactly the plan's streams when starts race, and frees a slot on stop", async () => {
    const account = accountsOnPlan('STANDARD')[0];
    const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => start(account.profiles[i % account.profiles.length], `race-${i}`)));
    const admitted = racing.filter((r) => !r.errors);
    expect(admitted).toHaveLength(2);
    expect(racing.filter((r) => code(r) === 'CONCURRENT_STREAM_LIMIT')).toHaveLength(6);

    const refused = await start(account.profiles[0], 'one-more');
    expect(code(refused)).toBe('CONCURRENT_STREAM_LIMIT');
    expect(refused.errors![0].extensions!.activeSessions.map((s: { id: string }) => s.id).sort())
      .toEqual(admitted.map((r) => r.data!.startPlayback.id).sort());

    const stopped = await sg.run('StopPlayback', { sessionId: admitted[0].data!.startPlayback.id, positionSeconds: 30 });
    expect(stopped.errors).toBeUndefined();
    expect((await start(account.profiles[0], 'one-more')).errors).toBeUndefined();
  });

  it('replaces the session of a device that starts again, on the same slot', async () => {
    const account = accountsOnPlan('BASIC')[0];
    const first = await start(account.profiles[0], 'same-tv');
    const second = await start(account.profiles[0], 'same-tv', familyMovies[1].id);
    expect([first.errors, second.errors]).toEqual([undefined, undefined]);
    const again = await sg.run('Heartbeat', { input: { sessionId: first.data!.startPlayback.id, positionSeconds: 10 } });
    expect(code(again)).toBe('SESSION_ENDED');
  });

  it('writes heartbeated positions to Postgres through the dirty sets of every shard', async () => {
    const accounts = accountsOnPlan('PREMIUM').slice(0, 6);
    const sessions = [];
    for (const [i, account] of accounts.entries()) {
      const started = await start(account.profiles[0], `flush-${i}`, familyMovies[2].id);
      expect(started.errors).toBeUndefined();
      sessions.push({ profileId: account.profiles[0], id: started.data!.startPlayback.id, position: 200 + i });
    }
    for (const s of sessions) expect((await sg.run('Heartbeat', { input: { sessionId: s.id, positionSeconds: s.position } })).errors).toBeUndefined();
    for (const s of sessions) {
      await eventually(
        async () => (await sg.run('TitleDetails', { id: familyMovies[2].id, profileId: s.profileId })).data?.title?.progress?.positionSeconds,
        (position) => position === s.position,
        60_000,
      );
    }
  });
});

describe('identity on a Redis Cluster', () => {
  it('refuses a signed-out access token (the revocation list is in the cluster)', async () => {
    const signedIn = ok(await sg.run('SignIn', { email: 'demo-basic@example.com', password: DEMO_PASSWORD }, { as: null }), 'SignIn').signIn;
    const token = signedIn.accessToken as string;
    expect(ok(await sg.run('Viewer', {}, { token }), 'Viewer').viewer.account.id).toBe('demo-basic');
    expect(ok(await sg.run('SignOut', {}, { token }), 'SignOut')).toEqual({ signOut: true });
    const after = await sg.run('Viewer', {}, { token });
    expect(after.status).toBe(401);
    expect(code(after)).toBe('UNAUTHENTICATED');
  });

  it('locks an email out after repeated wrong passwords (the counters are in the cluster)', async () => {
    const email = 'demo-premium@example.com';
    for (let i = 0; i < 3; i += 1) {
      const wrong = await sg.run('SignIn', { email, password: `wrong-${i}` }, { as: null });
      expect(code(wrong)).toBe('UNAUTHENTICATED');
    }
    const locked = await sg.run('SignIn', { email, password: DEMO_PASSWORD }, { as: null });
    expect(locked.status).toBe(429);
    expect(code(locked)).toBe('RATE_LIMITED');
  });
});

describe('the gateway on a Redis Cluster', () => {
  it('registers an automatic persisted query in the cluster and runs it by hash', async () => {
    const text = '{ genres { id name } }';
    const sha256Hash = createHash('sha256').update(text).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const post = async (body: Record<string, unknown>): Promise<Res> => {
      const response = await request(sg.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.statusCode, ...((await response.body.json()) as object) } as Res;
    };
    expect(code(await post({ extensions }))).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await post({ query: text, extensions })).errors).toBeUndefined();
    const byHash = await post({ extensions });
    expect(byHash.errors).toBeUndefined();
    expect((byHash.data as { genres: unknown[] }).genres.length).toBeGreaterThan(0);
  });

  it("spreads the run's keys over every master, and deletes them from every master", async () => {
    const byMaster = await keysOfRun();
    expect(byMaster.size).toBe(3);
    for (const [port, keys] of byMaster) expect({ port, some: keys.length > 0 }).toEqual({ port, some: true });
    await sg.flushCache();
    const left = [...(await keysOfRun()).values()].flat();
    expect(left.filter((key) => key.startsWith(`test:${sg.runId}:cache:`))).toEqual([]);
    expect(left.some((key) => key.includes('playback:'))).toBe(true);
  });
});
