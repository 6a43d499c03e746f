import { startTestSupergraph, type TestSupergraph } from './support/supergraph';
import { ratingOf } from './support/expectations';
import { moreItems, moreRows, type PagedRow } from './support/homePaging';

/**
 * Batching and caching, proven by counting SQL statements per subgraph per request: the count
 * must not grow with rows x items, and shared data read once must not be read again.
 */
let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph();
});
afterAll(async () => {
  await sg?.stop();
});

const run = (operation: string, variables: Record<string, unknown>) => sg.run(operation, variables);

async function homeScreen(profileId: string, rows: number, itemsPerRow: number) {
  const res = await sg.run('HomeScreen', { profileId, rows, itemsPerRow });
  expect(res.errors).toBeUndefined();
  return res.data!.profile.homeRows as { items: { id: string }[] }[];
}

describe('statements per HomeScreen', () => {
  it('are the same for 10x10 and 40x48, and at most 3 per subgraph, from a cold cache', async () => {
    await sg.flushCache();
    let small: { items: { id: string }[] }[] = [];
    const smallCounts = await sg.countStatements(async () => (small = await homeScreen('demo-premium-1', 10, 10)));
    await sg.flushCache();
    let large: { items: { id: string }[] }[] = [];
    const largeCounts = await sg.countStatements(async () => (large = await homeScreen('demo-premium-1', 40, 48)));

    // The large screen really is larger: the statements stayed flat while the work grew.
    const tiles = (rows: { items: unknown[] }[]) => rows.reduce((n, r) => n + r.items.length, 0);
    expect(tiles(small)).toBeGreaterThan(50);
    expect(large.length).toBe(40);
    expect(tiles(large)).toBeGreaterThan(tiles(small) * 5);

    expect(largeCounts).toEqual(smallCounts);
    for (const count of Object.values(largeCounts)) expect(count).toBeLessThanOrEqual(3);
    // Every subgraph took part, so none of the zeros is a subgraph that was skipped.
    expect(largeCounts.catalog).toBeGreaterThan(0);
    expect(largeCounts['playback-session']).toBeGreaterThan(0);
  });

  it('reads nothing from the catalog store once its titles are cached', async () => {
    await homeScreen('demo-premium-1', 40, 48);
    const counts = await sg.countStatements(() => homeScreen('demo-premium-1', 40, 48));
    expect(counts.catalog).toBe(0);
  });

  it("serves another profile's home screen without catalog SQL once the shared rows are cached", async () => {
    // A brand-new profile on the same account and rating: its rows are the shared ones
    // (trending, top 10, new releases, genres), which the first profile's screen has read.
    const created = await sg.run('CreateProfile', {
      input: { accountId: 'demo-standard', name: 'Second Viewer', maturityRating: ratingOf('demo-standard-1') },
    });
    expect(created.errors).toBeUndefined();
    const second = created.data!.createProfile.id as string;

    await sg.flushCache();
    await homeScreen('demo-standard-1', 50, 100);
    let rows: { items: { id: string }[] }[] = [];
    const counts = await sg.countStatements(async () => (rows = await homeScreen(second, 10, 20)));
    expect(rows.length).toBe(10);
    expect(counts.catalog).toBe(0);
  });
});

describe('statements per page of a home-screen visit', () => {
  it('are those of a HomeScreen for the first page, and none in recommendation for the pages after it', async () => {
    const profileId = 'demo-premium-2';
    await homeScreen(profileId, 10, 20);
    const screen = await sg.countStatements(() => homeScreen(profileId, 10, 20));
    let rows: PagedRow[] = [];
    const first = await sg.countStatements(async () => (rows = await moreRows(run, profileId, null, 10, 20)));
    expect(first).toEqual(screen);

    const trending = rows.find((r) => r.kind === 'TRENDING')!;
    let next: PagedRow[] = [];
    const rowsPage = await sg.countStatements(async () => (next = await moreRows(run, profileId, rows.at(-1)!.cursor, 10, 20)));
    expect(next.length).toBeGreaterThan(0);
    let items: { id: string }[] = [];
    const itemsPage = await sg.countStatements(async () => ({ items } = await moreItems(run, profileId, trending.id, trending.itemsPageInfo.endCursor, 20)));
    expect(items).toHaveLength(20);
    // The visit's rows come from its snapshot in the shared cache: no ranking, no activity read.
    // The rest is a HomeScreen's per-request reads: the profile's list (@requires), progress, and
    // the titles the catalog cache doesn't hold yet (these are further down the screen).
    for (const page of [rowsPage, itemsPage]) {
      expect(page).toEqual({ recommendation: 0, profile: screen.profile, 'playback-session': screen['playback-session'], catalog: expect.any(Number) });
      expect(page.catalog).toBeLessThanOrEqual(1);
    }
  });
});

describe('DataLoader batching in a subgraph', () => {
  it('resolves a batch of title references with one catalog statement', async () => {
    await sg.flushCache();
    const representations = Array.from({ length: 60 }, (_, i) => ({ __typename: 'Title', id: `t-${String(i + 1).padStart(5, '0')}` }));
    const { postGraphQL } = await import('@streaming/testing');
    let res: Awaited<ReturnType<typeof postGraphQL>> | undefined;
    const counts = await sg.countStatements(async () => {
      res = await postGraphQL(sg.subgraphs.catalog.url,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Title { id name genres { name } artwork(type: LOGO) { url } } } }',
        { r: representations });
    });
    expect(res!.errors).toBeUndefined();
    expect((res!.data as { _entities: { id: string }[] })._entities.map((e) => e.id)).toEqual(representations.map((r) => r.id));
    // One statement for the titles (genres and artwork joined in), one for the genre names.
    expect(counts.catalog).toBe(2);
  });
});
