import { startTestSupergraph, type TestSupergraph } from './support/supergraph';

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
