import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client/core';
import { SUBGRAPH_NAMES, type SubgraphName } from '@streaming/platform';
import { request } from 'undici';
import { resilienceConfigFromEnv } from '../gateway/src/config';
import { startTestGateway, type TestGateway } from './support/gateway';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';

/**
 * `@defer` through the real gateway over HTTP, on our executor: the first payload without
 * waiting for the deferred parts, the parts after it as `multipart/mixed` (deferSpec=20220824),
 * read by a real Apollo Client; one answer for a client that takes no multipart, and under
 * stock's executor.
 */
let sg: TestSupergraph;
let gateway: TestGateway;
let token: string;
const PROFILE = 'demo-premium-1';
const MULTIPART = 'multipart/mixed;deferSpec=20220824,application/json';
const subgraphUrls = () => Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, sg.subgraphs[n].url])) as Record<SubgraphName, string>;

beforeAll(async () => {
  sg = await startTestSupergraph();
  gateway = await startTestGateway(sg, {
    subgraphUrls: subgraphUrls(),
    executor: 'ours',
    lastGood: { subgraphs: ['recommendation'], maxAgeSeconds: 86_400, maxEntries: 1_000, maxEntriesPerViewer: 100 },
    resilience: resilienceConfigFromEnv({ FAULT_INJECTION: 'true', SUBGRAPH_TIMEOUT_MS: '15000', REQUEST_DEADLINE_MS: '30000' }),
  });
  token = await sg.tokenFor('demo-premium', { ttlSeconds: 3_600 });
});
afterAll(async () => {
  await gateway?.stop();
  await sg?.stop();
});

interface Part {
  at: number;
  body: any;
}

/** Sends with the given Accept and reads the answer part by part as it arrives, timing each. */
async function send(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ contentType: string; parts: Part[] }> {
  const started = Date.now();
  const res = await request(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const contentType = String(res.headers['content-type']);
  const parts: Part[] = [];
  if (!contentType.startsWith('multipart/mixed')) {
    parts.push({ at: Date.now() - started, body: JSON.parse(await res.body.text()) });
    return { contentType, parts };
  }
  let buffered = '';
  for await (const chunk of res.body) {
    buffered += chunk.toString('utf8');
    // Each part: headers, a blank line, the JSON, then the boundary.
    let end: number;
    while ((end = buffered.indexOf('\r\n---')) >= 0) {
      const part = buffered.slice(0, end);
      buffered = buffered.slice(end + 5);
      const json = part.indexOf('\r\n\r\n');
      if (json >= 0) parts.push({ at: Date.now() - started, body: JSON.parse(part.slice(json + 4)) });
    }
  }
  return { contentType, parts };
}

const homeScreenDeferred = () => sg.operations.HomeScreenDeferred;

test('a real Apollo Client gets the rows first, then each tile\'s details and progress, and ends with the whole home screen', async () => {
  const client = new ApolloClient({
    link: new HttpLink({ uri: gateway.url, headers: { authorization: `Bearer ${token}` } }),
    cache: new InMemoryCache(),
  });
  const results: any[] = [];
  await new Promise<void>((resolve, reject) => {
    const subscription = client.watchQuery({ query: gql(homeScreenDeferred()), variables: { profileId: PROFILE, rows: 3, itemsPerRow: 4 }, fetchPolicy: 'network-only' }).subscribe({
      next: (result) => {
        results.push(result);
        const tiles = result.data?.profile?.homeRows?.flatMap((row: any) => row.items) ?? [];
        if (tiles.length > 0 && tiles.every((tile: any) => tile.genres !== undefined)) {
          subscription.unsubscribe();
          resolve();
        }
      },
      error: reject,
    });
  });
  client.stop();

  const first = results[0].data.profile;
  expect(first.homeRows).toHaveLength(3);
  for (const tile of first.homeRows.flatMap((row: any) => row.items)) {
    expect(tile.name).toEqual(expect.any(String));
    expect(tile.artwork).toBeDefined();
    // Deferred: not in the first payload.
    expect(tile.genres).toBeUndefined();
    expect(tile.progress).toBeUndefined();
  }
  expect(results.length).toBeGreaterThanOrEqual(2);

  // The finished answer is the home screen's, field for field.
  const whole = await gateway.run('HomeScreen', { profileId: PROFILE, rows: 3, itemsPerRow: 4 });
  expect(whole.errors).toBeUndefined();
  const last = results[results.length - 1].data.profile;
  const project = (p: any) => p.homeRows.map((row: any) => ({
    title: row.title,
    items: row.items.map(({ id, name, kind, maturityRating, releaseYear, genres, progress }: any) => ({ id, name, kind, maturityRating, releaseYear, genres, progress })),
  }));
  // Apollo Client adds __typename to what it asks for; the committed operation doesn't ask for it.
  const withoutTypename = (value: unknown) => JSON.parse(JSON.stringify(value, (key, v) => (key === '__typename' ? undefined : v)));
  expect(withoutTypename(project(last))).toEqual(project(whole.data!.profile));
  expect(project(last).flatMap((row: any) => row.items).some((tile: any) => tile.progress !== null)).toBe(true);
});

test('the first payload does not wait for a slow subgraph that only the deferred part needs', async () => {
  const query = `query($profileId: ID!) { profile(id: $profileId) { id name homeRows(first: 2, itemsPerRow: 3) { id title items { id ... @defer(label: "names") { name releaseYear } } } } }`;
  const { contentType, parts } = await send(query, { profileId: PROFILE }, { accept: MULTIPART, 'x-fault': 'catalog=delay:800' });
  expect(contentType).toMatch(/^multipart\/mixed; boundary="-"; deferSpec=20220824/);
  expect(parts.length).toBeGreaterThanOrEqual(2);
  const [initial, ...rest] = parts;
  expect(initial.body.hasNext).toBe(true);
  expect(initial.body.errors).toBeUndefined();
  const tiles = initial.body.data.profile.homeRows.flatMap((row: any) => row.items);
  expect(tiles.length).toBeGreaterThan(0);
  expect(tiles.every((tile: any) => tile.name === undefined)).toBe(true);

  // The deferred part: one item per tile, at the tile's path, with the client's label.
  const incremental = rest.flatMap((part) => part.body.incremental ?? []);
  expect(incremental).toHaveLength(tiles.length);
  expect(incremental[0]).toEqual({ path: ['profile', 'homeRows', 0, 'items', 0], label: 'names', data: { name: expect.any(String), releaseYear: expect.any(Number) } });
  expect(rest[rest.length - 1].body.hasNext).toBe(false);
  // The catalog's 800 ms came after the first payload, not before it.
  expect(rest[0].at - initial.at).toBeGreaterThanOrEqual(700);
});

test('a failing subgraph that only the deferred part needs fails only that part', async () => {
  const query = `query($profileId: ID!) { profile(id: $profileId) { id name homeRows(first: 1, itemsPerRow: 2) { id items { id ... @defer { name } } } } }`;
  const { parts } = await send(query, { profileId: PROFILE }, { accept: MULTIPART, 'x-fault': 'catalog=error' });
  const [initial, ...rest] = parts;
  expect(initial.body.errors).toBeUndefined();
  expect(initial.body.data.profile.name).toEqual(expect.any(String));
  const incremental = rest.flatMap((part) => part.body.incremental ?? []);
  expect(incremental.length).toBeGreaterThan(0);
  // No label: the client gave none (the planner's own name for it is not sent).
  expect(incremental[0].label).toBeUndefined();
  const errors = incremental.flatMap((item: any) => item.errors ?? []);
  expect(errors.length).toBeGreaterThan(0);
  expect(errors[0].extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
  expect(errors[0].message).toMatch(/catalog/);
  // Title.name is non-null: each tile's deferred part is null, the first payload's tiles stay.
  expect(incremental.every((item: any) => item.data === null)).toBe(true);
  expect(initial.body.data.profile.homeRows[0].items.length).toBeGreaterThan(0);
});

test('an answer degraded in a deferred part says so in that part, not in the first payload', async () => {
  const query = `query($profileId: ID!) { profile(id: $profileId) { id name ... @defer(label: "rows") { homeRows(first: 2, itemsPerRow: 3) { id title items { id name } } } } }`;
  const healthy = await send(query, { profileId: PROFILE }, { accept: MULTIPART });
  const rows = healthy.parts.flatMap((part) => part.body.incremental ?? [])[0].data.homeRows;
  expect(rows).toHaveLength(2);

  // Recommendation fails: its last good answer stands in, for the deferred part only.
  const { parts } = await send(query, { profileId: PROFILE }, { accept: MULTIPART, 'x-fault': 'recommendation=error' });
  const [initial, ...rest] = parts;
  expect(initial.body.extensions?.degraded).toBeUndefined();
  expect(initial.body.data.profile.name).toEqual(expect.any(String));
  const [item] = rest.flatMap((part) => part.body.incremental ?? []);
  expect(item).toMatchObject({ path: ['profile'], label: 'rows', extensions: { degraded: ['recommendation'] } });
  expect(item.data.homeRows).toEqual(rows);
  expect(item.errors).toBeUndefined();
});

test('@defer(if:) on a variable: deferred when true, one answer when false', async () => {
  const query = `query($profileId: ID!, $later: Boolean!) { profile(id: $profileId) { id ... @defer(if: $later, label: "name") { name } } }`;
  const later = await send(query, { profileId: PROFILE, later: true }, { accept: MULTIPART });
  expect(later.parts.map((part) => part.body)).toEqual([
    { data: { profile: { id: PROFILE } }, hasNext: true },
    { hasNext: false, incremental: [{ path: ['profile'], label: 'name', data: { name: expect.any(String) } }] },
  ]);
  const now = await send(query, { profileId: PROFILE, later: false }, { accept: MULTIPART });
  expect(now.parts.map((part) => part.body)).toEqual([{ data: { profile: { id: PROFILE, name: expect.any(String) } } }]);
});

test('a client that takes no multipart gets one complete answer, the same as the undeferred operation', async () => {
  for (const accept of [undefined, 'application/json', 'multipart/mixed;incrementalSpec=v0.2,application/json']) {
    const deferred = await send(homeScreenDeferred(), { profileId: PROFILE, rows: 2, itemsPerRow: 3 }, accept ? { accept } : {});
    expect(deferred.contentType).toMatch(/^application\/(graphql-response\+)?json/);
    expect(deferred.parts).toHaveLength(1);
    const body = deferred.parts[0].body;
    expect(body.errors).toBeUndefined();
    expect(body.hasNext).toBeUndefined();
    const whole = await gateway.run('HomeScreen', { profileId: PROFILE, rows: 2, itemsPerRow: 3 });
    const tiles = (data: any) => data.profile.homeRows.flatMap((row: any) => row.items.map((tile: any) => [tile.id, tile.genres, tile.progress]));
    expect(tiles(body.data)).toEqual(tiles(whole.data));
  }
});

test('under stock\'s executor @defer is answered in one payload, never an error', async () => {
  const stock = await startTestGateway(sg, { subgraphUrls: subgraphUrls(), executor: 'stock' });
  try {
    const res = await request(stock.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, accept: MULTIPART },
      body: JSON.stringify({ query: homeScreenDeferred(), variables: { profileId: PROFILE, rows: 2, itemsPerRow: 3 } }),
    });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = (await res.body.json()) as any;
    expect(res.statusCode).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.profile.homeRows[0].items[0].genres).toEqual(expect.any(Array));
  } finally {
    await stock.stop();
  }
});

test('cost counts the whole operation, deferred parts included', async () => {
  const cost = async (operationName: string) => (await gateway.run(operationName, { profileId: PROFILE }, { 'x-graphql-cost': '1' })).extensions?.cost;
  const deferred = await cost('HomeScreenDeferred');
  expect(deferred.estimated).toBeGreaterThan(0);
  expect(deferred).toEqual(await cost('HomeScreen'));
  // Delivered in parts, the first payload carries it.
  const { parts } = await send(homeScreenDeferred(), { profileId: PROFILE }, { accept: MULTIPART, 'x-graphql-cost': '1' });
  expect(parts.length).toBeGreaterThanOrEqual(2);
  expect(parts[0].body.extensions.cost).toEqual(deferred);
});
