import { startTestSupergraph, type TestSupergraph } from './support/supergraph';
import { familyMovies } from './support/playback';

/**
 * The gateway's entity cache for catalog titles, through the real gateway: a home screen whose
 * titles were served before doesn't need the catalog at all. Proven the blunt way: with the
 * catalog subgraph stopped, the same home screen still comes back whole and identical.
 */
let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph({ entityCache: true });
});
afterAll(async () => {
  await sg?.stop();
});

it('serves fields a client aliased __proto__, toString or constructor, from the catalog and from the cache', async () => {
  const query = `query Aliased($profileId: ID!) { profile(id: $profileId) { homeRows(first: 10, itemsPerRow: 20) {
    items { id __proto__: name toString: name constructor: genres { id __proto__: name } name genres { id name } } } } }`;
  type Item = Record<string, unknown>;
  type Answer = { errors?: unknown; extensions?: unknown; data?: { profile: { homeRows: { items: Item[] }[] | null } } | null };
  const fetched = (await sg.query(query, { profileId: 'demo-premium-1' })) as Answer;
  const cached = (await sg.query(query, { profileId: 'demo-premium-1' })) as Answer;
  for (const answer of [fetched, cached]) {
    expect([answer.errors, answer.extensions]).toEqual([undefined, undefined]);
    const items = answer.data!.profile.homeRows!.flatMap((row) => row.items);
    // Titles in more than one row: an answer fanned out to several places, each its own copy.
    expect(new Set(items.map((item) => item.id)).size).toBeLessThan(items.length);
    for (const item of items) {
      expect(Object.keys(item)).toEqual(['id', '__proto__', 'toString', 'constructor', 'name', 'genres']);
      expect(Object.getOwnPropertyDescriptor(item, '__proto__')?.value).toBe(item.name);
      expect(Object.getOwnPropertyDescriptor(item, 'toString')?.value).toBe(item.name);
      const genres = (item.genres as Item[]).map((genre) => [genre.id, genre.name]);
      expect((Object.getOwnPropertyDescriptor(item, 'constructor')?.value as Item[]).map((genre) => [genre.id, Object.getOwnPropertyDescriptor(genre, '__proto__')?.value])).toEqual(genres);
    }
  }
  expect(JSON.stringify(cached.data)).toBe(JSON.stringify(fetched.data));
});

it('serves cached titles without the catalog, and only what was never fetched fails', async () => {
  const first = await sg.run('HomeScreen', { profileId: 'demo-premium-1', rows: 10, itemsPerRow: 20 });
  expect(first.errors).toBeUndefined();
  // Another profile's screen: partly the same titles (hits), partly its own (fetched, then cached).
  const other = await sg.run('HomeScreen', { profileId: 'demo-standard-1', rows: 10, itemsPerRow: 20 });
  expect(other.errors).toBeUndefined();

  await sg.subgraphs.catalog.stop();
  const again = await sg.run('HomeScreen', { profileId: 'demo-premium-1', rows: 10, itemsPerRow: 20 });
  expect(again.errors).toBeUndefined();
  expect(again.data).toEqual(first.data);
  const otherAgain = await sg.run('HomeScreen', { profileId: 'demo-standard-1', rows: 10, itemsPerRow: 20 });
  expect(otherAgain.data).toEqual(other.data);

  // A larger screen needs titles the gateway never saw: those (and only those) fail.
  const larger = await sg.run('HomeScreen', { profileId: 'demo-premium-1', rows: 40, itemsPerRow: 48 });
  expect(larger.errors?.length).toBeGreaterThan(0);
  expect(larger.errors!.map((e) => [e.message, e.extensions?.code])).toContainEqual(['The catalog service is unavailable', 'SUBGRAPH_UNAVAILABLE']);
});

describe('a title first fetched by a small fetch', () => {
  let own: TestSupergraph;
  beforeAll(async () => {
    own = await startTestSupergraph({ entityCache: true });
  });
  afterAll(async () => {
    await own?.stop();
  });

  it('is kept as a tile too, so it is served whole with the catalog down', async () => {
    const home = await own.run('HomeScreen', { profileId: 'demo-premium-1', rows: 10, itemsPerRow: 20 });
    expect(home.errors).toBeUndefined();
    // A movie not on the screen, started: StartPlayback asks the catalog only its name; the
    // gateway asks the tile's fields with it (the shape most asked of titles) to keep it as a tile.
    const onScreen = new Set(JSON.stringify(home.data).match(/t-\d+/g));
    const movie = familyMovies.find((m) => !onScreen.has(m.id))!;
    const started = await own.run<{ startPlayback: { title: unknown } }>('StartPlayback', { input: { profileId: 'demo-premium-1', titleId: movie.id, deviceId: 'entity-cache-tv' } });
    expect(started.errors).toBeUndefined();
    expect(started.data!.startPlayback.title).toEqual({ id: movie.id, name: movie.name });

    await own.subgraphs.catalog.stop();
    // The tile the home screen it joins (Continue Watching, Trending) needs: whole, from the cache.
    const tiles = await own.query<{ profile: { activeSessions: { title: Record<string, unknown> }[] } }>(
      `query ActiveTiles($profileId: ID!) { profile(id: $profileId) { activeSessions { title {
        id name kind maturityRating releaseYear artwork(type: BOXART) { url width height } genres { id name } } } } }`,
      { profileId: 'demo-premium-1' },
    );
    expect(tiles.errors).toBeUndefined();
    const tile = tiles.data!.profile.activeSessions.map((s) => s.title).find((t) => t.id === movie.id);
    expect(tile).toMatchObject({ id: movie.id, name: movie.name, kind: 'MOVIE', maturityRating: 'ALL', releaseYear: movie.releaseYear });
    expect((tile!.artwork as { url: string }).url).toMatch(/^https?:\/\//);
  });
});
