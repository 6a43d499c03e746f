import { newRunId, postGraphQL, TcpProxy, TEST_REDIS_URL } from '@streaming/testing';
import Redis from 'ioredis';
import { isAllowed, type Maturity, type SubgraphName } from '@streaming/platform';
import { startTestGateway, type TestGateway } from './support/gateway';
import { familyMovies } from './support/playback';
import { moreRows, type PagedRow } from './support/homePaging';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';

/**
 * Degraded beats broken: with a subgraph down, the screen still renders from what is reachable,
 * and the response says which parts are stand-ins (`extensions.degraded`). Through a real
 * gateway, with outages made by a TCP proxy (a real refused connection) or the x-fault header.
 */
let sg: TestSupergraph;
let urls: Record<SubgraphName, string>;
const gateways: TestGateway[] = [];
const proxies: TcpProxy[] = [];
const HOME = { rows: 4, itemsPerRow: 6 };

beforeAll(async () => {
  sg = await startTestSupergraph();
  urls = Object.fromEntries(Object.entries(sg.subgraphs).map(([n, s]) => [n, s.url])) as Record<SubgraphName, string>;
});
afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  for (const proxy of proxies) await proxy.stop();
  await sg?.stop();
});

async function proxied(name: SubgraphName) {
  const target = new URL(sg.subgraphs[name].url);
  const proxy = new TcpProxy('127.0.0.1', Number(target.port));
  proxies.push(proxy);
  return { proxy, url: `http://127.0.0.1:${await proxy.start()}/` };
}

async function gateway(options: Omit<Parameters<typeof startTestGateway>[1], 'subgraphUrls'> & { subgraphUrls?: Partial<Record<SubgraphName, string>> }) {
  const started = await startTestGateway(sg, { ...options, subgraphUrls: { ...urls, ...options.subgraphUrls } });
  gateways.push(started);
  return started;
}

describe('recommendation down', () => {
  let proxy: TcpProxy;
  let gw: TestGateway;
  beforeAll(async () => {
    const recommendation = await proxied('recommendation');
    proxy = recommendation.proxy;
    gw = await gateway({
      subgraphUrls: { recommendation: recommendation.url },
      lastGood: { subgraphs: ['recommendation'], maxAgeSeconds: 86_400, maxEntries: 1_000, maxEntriesPerViewer: 100 },
      resilience: { faultInjection: true },
    });
  });

  it("serves each profile's last good home rows, flagged degraded, kids rows included", async () => {
    const before: Record<string, unknown> = {};
    for (const profileId of ['demo-premium-1', 'demo-premium-kids']) {
      const good = await gw.run('HomeScreen', { profileId, ...HOME });
      expect(good.errors).toBeUndefined();
      expect(good.extensions?.degraded).toBeUndefined();
      before[profileId] = good.data;
    }
    await proxy.stop();
    try {
      for (const profileId of ['demo-premium-1', 'demo-premium-kids']) {
        const fallback = await gw.run('HomeScreen', { profileId, ...HOME });
        expect(fallback.errors).toBeUndefined();
        expect(fallback.extensions?.degraded).toEqual(['recommendation']);
        // The kids profile gets exactly the rows computed for it: never more than it would see.
        expect(fallback.data).toEqual(before[profileId]);
      }
    } finally {
      await proxy.start();
    }
  });


  const SIMILAR = 'query Similar($id: ID!, $p: ID!) { title(id: $id) { id similar(first: 10, profileId: $p) { id name maturityRating } } }';
  type Similar = { title: { similar: { name: string; maturityRating: Maturity }[] | null } };
  const similarOf = async (titleId: string, profileId: string, asAccount: string, headers: Record<string, string> = {}) =>
    postGraphQL<Similar>(gw.url, SIMILAR, { id: titleId, p: profileId }, 'Similar', { authorization: `Bearer ${await sg.tokenFor(asAccount)}`, ...headers });
  const tiles = (data: any): { name: string; maturityRating: Maturity }[] => data.profile.homeRows.flatMap((r: { items: unknown[] }) => r.items);

  it('never serves what a profile may no longer see: its rating lowered, last good rows and similar titles follow the new rating', async () => {
    const profileId = 'demo-premium-4';
    const lowered: Maturity = 'SEVEN_PLUS';
    // A title whose similar titles, for this adult profile, include some above the lowered rating.
    let titleId = '';
    let adultSimilar: Similar['title']['similar'] = null;
    for (let i = 1; i <= 200 && !titleId; i += 1) {
      const id = `t-${String(i).padStart(5, '0')}`;
      const answer = await similarOf(id, profileId, 'demo-premium');
      if (answer.data?.title?.similar?.some((t) => !isAllowed(t.maturityRating, lowered))) [titleId, adultSimilar] = [id, answer.data.title.similar];
    }
    expect(titleId).not.toBe('');
    const adultHome = await gw.run('HomeScreen', { profileId, ...HOME });
    expect(tiles(adultHome.data).some((t) => !isAllowed(t.maturityRating, lowered))).toBe(true);
    // Both were remembered for the adult rating (written in the background).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const down = { 'x-fault': 'recommendation=error' };
    expect((await similarOf(titleId, profileId, 'demo-premium', down)).data?.title?.similar).toEqual(adultSimilar);

    const update = await gw.run('UpdateProfile', { id: profileId, input: { maturityRating: lowered } });
    expect(update.data?.updateProfile?.maturityRating).toBe(lowered);
    try {
      // Recommendation down: nothing above the new rating, from last good answers or otherwise.
      const similarDown = await similarOf(titleId, profileId, 'demo-premium', down);
      expect(similarDown.extensions?.degraded).toEqual(['recommendation']);
      expect(similarDown.data!.title.similar!.filter((t) => !isAllowed(t.maturityRating, lowered))).toEqual([]);
      const homeDown = await gw.run('HomeScreen', { profileId, ...HOME }, down);
      expect(homeDown.extensions?.degraded).toEqual(['recommendation']);
      expect(tiles(homeDown.data).filter((t) => !isAllowed(t.maturityRating, lowered))).toEqual([]);

      // What was computed for the new rating is what stands in for it.
      const kidsSimilar = (await similarOf(titleId, profileId, 'demo-premium')).data!.title.similar;
      const kidsHome = await gw.run('HomeScreen', { profileId, ...HOME });
      expect(kidsHome.errors).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await similarOf(titleId, profileId, 'demo-premium', down)).data!.title.similar).toEqual(kidsSimilar);
      expect((await gw.run('HomeScreen', { profileId, ...HOME }, down)).data).toEqual(kidsHome.data);
    } finally {
      const restored = await gw.run('UpdateProfile', { id: profileId, input: { maturityRating: 'EIGHTEEN_PLUS', accountPassword: 'streaming-demo' } });
      expect(restored.errors).toBeUndefined();
    }
  });

  it('never serves one account what was remembered for another', async () => {
    const profileId = 'demo-premium-1';
    const owner = await similarOf('t-00002', profileId, 'demo-premium');
    expect(owner.data!.title.similar!.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Another account naming the same profile: null while recommendation is up ...
    expect((await similarOf('t-00002', profileId, 'demo-standard')).data!.title.similar).toBeNull();
    // ... and nothing of the owner's while it is down.
    const down = await similarOf('t-00002', profileId, 'demo-standard', { 'x-fault': 'recommendation=error' });
    expect(down.data!.title.similar ?? []).toEqual([]);
    const home = await gw.run('HomeScreen', { profileId, ...HOME }, { authorization: `Bearer ${await sg.tokenFor('demo-standard')}`, 'x-fault': 'recommendation=error' });
    expect(home.data?.profile ?? null).toBeNull();
  });
});

describe('recommendation down, a profile never seen before', () => {
  type Tile = { name: string; maturityRating: Maturity; artwork: unknown };
  type Row = { id: string; kind: string; title: string; items: Tile[] };
  const LAST_GOOD = { subgraphs: ['recommendation' as const], maxAgeSeconds: 86_400, maxEntries: 1_000, maxEntriesPerViewer: 100 };
  let gw: TestGateway;
  beforeAll(async () => {
    // Its own gateway: no profile has been seen through it.
    gw = await gateway({ lastGood: LAST_GOOD, resilience: { faultInjection: true } });
  });

  /** What the catalog says the fallback should hold for a profile: its allowed My List, then popular, then new titles. */
  async function expectedRows(profileId: string, itemsPerRow: number) {
    const { data } = await sg.query<{ profile: { maturityRating: Maturity; myList: { name: string; maturityRating: Maturity }[] } }>(
      'query($id: ID!) { profile(id: $id) { maturityRating myList { name maturityRating } } }', { id: profileId });
    const rating = data!.profile.maturityRating;
    const lists = await sg.query<{ popularTitles: { name: string }[]; newReleases: { name: string }[] }>(
      'query($r: MaturityRating!, $n: Int!) { popularTitles(maxMaturityRating: $r, first: $n) { name } newReleases(maxMaturityRating: $r, first: $n) { name } }',
      { r: rating, n: itemsPerRow });
    const myList = data!.profile.myList.filter((t) => isAllowed(t.maturityRating, rating)).slice(0, itemsPerRow);
    return {
      rating,
      rows: [
        ...(myList.length ? [{ kind: 'MY_LIST', title: 'My List', names: myList.map((t) => t.name) }] : []),
        { kind: 'TRENDING', title: 'Popular', names: lists.data!.popularTitles.map((t) => t.name) },
        { kind: 'NEW_RELEASES', title: 'New Releases', names: lists.data!.newReleases.map((t) => t.name) },
      ],
    };
  }

  it.each(['demo-standard-1', 'demo-premium-kids'])('%s gets non-personalised rows (My List, popular, new), none above its rating', async (profileId) => {
    const expected = await expectedRows(profileId, HOME.itemsPerRow);
    const response = await gw.run('HomeScreen', { profileId, ...HOME }, { 'x-fault': 'recommendation=error' });
    expect(response.errors).toBeUndefined();
    expect(response.extensions?.degraded).toEqual(['recommendation']);
    const rows = response.data!.profile.homeRows as Row[];
    expect(rows.map((r) => ({ kind: r.kind, title: r.title, names: r.items.map((t) => t.name) }))).toEqual(expected.rows);
    // Whole tiles: the catalog filled in the titles the fallback named.
    for (const tile of rows.flatMap((r) => r.items)) {
      expect(isAllowed(tile.maturityRating, expected.rating)).toBe(true);
      expect(tile.artwork).toEqual(expect.objectContaining({ url: expect.any(String) }));
    }
    expect(rows.map((r) => r.id)).toEqual(rows.map((r) => `${profileId}:${r.kind === 'MY_LIST' ? 'my-list' : r.kind === 'TRENDING' ? 'popular' : 'new-releases'}`));
  });

  it('gives the kids profile a different, narrower Popular row than an adult of the same account', async () => {
    const popular = async (profileId: string) => {
      const response = await gw.run('HomeScreen', { profileId, rows: 3, itemsPerRow: 20 }, { 'x-fault': 'recommendation=error' });
      expect(response.extensions?.degraded).toEqual(['recommendation']);
      return (response.data!.profile.homeRows as Row[]).find((r) => r.kind === 'TRENDING')!.items;
    };
    const kids = await popular('demo-premium-kids');
    const adult = await popular('demo-premium-1');
    const kidsRating = (await expectedRows('demo-premium-kids', 1)).rating;
    expect(kids.every((t) => isAllowed(t.maturityRating, kidsRating))).toBe(true);
    // The adult's row holds titles the kids profile may not see; the kids' row leaves them out.
    expect(adult.some((t) => !isAllowed(t.maturityRating, kidsRating))).toBe(true);
    expect(kids.map((t) => t.name)).not.toEqual(adult.map((t) => t.name));
  });

  describe('paging', () => {
    const down = { 'x-fault': 'recommendation=error' };

    it('ends the screen and the row at once: no more rows, no more titles, flagged degraded, never a repeat', async () => {
      const profileId = 'demo-standard-3';
      const up = (operation: string, variables: Record<string, unknown>) => gw.run(operation, variables);
      const rows = await moreRows(up, profileId, null, 3, 4);
      const variables = { profileId, after: rows[2].cursor, rows: 3, itemsPerRow: 4 };
      // Answered while recommendation is up, a page is not kept as a last good answer: it belongs to one visit.
      expect((await up('HomeScreenMoreRows', variables)).data!.profile.homeRows).toHaveLength(3);
      const more = await gw.run('HomeScreenMoreRows', variables, down);
      expect(more.errors).toBeUndefined();
      expect(more.extensions?.degraded).toEqual(['recommendation']);
      expect(more.data!.profile).toEqual({ id: profileId, homeRows: [] });

      const after = rows[2].itemsPageInfo.endCursor;
      const items = await gw.run('RowMoreItems', { profileId, rowId: rows[2].id, after, first: 5 }, down);
      expect(items.errors).toBeUndefined();
      expect(items.extensions?.degraded).toEqual(['recommendation']);
      expect(items.data!.profile.homeRow).toEqual({ id: rows[2].id, items: [], itemsPageInfo: { hasNextPage: false, endCursor: after } });
    });

    it('gives fallback rows as a whole screen: nothing more down or across', async () => {
      const res = await gw.run('HomeScreenMoreRows', { profileId: 'demo-basic-2', rows: 10, itemsPerRow: 5 }, down);
      expect(res.errors).toBeUndefined();
      expect(res.extensions?.degraded).toEqual(['recommendation']);
      const rows = res.data!.profile.homeRows as PagedRow[];
      expect(rows.map((r) => r.title)).toEqual(expect.arrayContaining(['Popular', 'New Releases']));
      for (const row of rows) {
        expect(row.items.length).toBeGreaterThan(0);
        expect(row).toMatchObject({ hasMoreRows: false, itemsPageInfo: { hasNextPage: false } });
      }
      // Its cursors are no visit's: once recommendation is back, they are refused like any unknown cursor.
      const back = await gw.run('HomeScreenMoreRows', { profileId: 'demo-basic-2', after: rows[0].cursor, rows: 10, itemsPerRow: 5 });
      expect(back.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
    });
  });

  it('answers fields a client aliased __proto__ or toString in fallback rows, as recommendation would', async () => {
    const query = `query Aliased($profileId: ID!) { profile(id: $profileId) { homeRows(first: 3, itemsPerRow: 2) {
      __proto__: title toString: id title items { id } } } }`;
    const res = await postGraphQL<{ profile: { homeRows: Record<string, unknown>[] } }>(gw.url, query, { profileId: 'demo-basic-2' }, 'Aliased',
      { authorization: `Bearer ${await sg.tokenFor('demo-basic')}`, 'x-fault': 'recommendation=error' });
    expect(res.errors).toBeUndefined();
    expect(res.extensions?.degraded).toEqual(['recommendation']);
    const rows = res.data!.profile.homeRows;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['__proto__', 'toString', 'title', 'items']);
      expect([Object.getOwnPropertyDescriptor(row, '__proto__')?.value, Object.getOwnPropertyDescriptor(row, 'toString')?.value]).toEqual([row.title, expect.stringMatching(/\S/)]);
    }
    expect(rows.map((row) => row.title)).toEqual(expect.arrayContaining(['Popular']));
  });

  it('renders the profile without rows when the catalog is down too', async () => {
    const response = await gw.run('HomeScreen', { profileId: 'demo-basic-1', ...HOME }, { 'x-fault': 'recommendation=error, catalog=error' });
    expect(response.errors).toBeUndefined();
    expect(response.extensions?.degraded).toEqual(['recommendation']);
    expect(response.data!.profile).toMatchObject({ id: 'demo-basic-1', homeRows: [] });
    expect(response.data!.profile.name).toEqual(expect.any(String));
  });
});

it('keeps last good rows in Redis: another gateway instance serves what the first one saw', async () => {
  const shared = { lastGood: { subgraphs: ['recommendation' as const], maxAgeSeconds: 86_400, maxEntries: 1_000, maxEntriesPerViewer: 100 }, redisUrl: TEST_REDIS_URL, keyPrefix: `test:${sg.runId}:`, resilience: { faultInjection: true } };
  const first = await gateway(shared);
  const second = await gateway(shared);
  // The first instance writes without waiting (and again with each good answer until Redis has it).
  let good = await first.run('HomeScreen', { profileId: 'demo-basic-2', ...HOME });
  let fallback = await second.run('HomeScreen', { profileId: 'demo-basic-2', ...HOME }, { 'x-fault': 'recommendation=error' });
  for (let i = 0; i < 20 && JSON.stringify(fallback.data) !== JSON.stringify(good.data); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    good = await first.run('HomeScreen', { profileId: 'demo-basic-2', ...HOME });
    fallback = await second.run('HomeScreen', { profileId: 'demo-basic-2', ...HOME }, { 'x-fault': 'recommendation=error' });
  }
  expect(good.errors).toBeUndefined();
  expect(fallback.errors).toBeUndefined();
  expect(fallback.extensions?.degraded).toEqual(['recommendation']);
  expect(fallback.data).toEqual(good.data);
});

it('bounds last good answers in Redis, per viewer and in total, keeping each viewer\'s newest', async () => {
  const keyPrefix = `test:${newRunId()}:`;
  const gw = await gateway({
    lastGood: { subgraphs: ['recommendation'], maxAgeSeconds: 86_400, maxEntries: 8, maxEntriesPerViewer: 5 },
    redisUrl: TEST_REDIS_URL, keyPrefix, resilience: { faultInjection: true },
  });
  const redis = new Redis(TEST_REDIS_URL);
  /** Last good answers held in Redis: the string keys of its last-good namespace under this gateway's prefix. */
  const held = async () => {
    let strings = 0;
    for (const key of await redis.keys(`${keyPrefix}*last-good*`)) if ((await redis.type(key)) === 'string') strings += 1;
    return strings;
  };
  /** Whether a shape's last good rows are what stands in (written in the background: tries a little while). */
  const standsIn = async (profileId: string, rows: number, good: unknown, tries = 20) => {
    for (let i = 0; i < tries; i += 1) {
      const down = await gw.run('HomeScreen', { profileId, rows, itemsPerRow: 2 }, { 'x-fault': 'recommendation=error' });
      if (JSON.stringify(down.data) === JSON.stringify(good)) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  };
  try {
    // One viewer, twelve screen shapes: twelve different answers.
    const premium: unknown[] = [];
    for (let rows = 1; rows <= 12; rows += 1) premium[rows] = (await gw.run('HomeScreen', { profileId: 'demo-premium-1', rows, itemsPerRow: 2 })).data;
    expect(await standsIn('demo-premium-1', 12, premium[12])).toBe(true);
    expect(await held()).toBeLessThanOrEqual(5);
    // Its newest shapes stand in; its oldest were dropped for them (a never-seen fallback instead).
    expect(await standsIn('demo-premium-1', 8, premium[8])).toBe(true);
    // (Written before the newest, which is there: one look is enough.)
    expect(await standsIn('demo-premium-1', 1, premium[1], 1)).toBe(false);
    // Another viewer's answers fit within the total: 8 in all, the oldest of the first viewer's going.
    const standard: unknown[] = [];
    for (let rows = 1; rows <= 5; rows += 1) standard[rows] = (await gw.run('HomeScreen', { profileId: 'demo-standard-1', rows, itemsPerRow: 2 })).data;
    expect(await standsIn('demo-standard-1', 5, standard[5])).toBe(true);
    expect(await held()).toBeLessThanOrEqual(8);
    expect(await standsIn('demo-standard-1', 1, standard[1])).toBe(true);
    expect(await standsIn('demo-premium-1', 12, premium[12])).toBe(true);
    // No key names a viewer, a profile or a variable.
    expect((await redis.keys(`${keyPrefix}*last-good*`)).join(' ')).not.toMatch(/demo-|rows|itemsPerRow/);
  } finally {
    await gw.stop();
    for (const key of await redis.keys(`${keyPrefix}*`)) await redis.del(key);
    redis.disconnect();
  }
});

it('catalog down: titles come from the entity cache past their TTL, flagged degraded', async () => {
  const catalog = await proxied('catalog');
  const gw = await gateway({
    subgraphUrls: { catalog: catalog.url },
    entityCache: { subgraphs: ['catalog'], ttlSeconds: 1, maxEntries: 10_000, maxStaleSeconds: 600 },
  });
  const warm = await gw.run('HomeScreen', { profileId: 'demo-premium-1', ...HOME });
  expect(warm.errors).toBeUndefined();
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  await catalog.proxy.stop();
  const stale = await gw.run('HomeScreen', { profileId: 'demo-premium-1', ...HOME });
  expect(stale.errors).toBeUndefined();
  expect(stale.extensions?.degraded).toEqual(['catalog']);
  expect(stale.data).toEqual(warm.data);
});

it('playback down: tiles render with progress null and one error', async () => {
  const gw = await gateway({ resilience: { faultInjection: true } });
  const good = await gw.run('HomeScreen', { profileId: 'demo-premium-1', ...HOME });
  const response = await gw.run('HomeScreen', { profileId: 'demo-premium-1', ...HOME }, { 'x-fault': 'playback-session=error' });
  expect(response.errors!.map((e) => [e.extensions?.code, e.extensions?.serviceName])).toEqual([['SUBGRAPH_UNAVAILABLE', 'playback-session']]);
  const rows = response.data!.profile.homeRows as { items: { name: string; progress: unknown }[] }[];
  expect(rows.map((r) => r.items.map((i) => i.name))).toEqual(good.data!.profile.homeRows.map((r: { items: { name: string }[] }) => r.items.map((i) => i.name)));
  expect(rows.flatMap((r) => r.items.map((i) => i.progress)).every((p) => p === null)).toBe(true);
});

it('catalog down with nothing cached: the profile keeps its name, its rows are null with the catalog error', async () => {
  const gw = await gateway({ resilience: { faultInjection: true } });
  const response = await gw.run('HomeScreen', { profileId: 'demo-premium-1', ...HOME }, { 'x-fault': 'catalog=error' });
  expect(response.data!.profile).toMatchObject({ id: 'demo-premium-1', name: expect.any(String), homeRows: null });
  expect(response.errors!.map((e) => [e.extensions?.code, e.extensions?.serviceName])).toContainEqual(['SUBGRAPH_UNAVAILABLE', 'catalog']);
});

it('catalog down at the gateway: a started stream still reaches the player (its title null, one catalog error)', async () => {
  const gw = await gateway({ resilience: { faultInjection: true } });
  const input = { profileId: 'demo-premium-2', titleId: familyMovies[5].id, deviceId: 'chaos-tv' };
  const started = await gw.run('StartPlayback', { input }, { 'x-fault': 'catalog=error' });
  expect(started.errors!.map((e) => [e.extensions?.code, e.extensions?.serviceName])).toEqual([['SUBGRAPH_UNAVAILABLE', 'catalog']]);
  const session = started.data!.startPlayback;
  expect(session).toMatchObject({ id: expect.any(String), state: 'PLAYING', deviceId: 'chaos-tv', title: null });
  expect(session.manifest.url).toEqual(expect.any(String));
  // The player holds the id, so it can stop the stream and free the slot.
  const stopped = await gw.run('StopPlayback', { sessionId: session.id, positionSeconds: 30 });
  expect(stopped.errors).toBeUndefined();
  expect(stopped.data!.stopPlayback).toMatchObject({ id: session.id, state: 'ENDED', positionSeconds: 30 });
});
