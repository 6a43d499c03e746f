import { startTestSupergraph, type TestSupergraph } from './support/supergraph';
import { ratingOf } from './support/expectations';

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
